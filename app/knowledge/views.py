"""One button: a conversation becomes a wiki page."""

from flask import Blueprint, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user

from app.knowledge import service

bp = Blueprint("knowledge", __name__, template_folder="templates")


@bp.route("/knowledge/questions/<int:question_id>", methods=["POST"])
def faq_from_question(question_id: int):
    page = service.faq_from_question(current_user, question_id)
    flash(_("The question is now a wiki page. Edit it as you like."), "success")
    return redirect(page.url)


@bp.route("/knowledge/threads/<int:post_id>", methods=["POST"])
def faq_from_thread(post_id: int):
    page = service.faq_from_thread(current_user, post_id)
    flash(_("The conversation is now a wiki page. Edit it as you like."), "success")
    return redirect(page.url)
