from flask import Blueprint, current_app, render_template, send_from_directory
from flask_login import current_user

from app.home import checklist, service
from app.home import health as health_checks

bp = Blueprint("home", __name__, template_folder="templates")


@bp.route("/")
def index():
    return render_template(
        "home/index.html",
        home=service.gather(current_user),
        first_steps=checklist.first_steps(current_user),
    )


@bp.route("/health")
def health():
    report = health_checks.check(current_app)
    return report.as_json(), 200 if report.healthy else 503


@bp.route("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico before reading the page's <link rel="icon">.
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)
