"""The microblog stream: short posts, replies, mentions, hashtags, pinned announcements."""

from flask import Blueprint

bp = Blueprint("microblog", __name__, url_prefix="/stream", template_folder="templates")
