"""Code blocks: highlighting, its limit, and the stylesheet we serve for it.

Regenerate the stylesheet after changing the style:
`python -m app.markup.highlight > static/css/pygments.css`
"""

import html

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

CODE_CSS_CLASS = "codehilite"
# xcode keeps every token colour at 5:1 or more against its background (WCAG 2.1 AA).
PYGMENTS_STYLE = "xcode"
# Pygments needs about a second for 100,000 characters of some languages, so a document's
# code is highlighted up to this many characters; code past it shows plain (same box).
MAX_HIGHLIGHTED_CHARS = 20_000


class CodeBlocks:
    """Renders the code blocks of one document, highlighting until the budget is spent."""

    def __init__(self) -> None:
        self.budget = MAX_HIGHLIGHTED_CHARS

    def render(self, code: str, language: str) -> str:
        """Return the HTML for a block of `code` (plain text) in `language` ("" if none)."""
        lexer = _lexer(language) if language and len(code) <= self.budget else None
        if lexer is None:
            plain = html.escape(code)
            return (
                f'<div class="{CODE_CSS_CLASS}"><pre><span></span><code>{plain}</code></pre></div>'
            )
        self.budget -= len(code)
        formatter = HtmlFormatter(cssclass=CODE_CSS_CLASS, wrapcode=True)
        return highlight(code, lexer, formatter).rstrip("\n")


def _lexer(language: str):
    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return None


def pygments_css() -> str:
    """Return the stylesheet for highlighted code blocks, every rule scoped to our class."""
    formatter = HtmlFormatter(style=PYGMENTS_STYLE, cssclass=CODE_CSS_CLASS)
    scope = f".{CODE_CSS_CLASS}"
    # Not get_style_defs(): it adds an unscoped `pre` rule and line-number rules we never use.
    rules = [*formatter.get_background_style_defs(scope), *formatter.get_token_style_defs(scope)]
    return "\n".join(rules) + "\n"


if __name__ == "__main__":
    print(pygments_css(), end="")
