"""Wiki pages as a Word (.docx) document, written with python-docx from the sanitised HTML
stored with each page: headings, paragraphs with bold, italic, code and links, nested
lists, tables, code blocks, quotes, and the page's images.

The caller decides which pages the reader may read; images are taken only from files of
pages the reader may read (``image_for`` answers None otherwise) and appear as their
alternative text when they cannot be placed.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph

from app.wiki.conversion import parse_html

HEADINGS = {f"h{level}": level for level in range(1, 7)}
# Word has nine heading levels; a page's title takes the first, its headings follow.
MAX_HEADING = 9
# Word's built-in list styles go three levels deep.
MAX_LIST_LEVEL = 3
INLINE = {"strong", "b", "em", "i", "code", "a", "span", "del", "s", "sup", "sub", "mark", "br"}
CODE_FONT = "Courier New"
IMAGE_WIDTH = Inches(6)
LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)
# The writer follows the markup level by level; deeper markup (a page of raw HTML nested
# thousands deep) keeps its text only.
MAX_NESTING = 40


class WordWriter:
    """Pages into one document. ``image_for(src)`` gives the file of an image the reader may
    see (None: show its alternative text); ``absolute(href)`` makes a link usable outside
    the intranet's pages (a site-relative address gets the public address in front)."""

    def __init__(
        self,
        image_for: Callable[[str], Path | None],
        absolute: Callable[[str], str],
    ) -> None:
        self.document: WordDocument = Document()
        self.image_for = image_for
        self.absolute = absolute

    def add_page(self, title: str, html: str, *, level: int = 1) -> None:
        """The page's title as a heading of ``level``; its own headings below that."""
        self.document.add_heading(title, level=min(level, MAX_HEADING))
        self._blocks(_limit_nesting(parse_html(html)), heading_offset=level)

    def save(self, title: str) -> io.BytesIO:
        self.document.core_properties.title = title
        out = io.BytesIO()
        self.document.save(out)
        out.seek(0)
        return out

    # --- blocks -----------------------------------------------------------------------------

    def _blocks(self, parent: etree.Element, *, heading_offset: int) -> None:
        loose: list[etree.Element | str] = []  # inline content between blocks
        if parent.text and parent.text.strip():
            loose.append(parent.text)
        for element in parent:
            if element.tag in INLINE or element.tag == "img":
                loose.append(element)
            else:
                self._loose(loose)
                loose = []
                self._block(element, heading_offset=heading_offset)
            if element.tail and element.tail.strip():
                loose.append(element.tail)
        self._loose(loose)

    def _loose(self, parts: list[etree.Element | str]) -> None:
        if not parts:
            return
        paragraph = self.document.add_paragraph()
        for part in parts:
            if isinstance(part, str):
                self._text(paragraph, part, {})
            else:
                self._inline_element(paragraph, part, {})
        _trim(paragraph)

    def _block(self, element: etree.Element, *, heading_offset: int) -> None:
        tag = element.tag
        if tag in HEADINGS:
            # Pages start their text at "##" (the title is the page's h1), some at "#": both
            # go one level below the title.
            level = max(HEADINGS[tag] + heading_offset - 1, heading_offset + 1)
            self._inline(self.document.add_heading(level=min(level, MAX_HEADING)), element)
        elif tag == "p":
            self._inline(self.document.add_paragraph(), element)
        elif tag in ("ul", "ol"):
            self._list(element, level=1)
        elif tag == "table":
            self._table(element)
        elif tag == "pre":
            self._code(element)
        elif tag == "blockquote":
            self._quote(element)
        elif tag == "hr":
            self.document.add_paragraph("—")
        else:  # div, section, figure, details, …: their content
            self._blocks(element, heading_offset=heading_offset)

    def _list(self, element: etree.Element, *, level: int) -> None:
        kind = "List Number" if element.tag == "ol" else "List Bullet"
        style = kind if level == 1 else f"{kind} {min(level, MAX_LIST_LEVEL)}"
        for item in element.findall("li"):
            paragraph = self.document.add_paragraph(style=style)
            nested = [child for child in item if child.tag in ("ul", "ol")]
            self._inline(paragraph, item, skip=("ul", "ol"), flatten_blocks=True)
            for sublist in nested:
                self._list(sublist, level=level + 1)

    def _table(self, element: etree.Element) -> None:
        rows = list(element.iter("tr"))
        if not rows:
            return
        width = max(len([c for c in row if c.tag in ("td", "th")]) for row in rows)
        if width == 0:
            return
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for row_number, row in enumerate(rows):
            cells = [c for c in row if c.tag in ("td", "th")]
            for column, cell in enumerate(cells):
                paragraph = table.cell(row_number, column).paragraphs[0]
                bold = {"bold": True} if cell.tag == "th" else {}
                self._inline(paragraph, cell, flatten_blocks=True, style=bold)

    def _code(self, element: etree.Element) -> None:
        paragraph = self.document.add_paragraph()
        lines = "".join(element.itertext()).rstrip("\n").split("\n")
        for number, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.font.name = CODE_FONT
            run.font.size = Pt(9)
            if number < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)

    def _quote(self, element: etree.Element) -> None:
        paragraph = self.document.add_paragraph(style="Quote")
        self._inline(paragraph, element, flatten_blocks=True)

    # --- inline -----------------------------------------------------------------------------

    def _inline(
        self,
        paragraph: Paragraph,
        element: etree.Element,
        *,
        skip: Iterable[str] = (),
        flatten_blocks: bool = False,
        style: dict | None = None,
    ) -> None:
        """The text and inline elements of ``element`` as runs of ``paragraph``; block
        children (a paragraph in a list item or cell) are joined in when flattening."""
        self._runs(paragraph, element, skip=skip, flatten_blocks=flatten_blocks, style=style)
        _trim(paragraph)

    def _runs(
        self,
        paragraph: Paragraph,
        element: etree.Element,
        *,
        skip: Iterable[str] = (),
        flatten_blocks: bool = False,
        style: dict | None = None,
    ) -> None:
        style = style or {}
        self._text(paragraph, element.text, style)
        for child in element:
            if child.tag not in skip:
                if flatten_blocks and child.tag not in INLINE and child.tag != "img":
                    if paragraph.text:
                        paragraph.add_run().add_break(WD_BREAK.LINE)
                    self._runs(paragraph, child, flatten_blocks=True, style=style)
                else:
                    self._inline_element(paragraph, child, style)
            self._text(paragraph, child.tail, style)

    def _inline_element(self, paragraph: Paragraph, element: etree.Element, style: dict) -> None:
        tag = element.tag
        if tag == "br":
            paragraph.add_run().add_break(WD_BREAK.LINE)
        elif tag == "img":
            self._image(paragraph, element)
        elif tag == "a" and element.get("href"):
            self._link(paragraph, element, style)
        else:
            inner = dict(style)
            if tag in ("strong", "b"):
                inner["bold"] = True
            elif tag in ("em", "i"):
                inner["italic"] = True
            elif tag == "code":
                inner["code"] = True
            elif tag in ("del", "s"):
                inner["strike"] = True
            self._runs(paragraph, element, style=inner)

    def _text(self, paragraph: Paragraph, text: str | None, style: dict) -> None:
        if not text:
            return
        run = paragraph.add_run(text if style.get("code") else _collapse(text))
        run.bold = style.get("bold") or None
        run.italic = style.get("italic") or None
        run.font.strike = style.get("strike") or None
        if style.get("code"):
            run.font.name = CODE_FONT

    def _link(self, paragraph: Paragraph, element: etree.Element, style: dict) -> None:
        """A real Word hyperlink (python-docx has no call for one: built from its XML)."""
        target = self.absolute(element.get("href", ""))
        text = _collapse("".join(element.itertext())) or target
        relation = paragraph.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), relation)
        run = paragraph.add_run(text)
        run.font.underline = True
        run.font.color.rgb = LINK_COLOUR
        run.bold = style.get("bold") or None
        run.italic = style.get("italic") or None
        # Move the run into the hyperlink element.
        link.append(run._r)
        paragraph._p.append(link)

    def _image(self, paragraph: Paragraph, element: etree.Element) -> None:
        alt = element.get("alt", "")
        path = self.image_for(element.get("src", ""))
        if path is not None and _picture(paragraph, path):
            return
        if alt:
            paragraph.add_run(f"[{alt}]").italic = True


