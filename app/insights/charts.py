"""Charts drawn on the server as accessible SVG: role="img" with a <title> and <desc>, and
always shown next to a table with the same figures."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 220
CHART_WIDTH = 640
COLUMN_CHART_HEIGHT = 200
# At 12 px about 7 px a character: longer labels would run past the left edge.
MAX_LABEL = 28


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else f"{label[: MAX_LABEL - 1]}…"


def _frame(name: str, width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    title_id, desc_id = f"chart-{name}-title", f"chart-{name}-desc"
    # The title shows above the chart; the box scrolls on a phone rather than shrinking the
    # text below reading size.
    return Markup(
        f'<figure class="insights-figure"><figcaption class="insights-caption" '
        f'aria-hidden="true">{escape(title)}</figcaption><div class="insights-scroll">'
        f'<svg xmlns="http://www.w3.org/2000/svg" class="insights-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(desc)}</desc>{"".join(body)}</svg></div></figure>'
    )


def bar_chart(name: str, title: str, desc: str, rows: list[tuple[str, int]]) -> Markup:
    """Horizontal bars, one per (label, value), each with its value written beside it.
    ``name`` makes the chart's ids unique on the page."""
    height = max(len(rows), 1) * (BAR_HEIGHT + GAP) + GAP
    largest = max((value for _label, value in rows), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 60
    body = []
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = max(int(room * value / largest), 1)
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" '
            f'class="chart-label">{escape(_short(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
            f'class="chart-bar"></rect>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 16}" class="chart-value">{value}</text>'
        )
    return _frame(name, CHART_WIDTH, height, title, desc, body)


def column_chart(name: str, title: str, desc: str, rows: list[tuple[str, int]]) -> Markup:
    """Vertical columns over time, labelled below and valued above."""
    count = max(len(rows), 1)
    slot = (CHART_WIDTH - 20) / count
    top, bottom = 20, 30
    room = COLUMN_CHART_HEIGHT - top - bottom
    largest = max((value for _label, value in rows), default=0) or 1
    body = [
        f'<line x1="10" y1="{top + room}" x2="{CHART_WIDTH - 10}" y2="{top + room}" '
        f'class="chart-axis"></line>'
    ]
    for index, (label, value) in enumerate(rows):
        height = int(room * value / largest)
        x = 10 + index * slot + slot * 0.15
        width = slot * 0.7
        body.append(
            f'<rect x="{x:.1f}" y="{top + room - height}" width="{width:.1f}" '
            f'height="{height}" class="chart-bar"></rect>'
            f'<text x="{x + width / 2:.1f}" y="{top + room - height - 4}" '
            f'text-anchor="middle" class="chart-value">{value}</text>'
            f'<text x="{x + width / 2:.1f}" y="{COLUMN_CHART_HEIGHT - 10}" '
            f'text-anchor="middle" class="chart-label">{escape(label)}</text>'
        )
    return _frame(name, CHART_WIDTH, COLUMN_CHART_HEIGHT, title, desc, body)
