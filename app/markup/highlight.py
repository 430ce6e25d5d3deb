"""Code highlighting settings shared by the renderer and the stylesheet we serve.

Regenerate the stylesheet after changing the style:
`python -m app.markup.highlight > static/css/pygments.css`
"""

from pygments.formatters import HtmlFormatter

CODE_CSS_CLASS = "codehilite"
# xcode keeps every token colour at 5:1 or more against its background (WCAG 2.1 AA).
PYGMENTS_STYLE = "xcode"


def pygments_css() -> str:
    """Return the stylesheet for highlighted code blocks, every rule scoped to our class."""
    formatter = HtmlFormatter(style=PYGMENTS_STYLE, cssclass=CODE_CSS_CLASS)
    scope = f".{CODE_CSS_CLASS}"
    # Not get_style_defs(): it adds an unscoped `pre` rule and line-number rules we never use.
    rules = [*formatter.get_background_style_defs(scope), *formatter.get_token_style_defs(scope)]
    return "\n".join(rules) + "\n"


if __name__ == "__main__":
    print(pygments_css(), end="")
