"""The title and address of any tool's item, for lists that mix tools (home, insights,
read confirmations, FAQ pages). Microposts have no title and name their thread."""

from __future__ import annotations

from app.social.service import target_title
from app.urls import path_for


def item_url(obj) -> str:
    url = getattr(obj, "url", None)
    if url:
        return url
    if obj.__class__.__name__ == "Micropost":
        return path_for("microblog.show_post", post_id=obj.id)
    return ""


def item_title(obj) -> str:
    return target_title(obj)
