"""How often one person may post (MICROPOST_RATE_LIMIT), shared by the pages and the API.

Checked by hand rather than with a route decorator, so the page can show the message beside
the user's unsent text instead of losing it.
"""

from __future__ import annotations

import math
import time

from flask import current_app
from flask_babel import gettext as _
from limits import parse

from app.accounts.models import User
from app.errors import DomainError
from app.extensions import limiter

LIMIT_SCOPE = "micropost"


class RateLimited(DomainError):
    status = 429


def check_posting_rate(actor: User) -> None:
    """Count one post by ``actor``. Raises RateLimited when they post too often."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    item = parse(current_app.config["MICROPOST_RATE_LIMIT"])
    strategy = limiter.limiter
    if strategy.hit(item, LIMIT_SCOPE, str(actor.id)):
        return
    reset_at, _remaining = strategy.get_window_stats(item, LIMIT_SCOPE, str(actor.id))
    seconds = max(1, math.ceil(reset_at - time.time()))
    raise RateLimited(
        _(
            "You are posting very fast. Please wait %(seconds)d seconds and send again.",
            seconds=seconds,
        )
    )
