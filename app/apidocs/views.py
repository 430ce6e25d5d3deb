"""`/api/docs`: the interactive API reference for signed-in colleagues. The OpenAPI
document itself stays at /api/v1/openapi.json."""

from __future__ import annotations

from importlib.resources import files

from flask import Blueprint, render_template, send_from_directory

bp = Blueprint("apidocs", __name__, url_prefix="/api/docs", template_folder="templates")

# Swagger UI's built files, as the flask-swagger-ui package ships them.
SWAGGER_UI_FILES = files("flask_swagger_ui") / "dist"
SWAGGER_UI_ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js"})


@bp.route("/")
def show_docs():
    return render_template("apidocs/docs.html")


@bp.route("/assets/<name>")
def asset(name: str):
    if name not in SWAGGER_UI_ASSETS:
        return "", 404
    return send_from_directory(str(SWAGGER_UI_FILES), name, max_age=86400)
