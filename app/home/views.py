from flask import Blueprint, current_app, render_template
from flask_login import current_user

from app.home import health as health_checks
from app.spaces import service as spaces_service

bp = Blueprint("home", __name__, template_folder="templates")


@bp.route("/")
def index():
    my_spaces = spaces_service.spaces_of(current_user, current_user)
    return render_template("home/index.html", my_spaces=my_spaces)


@bp.route("/health")
def health():
    report = health_checks.check(current_app)
    return report.as_json(), 200 if report.healthy else 503
