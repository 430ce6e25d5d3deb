"""Word (.docx) and LibreOffice (.odt) documents written from scratch for the import tests:
headings, nested lists, tables, links, images, footnotes, tracked changes, and hostile ones."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from PIL import Image

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
LINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def png(width: int = 6, height: int = 4, colour=(10, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _zip(parts: dict[str, bytes | str], *, first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(first, parts.pop(first), compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# ---- .docx ----------------------------------------------------------------------------------


def run(text: str, *, bold: bool = False, italic: bool = False) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*runs: str, style: str | None = None, list_level: int | None = None, num: int = 1) -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if list_level is not None:
        props += f'<w:numPr><w:ilvl w:val="{list_level}"/><w:numId w:val="{num}"/></w:numPr>'
    return f"<w:p><w:pPr>{props}</w:pPr>{''.join(runs)}</w:p>"


def link(text: str, rel_id: str) -> str:
    return f'<w:hyperlink r:id="{rel_id}">{run(text)}</w:hyperlink>'


def image(rel_id: str, alt: str) -> str:
    return (
        "<w:r><w:drawing><wp:inline xmlns:wp='http://schemas.openxmlformats.org/drawingml/2006/"
        f"wordprocessingDrawing'><wp:extent cx='600000' cy='400000'/><wp:docPr id='1' name='Bild' "
        f"descr='{escape(alt)}'/><a:graphic xmlns:a='http://schemas.openxmlformats.org/drawingml/"
        "2006/main'><a:graphicData uri='http://schemas.openxmlformats.org/drawingml/2006/picture'>"
        "<pic:pic xmlns:pic='http://schemas.openxmlformats.org/drawingml/2006/picture'>"
        f"<pic:nvPicPr><pic:cNvPr id='0' name='bild.png' descr='{escape(alt)}'/><pic:cNvPicPr/>"
        f"</pic:nvPicPr><pic:blipFill><a:blip r:embed='{rel_id}'/></pic:blipFill><pic:spPr/>"
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def table(rows: list[list[str]]) -> str:
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{para(run(cell))}</w:tc>" for cell in row) + "</w:tr>"
        for row in rows
    )
    return f"<w:tbl>{cells}</w:tbl>"


NUMBERING = f"""<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl>
<w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1">
<w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"""

STYLES = f"""<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
</w:styles>"""


def docx(
    body: str,
    *,
    title: str | None = None,
    links: dict[str, str] | None = None,
    images: dict[str, bytes] | None = None,
    footnotes: dict[int, str] | None = None,
    extra: dict[str, bytes | str] | None = None,
) -> bytes:
    """A .docx whose document body is ``body`` (WordprocessingML paragraphs)."""
    rels = [
        f'<Relationship Id="{rid}" Type="{LINK_REL}" Target="{escape(url)}" TargetMode="External"/>'
        for rid, url in (links or {}).items()
    ]
    rels += [
        f'<Relationship Id="{rid}" Type="{IMAGE_REL}" Target="media/{rid}.png"/>'
        for rid in images or {}
    ]
    rels.append(
        f'<Relationship Id="rNum" Type="{R}/numbering" Target="numbering.xml"/>'
        f'<Relationship Id="rSty" Type="{R}/styles" Target="styles.xml"/>'
    )
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="png" ContentType="image/png"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{REL}"><Relationship Id="rId1" Type="{R}/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}</w:body></w:document>'
        ),
        "word/numbering.xml": NUMBERING,
        "word/styles.xml": STYLES,
    }
    if footnotes:
        parts["word/footnotes.xml"] = (
            f'<w:footnotes xmlns:w="{W}">'
            + "".join(
                f'<w:footnote w:id="{number}">{para(run(text))}</w:footnote>'
                for number, text in footnotes.items()
            )
            + "</w:footnotes>"
        )
        rels.append(f'<Relationship Id="rFn" Type="{R}/footnotes" Target="footnotes.xml"/>')
    parts["word/_rels/document.xml.rels"] = (
        f'<Relationships xmlns="{REL}">{"".join(rels)}</Relationships>'
    )
    for rid, data in (images or {}).items():
        parts[f"word/media/{rid}.png"] = data
    if title:
        parts["docProps/core.xml"] = (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(title)}</dc:title></cp:coreProperties>"
        )
    parts.update(extra or {})
    return _zip(parts)


def footnote_ref(number: int) -> str:
    return f'<w:r><w:footnoteReference w:id="{number}"/></w:r>'


def tracked(deleted: str, inserted: str) -> str:
    return (
        f'<w:del w:id="1" w:author="Anna"><w:r><w:delText>{escape(deleted)}</w:delText></w:r>'
        f'</w:del><w:ins w:id="2" w:author="Anna">{run(inserted)}</w:ins>'
    )


def procedure_docx(title: str | None = None) -> bytes:
    """A service instruction as people write them."""
    return docx(
        para(run("Dienstanweisung Posteingang"), style="Heading1")
        + para(
            run("Die "),
            run("Poststelle", bold=True),
            run(" öffnet "),
            run("alle", italic=True),
            run(" "),
            tracked("Briefe", "Eingänge"),
            run("."),
            footnote_ref(1),
        )
        + para(run("Ablauf"), style="Heading2")
        + para(run("Briefe scannen"), list_level=0)
        + para(run("Rechnungen zuerst"), list_level=1)
        + para(run("Akten anlegen"), list_level=0)
        + para(run("Öffnen"), list_level=0, num=2)
        + para(run("Stempeln"), list_level=0, num=2)
        + table([["Frist", "Wer"], ["3 Tage", "Sachbearbeitung | Team"]])
        + para(run("Mehr im "), link("Handbuch", "rL1"), run(" oder "), link("hier", "rL2"))
        + para(image("rImg", "Lageplan der Poststelle")),
        links={"rL1": "https://intranet.example/handbuch", "rL2": "javascript:alert(1)"},
        images={"rImg": png()},
        footnotes={1: "Gilt seit 2026."},
        title=title,
    )


# ---- .odt -----------------------------------------------------------------------------------

ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)

ODT_STYLES = """<office:automatic-styles>
<style:style style:name="T1" style:family="text">
<style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="T2" style:family="text">
<style:text-properties fo:font-style="italic"/></style:style>
<text:list-style style:name="L1"><text:list-level-style-bullet text:level="1"/></text:list-style>
<text:list-style style:name="L2"><text:list-level-style-number text:level="1"/></text:list-style>
</office:automatic-styles>"""


def odt(body: str, *, title: str | None = None, pictures: dict[str, bytes] | None = None) -> bytes:
    parts: dict[str, bytes | str] = {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "META-INF/manifest.xml": (
            "<manifest:manifest "
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.'
            'oasis.opendocument.text"/></manifest:manifest>'
        ),
        "content.xml": (
            f"<office:document-content {ODT_NS}>{ODT_STYLES}<office:body><office:text>"
            f"{body}</office:text></office:body></office:document-content>"
        ),
    }
    if title:
        parts["meta.xml"] = (
            f"<office:document-meta {ODT_NS}><office:meta><dc:title>{escape(title)}</dc:title>"
            "</office:meta></office:document-meta>"
        )
    for name, data in (pictures or {}).items():
        parts[f"Pictures/{name}"] = data
    return _zip(parts, first="mimetype")


def minutes_odt(title: str = "Protokoll Ratssitzung") -> bytes:
    """Minutes written in LibreOffice."""
    return odt(
        "<text:tracked-changes><text:changed-region text:id='c1'><text:deletion>"
        "<text:p>Gelöschter Entwurf</text:p></text:deletion></text:changed-region>"
        "</text:tracked-changes>"
        '<text:h text:outline-level="2">Tagesordnung</text:h>'
        '<text:p>Beginn: <text:span text:style-name="T1">9 Uhr</text:span>, '
        '<text:span text:style-name="T2">pünktlich</text:span>.<text:note text:note-class='
        '"footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Im '
        "Ratssaal.</text:p></text:note-body></text:note></text:p>"
        '<text:list text:style-name="L1"><text:list-item><text:p>Haushalt</text:p>'
        "<text:list><text:list-item><text:p>Nachtrag</text:p></text:list-item></text:list>"
        "</text:list-item><text:list-item><text:p>Personal</text:p></text:list-item></text:list>"
        '<text:list text:style-name="L2"><text:list-item><text:p>Erstens</text:p></text:list-item>'
        "<text:list-item><text:p>Zweitens</text:p></text:list-item></text:list>"
        "<table:table><table:table-row><table:table-cell><text:p>Punkt</text:p></table:table-cell>"
        "<table:table-cell><text:p>Ergebnis</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>Haushalt</text:p></table:table-cell>"
        "<table:table-cell><text:p>beschlossen</text:p></table:table-cell></table:table-row>"
        "</table:table>"
        '<text:p>Siehe <text:a xlink:href="https://intranet.example/rat">Ratsinfo</text:a> und '
        '<text:a xlink:href="javascript:alert(1)">das</text:a>.'
        "<office:annotation><text:p>Kommentar von Anna</text:p></office:annotation></text:p>"
        '<text:p><draw:frame draw:name="Sitzplan"><draw:image xlink:href="Pictures/plan.png"/>'
        "<svg:title>Sitzplan</svg:title></draw:frame></text:p>",
        title=title,
        pictures={"plan.png": png(5, 5)},
    )


# ---- .pdf -----------------------------------------------------------------------------------


def pdf(*lines: str) -> bytes:
    """A one-page PDF showing `lines` in Helvetica, written object by object."""
    text = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 712 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def encrypted_pdf(*lines: str, password: str = "geheim") -> bytes:
    """The same PDF, encrypted with a password (by pypdf)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(*lines))))
    writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
