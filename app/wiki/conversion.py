"""Word (.docx) and LibreOffice (.odt) documents to the Markdown of a wiki page.

.docx goes through mammoth (maintained, reads the document's structure rather than its
looks: headings, lists, tables, links, images, footnotes; tracked deletions are left out);
.odt is read here from its content.xml with defusedxml. Both become a small HTML-like tree
that one writer turns into Markdown, and the page is rendered and sanitised like any other.

Documents are zip files from outside: before any XML is parsed the archive is checked
against zip bombs, macros and document type declarations (entity expansion, external
entities). Images keep to a size and pixel limit.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as etree
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath

import mammoth
from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException
from flask_babel import gettext as _
from PIL import Image

from app.errors import Invalid

IMPORTABLE = ("docx", "odt")
MAX_UNPACKED_BYTES = 200 * 1000 * 1000
MAX_RATIO = 100  # a zip bomb packs far more than text and pictures do
MAX_MEMBERS = 5000
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGES = 200
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
# Where an image goes before the page has attachments: replaced by their addresses.
IMAGE_PLACEHOLDER = "kollegium-import-image:"


@dataclass
class Converted:
    title: str
    markdown: str
    images: list[tuple[str, bytes]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left out, for the summary


def convert_document(filename: str, data: bytes) -> Converted:
    """Read a .docx or .odt. Raises Invalid with a reason a person can act on."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in IMPORTABLE:
        raise Invalid(_("Only Word (.docx) and LibreOffice (.odt) documents can be imported."))
    archive = _open_archive(data)
    fallback = PurePosixPath(filename.replace("\\", "/")).stem.replace("_", " ").strip()
    try:
        if extension == "docx":
            return _convert_docx(archive, data, fallback)
        return _convert_odt(archive, fallback)
    except (DefusedXmlException, etree.ParseError, KeyError, ValueError) as err:
        raise Invalid(_("The document is damaged or not a %(kind)s file.", kind=extension)) from err


