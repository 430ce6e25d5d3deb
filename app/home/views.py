from flask import Blueprint, current_app, render_template
from flask_login import current_user

from app.home import health as health_checks
from app.home import service

bp = Blueprint("home", __name__, template_folder="templates")


@bp.route("/")
def index():
    return render_template("home/index.html", home=service.gather(current_user))


@bp.route("/health")
def health():
    report = health_checks.check(current_app)
    return report.as_json(), 200 if report.healthy else 503