def _picture(paragraph: Paragraph, path: Path) -> bool:
    """Place the image; False for a format Word cannot hold (WebP) or a damaged file."""
    try:
        paragraph.add_run().add_picture(str(path), width=IMAGE_WIDTH)
    except (UnrecognizedImageError, OSError, ValueError, ZeroDivisionError):
        return False
    return True


def _limit_nesting(root: etree.Element) -> etree.Element:
    """``root`` with every element past ``MAX_NESTING`` levels reduced to its text."""
    stack = [(root, 0)]
    while stack:  # no recursion: that is what this guards against
        element, depth = stack.pop()
        if depth >= MAX_NESTING and len(element):
            text = "".join(element.itertext())
            for child in list(element):
                element.remove(child)
            element.text = text
            continue
        stack.extend((child, depth + 1) for child in element)
    return root


def _trim(paragraph: Paragraph) -> None:
    """No white space at a paragraph's start or end (the line breaks around HTML's tags)."""
    runs = paragraph.runs
    # Blank runs at either end (the tail after a nested list) go whole. Only runs whose text
    # changes are set anew, and a run without text (a picture) ends the walk: setting the
    # text would drop its picture.
    for run in runs:
        if not run.text or (first := run.text.lstrip(" ")) == run.text:
            break
        run.text = first
        if first:
            break
    for run in reversed(runs):
        if not run.text or (last := run.text.rstrip(" ")) == run.text:
            break
        run.text = last
        if last:
            break


def _collapse(text: str) -> str:
    """HTML white space: runs of spaces and line breaks read as one space."""
    collapsed = " ".join(text.split())
    if text[:1].isspace() and collapsed:
        collapsed = " " + collapsed
    if text[-1:].isspace() and collapsed:
        collapsed += " "
    return collapsed or (" " if text else "")