def _open_archive(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise Invalid(_("The document is damaged or not a Word or LibreOffice file.")) from err
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        raise Invalid(_("The document unpacks to more than the import allows."))
    if unpacked > MAX_RATIO * max(len(data), 1) and unpacked > 10 * 1000 * 1000:
        raise Invalid(_("The document unpacks to more than the import allows."))
    names = {member.filename.lower() for member in members}
    if any(name.endswith("vbaproject.bin") or name.startswith("basic/") for name in names):
        raise Invalid(_("The document contains macros; save it without them and try again."))
    for member in members:
        if member.filename.lower().endswith((".xml", ".rels")):
            head = archive.read(member)[:4096]
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise Invalid(_("The document contains declarations that are not allowed."))
    return archive


def _checked_image(data: bytes, notes: list[str], images: list) -> tuple[str, bytes] | None:
    """The image's extension and bytes if it is a picture we keep, else None (noted)."""
    if len(images) >= MAX_IMAGES:
        notes.append(_("Images beyond %(count)d were left out.", count=MAX_IMAGES))
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            kind = IMAGE_FORMATS.get(image.format or "")
    except (Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        kind, width, height = None, 0, 0
    if kind is None:
        notes.append(_("An image in a format the wiki does not show was left out."))
        return None
    if width * height > MAX_IMAGE_PIXELS:
        notes.append(_("An image too large to show (%(width)d × %(height)d) was left out.",
                       width=width, height=height))  # fmt: skip
        return None
    return kind, data


# ---- .docx ----------------------------------------------------------------------------------


def _convert_docx(archive: zipfile.ZipFile, data: bytes, fallback: str) -> Converted:
    converted = Converted(title="", markdown="")

    def image_element(image) -> dict[str, str]:
        with image.open() as stream:
            raw = stream.read(MAX_UNPACKED_BYTES)
        checked = _checked_image(raw, converted.notes, converted.images)
        if checked is None:
            return {}
        kind, raw = checked
        converted.images.append((f"bild-{len(converted.images) + 1}.{kind}", raw))
        return {
            "src": f"{IMAGE_PLACEHOLDER}{len(converted.images) - 1}",
            "alt": image.alt_text or "",
        }

    result = mammoth.convert_to_html(
        io.BytesIO(data), convert_image=mammoth.images.img_element(image_element)
    )
    tree = parse_html(result.value)
    converted.title = _core_title(archive, "docProps/core.xml") or ""
    converted.markdown, converted.title = _finish(tree, converted.title, fallback)
    return converted


def _core_title(archive: zipfile.ZipFile, name: str) -> str | None:
    try:
        root = SafeTree.fromstring(archive.read(name), forbid_dtd=True)
    except KeyError:
        return None
    for element in root.iter():
        if element.tag.endswith("}title") and (element.text or "").strip():
            return element.text.strip()[:200]
    return None


class _TreeBuilder(HTMLParser):
    """Balanced, simple HTML (mammoth's, or a page's sanitised HTML) as an ElementTree."""

    VOID = {"br", "img", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = etree.Element("body")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = etree.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def parse_html(markup: str) -> etree.Element:
    """``markup`` as the children of a ``body`` element (the .docx import and export)."""
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


# ---- .odt -----------------------------------------------------------------------------------

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


class _OdtReader:
    """content.xml of an .odt as the same small HTML tree the .docx conversion gives."""

    def __init__(self, archive: zipfile.ZipFile, converted: Converted) -> None:
        self.archive = archive
        self.converted = converted
        self.bold: set[str] = set()
        self.italic: set[str] = set()
        self.numbered: set[str] = set()
        self.notes: list[etree.Element] = []

    def read(self) -> etree.Element:
        root = SafeTree.fromstring(self.archive.read("content.xml"), forbid_dtd=True)
        for holder in (root, self._styles_root()):
            if holder is not None:
                self._read_styles(holder)
        body = root.find(f"{_q('office:body')}/{_q('office:text')}")
        if body is None:
            raise ValueError("no text body")
        out = etree.Element("body")
        self._blocks(body, out)
        if self.notes:
            notes = etree.SubElement(out, "ol", {"class": "footnotes"})
            notes.extend(self.notes)
        return out

    def _styles_root(self) -> etree.Element | None:
        try:
            return SafeTree.fromstring(self.archive.read("styles.xml"), forbid_dtd=True)
        except KeyError:
            return None

    def _read_styles(self, root: etree.Element) -> None:
        for style in root.iter(_q("style:style")):
            name = style.get(_q("style:name"), "")
            props = style.find(_q("style:text-properties"))
            if props is None:
                continue
            if props.get(_q("fo:font-weight")) in {"bold", "600", "700", "800", "900"}:
                self.bold.add(name)
            if props.get(_q("fo:font-style")) == "italic":
                self.italic.add(name)
        for list_style in root.iter(_q("text:list-style")):
            if list_style.find(_q("text:list-level-style-number")) is not None:
                self.numbered.add(list_style.get(_q("style:name"), ""))

    def _blocks(self, source: etree.Element, out: etree.Element, list_style: str = "") -> None:
        for child in source:
            tag = child.tag
            if tag == _q("text:h"):
                level = min(max(int(child.get(_q("text:outline-level"), "1") or 1), 1), 6)
                self._inline(child, etree.SubElement(out, f"h{level}"))
            elif tag == _q("text:p"):
                self._inline(child, etree.SubElement(out, "p"))
            elif tag == _q("text:list"):
                style = child.get(_q("text:style-name"), list_style)
                lst = etree.SubElement(out, "ol" if style in self.numbered else "ul")
                for item in child:
                    if item.tag in {_q("text:list-item"), _q("text:list-header")}:
                        self._blocks(item, etree.SubElement(lst, "li"), style)
            elif tag == _q("table:table"):
                self._table(child, etree.SubElement(out, "table"))
            elif tag == _q("text:section"):
                self._blocks(child, out, list_style)
            # tracked changes (text:tracked-changes) hold deleted text: left out

    def _table(self, source: etree.Element, out: etree.Element) -> None:
        for row in source.iter(_q("table:table-row")):
            tr = etree.SubElement(out, "tr")
            for cell in row:
                if cell.tag == _q("table:table-cell"):
                    td = etree.SubElement(tr, "td")
                    for paragraph in cell:
                        if len(td) or td.text:
                            etree.SubElement(td, "br")
                        self._inline(paragraph, td)

    def _inline(self, source: etree.Element, out: etree.Element) -> None:
        _append_text(out, source.text)
        for child in source:
            tag = child.tag
            if tag == _q("text:span"):
                style = child.get(_q("text:style-name"), "")
                target = out
                if style in self.bold:
                    target = etree.SubElement(target, "strong")
                if style in self.italic:
                    target = etree.SubElement(target, "em")
                self._inline(child, target)
            elif tag == _q("text:a"):
                link = etree.SubElement(out, "a", {"href": child.get(_q("xlink:href"), "")})
                self._inline(child, link)
            elif tag == _q("text:s"):
                _append_text(out, " " * min(int(child.get(_q("text:c"), "1") or 1), 100))
            elif tag == _q("text:tab"):
                _append_text(out, " ")
            elif tag == _q("text:line-break"):
                etree.SubElement(out, "br")
            elif tag == _q("text:note"):
                self._note(child, out)
            elif tag == _q("draw:frame"):
                self._image(child, out)
            elif tag in {_q("text:bookmark-ref"), _q("text:sequence"), _q("text:date")}:
                self._inline(child, out)
            # annotations (comments), change marks, bookmarks: left out
            _append_text(out, child.tail)

    def _note(self, note: etree.Element, out: etree.Element) -> None:
        number = len(self.notes) + 1
        etree.SubElement(out, "a", {"id": f"footnote-ref-{number}"})
        item = etree.Element("li", {"id": f"footnote-{number}"})
        body = note.find(_q("text:note-body"))
        if body is not None:
            for paragraph in body:
                if paragraph.tag == _q("text:p"):
                    self._inline(paragraph, item)
        self.notes.append(item)

    def _image(self, frame: etree.Element, out: etree.Element) -> None:
        image = frame.find(_q("draw:image"))
        href = image.get(_q("xlink:href"), "") if image is not None else ""
        if not href or "://" in href or href.startswith("/"):
            return  # linked from elsewhere, not inside the document
        try:
            raw = self.archive.read(href.lstrip("./"))
        except KeyError:
            return
        converted = self.converted
        checked = _checked_image(raw, converted.notes, converted.images)
        if checked is None:
            return
        kind, raw = checked
        converted.images.append((f"bild-{len(converted.images) + 1}.{kind}", raw))
        title = frame.find(_q("svg:title"))
        alt = (title.text or "") if title is not None else ""
        src = f"{IMAGE_PLACEHOLDER}{len(converted.images) - 1}"
        etree.SubElement(out, "img", {"src": src, "alt": alt or frame.get(_q("draw:name"), "")})


def _append_text(element: etree.Element, text: str | None) -> None:
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _convert_odt(archive: zipfile.ZipFile, fallback: str) -> Converted:
    converted = Converted(title="", markdown="")
    tree = _OdtReader(archive, converted).read()
    title = _core_title(archive, "meta.xml") or ""
    converted.markdown, converted.title = _finish(tree, title, fallback)
    return converted


# ---- the tree as Markdown -------------------------------------------------------------------


def _finish(tree: etree.Element, title: str, fallback: str) -> tuple[str, str]:
    """Markdown of the tree and the page title: the document's, else its first top heading
    (then left out of the text, the page shows its title), else the file name."""
    first = next((child for child in tree if child.tag in {"h1", "h2", "p"}), None)
    if not title and first is not None and first.tag == "h1":
        title = _plain(first)
        tree.remove(first)
    elif title and first is not None and first.tag == "h1" and _plain(first) == title:
        tree.remove(first)
    markdown = MarkdownWriter().document(tree)
    return markdown, (title or fallback or _("Imported document"))[:200]


def _plain(element: etree.Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


_ESCAPE = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+\.)(?=\s|$)")


def _escape(text: str) -> str:
    text = _ESCAPE.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;")


class MarkdownWriter:
    """The small HTML tree of a converted document as Python-Markdown's dialect."""

    def __init__(self) -> None:
        self.footnotes: list[str] = []

    def document(self, tree: etree.Element) -> str:
        blocks = self.blocks(tree)
        if self.footnotes:
            blocks.append("\n".join(self.footnotes))
        return "\n\n".join(block for block in blocks if block.strip()) + "\n"

    def blocks(self, parent: etree.Element) -> list[str]:
        out: list[str] = []
        loose = self.inline_text(parent.text)
        for child in parent:
            tag = child.tag
            if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                out.append(f"{'#' * int(tag[1])} {self.line(child)}")
            elif tag == "p":
                text = self.inline(child).strip()
                if text:
                    out.append(_LINE_START.sub(r"\1\\\2", text))
            elif tag in {"ul", "ol"}:
                if child.get("class") == "footnotes" or self.is_footnote_list(child):
                    self.collect_footnotes(child)
                else:
                    out.append(self.list(child))
            elif tag == "table":
                out.append(self.table(child))
            elif tag == "blockquote":
                inner = "\n\n".join(self.blocks(child))
                out.append("\n".join(f"> {line}".rstrip() for line in inner.split("\n")))
            else:
                loose += self.inline(child, with_tail=False)
            loose += self.inline_text(child.tail)
        if loose.strip():
            out.insert(0, loose.strip())
        return out

    def is_footnote_list(self, element: etree.Element) -> bool:
        items = [child for child in element if child.tag == "li"]
        return bool(items) and all(i.get("id", "").startswith("footnote-") for i in items)

    def collect_footnotes(self, element: etree.Element) -> None:
        for item in element:
            number = item.get("id", "").rsplit("-", 1)[-1]
            text = " ".join(self.blocks(item)).replace("\n", " ").strip()
            self.footnotes.append(f"[^{number}]: {text}")

    def list(self, element: etree.Element) -> str:
        lines = []
        number = int(element.get("start", "1") or 1)
        for item in element:
            if item.tag != "li":
                continue
            marker = f"{number}. " if element.tag == "ol" else "- "
            number += 1
            blocks = self.blocks(item) or [""]
            first, *rest = blocks
            lines.append(marker + first.replace("\n", "\n    "))
            for block in rest:
                lines.append("\n".join(f"    {line}" if line else "" for line in block.split("\n")))
        return "\n".join(lines)

    def table(self, element: etree.Element) -> str:
        rows = []
        for row in element.iter("tr"):
            cells = [
                self.line(cell).replace("|", "\\|") or " "
                for cell in row
                if cell.tag in {"td", "th"}
            ]
            if cells:
                rows.append(cells)
        if not rows:
            return ""
        width = max(len(cells) for cells in rows)
        lines = []
        for index, cells in enumerate(rows):
            cells += [" "] * (width - len(cells))
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                lines.append("|" + " --- |" * width)
        return "\n".join(lines)

    def line(self, element: etree.Element) -> str:
        return re.sub(r"\s*\n\s*", " ", self.inline(element)).strip()

    def inline_text(self, text: str | None) -> str:
        return _escape(re.sub(r"[ \t\r\n]+", " ", text)) if text else ""

    def inline(self, element: etree.Element, *, with_tail: bool = False) -> str:
        tag = element.tag
        inner = self.inline_text(element.text) + "".join(
            self.inline(child, with_tail=True) for child in element
        )
        if tag in {"strong", "b"}:
            text = _wrap(inner, "**")
        elif tag in {"em", "i"}:
            text = _wrap(inner, "*")
        elif tag == "br":
            text = "  \n"
        elif tag == "img":
            src = element.get("src", "")
            # Only the document's own pictures, now attachments; nothing from elsewhere.
            ours = src.startswith(IMAGE_PLACEHOLDER)
            text = f"![{_escape(element.get('alt', ''))}]({src})" if ours else ""
        elif tag == "a":
            text = self.link(element, inner)
        elif tag in {"ul", "ol", "table", "p"} or re.fullmatch(r"h[1-6]", tag):
            # A block inside a line (a list in a table cell): its words, on the line.
            text = " " + " ".join(self.blocks(element)).replace("\n", " ") + " "
        else:
            text = inner
        if with_tail:
            text += self.inline_text(element.tail)
        return text

    def link(self, element: etree.Element, inner: str) -> str:
        href = (element.get("href") or "").strip()
        anchor = element.get("id", "")
        if anchor.startswith("footnote-ref-"):
            return f"[^{anchor.rsplit('-', 1)[-1]}]"
        if href.startswith("#footnote-"):
            # mammoth's reference ("[1]") and the note's way back ("↑").
            number = href.rsplit("-", 1)[-1]
            return f"[^{number}]" if not href.startswith("#footnote-ref-") else ""
        if not SAFE_LINK.match(href):
            return inner  # javascript:, file:, internal anchors: the words stay
        target = href.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
        return f"[{inner.strip() or _escape(href)}]({target})"


def _wrap(text: str, marker: str) -> str:
    """Emphasis around words, with the spaces outside (Markdown needs it so)."""
    match = re.match(r"^(\s*)(.*?)(\s*)$", text, re.DOTALL)
    lead, core, trail = match.groups() if match else ("", text, "")
    return f"{lead}{marker}{core}{marker}{trail}" if core else text


__all__ = ["IMAGE_PLACEHOLDER", "IMPORTABLE", "Converted", "convert_document"]
