"""CSV that spreadsheets open as they should: German Excel reads UTF-8 only behind a byte
order mark and splits cells at ";" (its list separator), and a cell that starts like a
formula must not run as one. Rows are written as they come, so a long export is streamed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Response, stream_with_context

BYTE_ORDER_MARK = "\ufeff"
DELIMITER = ";"
# A cell starting with one of these would run as a formula when opened in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The header and every row as CSV text, a line at a time, behind the byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER)

    def line(cells: Iterable[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield BYTE_ORDER_MARK + line(header)
    for row in rows:
        yield line(neutralised(value) for value in row)


def csv_download(lines: Iterator[str], filename: str) -> Response:
    """A streamed CSV attachment; the request context stays open while rows are read."""
    return Response(
        stream_with_context(lines),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
