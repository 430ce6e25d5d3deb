"""Hostile input: whatever goes in, no executable HTML comes out.

The output is checked by parsing it with the standard library's html.parser, independent
of the sanitiser under test, so that a test fails on structure, not on spelling.
"""

import re
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.markup import render_markdown, render_micro, sanitize

EXECUTABLE_TAGS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg",
        "math", "base", "meta", "link", "form", "button", "select", "textarea", "template",
        "noscript", "noembed", "xmp", "plaintext", "title", "portal", "video", "audio",
    }
)  # fmt: skip
# Every attribute the sanitiser may let through; anything else is a finding.
KNOWN_ATTRIBUTES = frozenset(
    {
        "href", "src", "alt", "title", "width", "height", "id", "class", "rel", "align",
        "colspan", "rowspan", "scope", "start", "reversed", "value", "open", "type",
        "disabled", "checked",
    }
)  # fmt: skip
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "srcset", "poster", "cite"})
DANGEROUS_SCHEME = re.compile(r"(?:javascript|data|vbscript|file):")
ALLOWED_ID = re.compile(r"(?:h|fn|fnref\d*)-\S+")


class EchoResolver:
    """A careless resolver that puts whatever the author wrote into the URL."""

    def wiki_link(self, title: str) -> tuple[str, bool]:
        return title, False

    def mention(self, username: str) -> str | None:
        return username

    def tag(self, tag: str) -> str:
        return tag


def _without_noise(url: str) -> str:
    """The URL as a browser reads its scheme: no whitespace, controls or invisibles."""
    return "".join(
        c for c in url if not c.isspace() and unicodedata.category(c)[0] not in "CZ"
    ).lower()


class _Audit(HTMLParser):
    """Lists everything in an HTML document that could run or hijack a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in EXECUTABLE_TAGS:
            self.findings.append(f"<{tag}>")
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on") or name not in KNOWN_ATTRIBUTES:
                self.findings.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and DANGEROUS_SCHEME.match(_without_noise(value)):
                self.findings.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and _without_noise(value).startswith(("//", "/\\")):
                self.findings.append(f"<{tag} {name}={value!r}> (other host)")
        if "id" in values and not ALLOWED_ID.fullmatch(values["id"]):
            self.findings.append(f"<{tag} id={values['id']!r}>")
        if tag == "input" and (values.get("type") != "checkbox" or "disabled" not in values):
            self.findings.append(f"live <input {values}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.findings.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.findings.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.findings.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.findings.append(f"<![{data}]>")


def executable_parts(html: str) -> list[str]:
    """Return what in `html` could execute or hijack the page; [] when it is inert."""
    audit = _Audit()
    audit.feed(html)
    audit.close()
    return audit.findings


RENDERERS: dict[str, Callable[[str], str]] = {
    "sanitize": sanitize,
    "markdown": lambda source: render_markdown(source).html,
    "markdown+resolver": lambda source: render_markdown(source, EchoResolver()).html,
    "micro": lambda source: render_micro(source).html,
    "micro+resolver": lambda source: render_micro(source, EchoResolver()).html,
}

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "script upper": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "script mixed case": "<ScRiPt>alert(1)</sCrIpT>",
    "script split": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "script attributes": '<script type="text/javascript" src="data:,alert(1)"></script>',
    "script in markdown paragraph": "Hello <script>alert(1)</script> world",
    "script unclosed": "<script>alert(1)",
    "img onerror": "<img src=x onerror=alert(1)>",
    "img onerror no quotes slash": "<img/src=x/onerror=alert(1)>",
    "body onload": "<body onload=alert(1)>",
    "event on allowed tag": '<p onclick="alert(1)" onmouseover=alert(2)>x</p>',
    "event newline separated": "<a\nhref=/x\nonclick\n=\nalert(1)>x</a>",
    "href javascript": '<a href="javascript:alert(1)">x</a>',
    "href javascript spaced mixed case": '<a href="  JaVaScRiPt:alert(1)">x</a>',
    "href javascript tab": '<a href="java\tscript:alert(1)">x</a>',
    "href javascript newline": '<a href="java\nscript:alert(1)">x</a>',
    "href javascript control char": '<a href="\x01javascript:alert(1)">x</a>',
    "href decimal entity": '<a href="&#106;avascript:alert(1)">x</a>',
    "href padded decimal entity": '<a href="&#0000106&#0000097vascript:alert(1)">x</a>',
    "href hex entity": '<a href="&#x6A;avascript:alert(1)">x</a>',
    "href entity tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "href named entity colon": '<a href="javascript&colon;alert(1)">x</a>',
    "href newline entity": '<a href="jav&NewLine;ascript:alert(1)">x</a>',
    "href vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "href data": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "href protocol relative": '<a href="//evil.example/">x</a>',
    "href backslash host": '<a href="/\\evil.example/">x</a>',
    "img data": '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "md link javascript": "[click](javascript:alert(1))",
    "md link javascript spaced": "[click]( javascript:alert(1) )",
    "md link javascript angle": "[click](<javascript:alert(1)>)",
    "md link entity": "[click](&#106;avascript:alert(1))",
    "md link hex entity": "[click](&#x6A;avascript&#x3A;alert(1))",
    "md link escaped colon": "[click](javascript\\:alert(1))",
    "md link title breakout": '[x](/a "title\\" onmouseover=\\"alert(1))',
    "md image javascript": "![x](javascript:alert(1))",
    "md image data": "![x](data:image/png;base64,AAAA)",
    "md image onerror alt": '![x" onerror="alert(1)](/a.png)',
    "md reference javascript": "[x][r]\n\n[r]: javascript:alert(1)",
    "md reference image vbscript": "![x][r]\n\n[r]: vbscript:msgbox(1)",
    "md autolink javascript": "<javascript:alert(1)>",
    "md autolink data": "<data:text/html,<script>alert(1)</script>>",
    "md autolink mail hack": "<javascript:alert(1)@example.org>",
    "wiki link javascript": "[[javascript:alert(1)]]",
    "wiki link label javascript": "[[javascript:alert(1)|click]]",
    "wiki link html": "[[<img src=x onerror=alert(1)>|<script>alert(1)</script>]]",
    "mention javascript": "@javascript:alert(1)",
    "tag javascript": "#javascript:alert(1)",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "svg onload": "<svg onload=alert(1)>",
    "svg animate": "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "svg use": '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>',
    "svg foreignobject": "<svg><foreignObject><iframe src=javascript:alert(1)>",
    "svg xlink": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "math href": '<math href="javascript:alert(1)">x</math>',
    "math mtext mglyph style": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "math maction": '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>">',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "form": '<form action="javascript:alert(1)"><button>x</button></form>',
    "formaction": '<button formaction="javascript:alert(1)">x</button>',
    "text input": '<input type="text" value="x" autofocus onfocus=alert(1)>',
    "input without type": "<input autofocus onfocus=alert(1)>",
    "live checkbox": '<input type="checkbox" onchange=alert(1)>',
    "base": '<base href="https://evil.example/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "style tag": "<style>body{background:url(javascript:alert(1))}</style>",
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "style expression": '<div style="width: expression(alert(1))">x</div>',
    "unbalanced tags": "<div><p><b>x</div></p><a href='javascript:alert(1)'>",
    "unclosed attribute": '<a href="/x onclick=alert(1)>x',
    "unclosed tag": "<img src=x onerror=alert(1)",
    "html comment": "<!-- <script>alert(1)</script> -->",
    "conditional comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "comment breakout": "<!--><img src=x onerror=alert(1)>-->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "processing instruction": '<?xml version="1.0"?><script>alert(1)</script>',
    "doctype": "<!DOCTYPE html><script>alert(1)</script>",
    "noscript mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "textarea mutation": '<textarea><img title="</textarea><img src=x onerror=alert(1)>">',
    "template": "<template><script>alert(1)</script></template>",
    "id clobbering": '<img id="location" name="location"><form id="x">',
    "double encoded": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "null byte": "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "code block": "```html\n<script>alert(1)</script>\n```",
    "code span": "`<script>alert(1)</script>`",
    "html block": '<div markdown="1">\n<script>alert(1)</script>\n</div>',
    "table cell": "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "footnote": "x[^1]\n\n[^1]: <script>alert(1)</script>[y](javascript:alert(1))",
    "task list": "- [x] <img src=x onerror=alert(1)>\n- [ ] [y](javascript:alert(1))",
}


@pytest.mark.parametrize("renderer", RENDERERS.values(), ids=RENDERERS.keys())
@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_renders_inert(source: str, renderer: Callable[[str], str]) -> None:
    assert executable_parts(renderer(source)) == []


def test_audit_finds_what_a_careless_sanitiser_would_let_through() -> None:
    # The oracle must be able to fail: feed it what a naive clean-up leaves behind.
    leftovers = [
        "<SCRIPT>x</SCRIPT>",
        '<a href="&#106;avascript:x">x</a>',
        '<a href=" java\tscript:x">x</a>',
        "<img src=x onerror=x>",
        '<p style="color:red">x</p>',
        '<a href="//evil.example">x</a>',
        "<input>",
        '<div id="location">x</div>',
        "<!-- x -->",
        "<svg></svg>",
    ]
    assert all(executable_parts(html) for html in leftovers)


def test_disallowed_tags_come_back_as_visible_text() -> None:
    assert sanitize("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_markdown_link_with_javascript_keeps_its_text_without_href() -> None:
    assert render_markdown("[click](javascript:alert(1))").html == "<p><a>click</a></p>"


def test_wiki_link_from_careless_resolver_loses_dangerous_url() -> None:
    html = render_markdown("[[javascript:alert(1)]]", EchoResolver()).html
    assert html == '<p><a class="wiki-link wiki-missing">javascript:alert(1)</a></p>'


# Pieces of attacks; Hypothesis glues them together with arbitrary text in between.
FRAGMENTS = [
    "<", ">", "/", "=", '"', "'", "`", " ", "\t", "\n", "\n\n", "\x00", "\x0b", "\u2028",
    "&", "#", ";", ":", "&#", "&#x", "&#106;", "&#x6A;", "&#0000106", "&colon;", "&Tab;",
    "&NewLine;", "javascript:", "JaVaScRiPt:", "java\tscript:", "java\nscript:", "data:",
    "vbscript:", "alert(1)", "<script>", "</script>", "<scr", "ipt>", "<style>", "</style>",
    "<img src=x", " onerror=", "onload=", " onclick=", "<svg", "<math", "<mtext>", "<mglyph>",
    "<iframe", "<object", "<embed", "<base href=", "<meta", "<link", "<form", "<input",
    'type="checkbox"', "<a href=", "<a", "</a>", "<p", "</p>", "<div", "</div>", "<table>",
    "<noscript>", "</noscript>", "<textarea>", "<template>", "<select>", "<!--", "-->",
    "<![CDATA[", "]]>", "<!DOCTYPE", "<?", "?>", "[", "]", "(", ")", "](", "[[", "]]", "|",
    "![", "[^1]", "[^1]: ", "[r]: ", "`", "```", "    ", "- [ ] ", "- [x] ", "# ", "| a |",
    "|---|", "@", "@anna", "#tag", "http://", "https://", "//evil.example", "/\\", "www.",
    "*", "_", "**", "\\", "style=", "id=", "class=", "rel=",
]  # fmt: skip


@st.composite
def disguised_scheme(draw: st.DrawFn) -> str:
    """A dangerous scheme in a random spelling: case, entities, whitespace and controls."""
    scheme = draw(st.sampled_from(["javascript:", "data:", "vbscript:"]))
    spelled = []
    for char in scheme:
        spelled.append(draw(st.sampled_from(["", "", "", "\t", "\n", "\x01", "&Tab;", "&#10;"])))
        spelled.append(
            draw(
                st.sampled_from(
                    [
                        char,
                        char.upper(),
                        f"&#{ord(char)};",
                        f"&#x{ord(char):X};",
                        f"&#000{ord(char)}",
                    ]
                )
            )
        )
    return draw(st.sampled_from(["", " ", "\x00", "&#32;"])) + "".join(spelled) + "alert(1)"


URL_CONTAINERS = [
    '<a href="{}">x</a>', "<a href={}>x</a>", "<a href='{}'>x</a>", '<img src="{}">',
    '<iframe src="{}">', '<form action="{}">', '<svg><a xlink:href="{}">x</a></svg>',
    "[x]({})", "[x](<{}>)", "![x]({})", "[x][r]\n\n[r]: {}\n", "<{}>", "[[{}]]", "[[{}|x]]",
    "@{}", "#{}", "{}",
]  # fmt: skip
url_attack = st.builds(str.format, st.sampled_from(URL_CONTAINERS), disguised_scheme())
handler_attack = st.builds(
    "<{}{}{}={}>x".format,
    st.sampled_from(["p", "a href=/x", "img src=x", "b", "div", "td", "input type=checkbox"]),
    st.sampled_from([" ", "/", "\n", "\t", " x "]),
    st.sampled_from(["onerror", "onclick", "OnLoad", "ONMOUSEOVER", "onfocus"]),
    st.sampled_from(["alert(1)", '"alert(1)"', "'alert(1)'"]),
)
hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), url_attack, handler_attack, st.text(max_size=4)),
    max_size=30,
).map("".join)

PROPERTY_SETTINGS = settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize("renderer", RENDERERS.values(), ids=RENDERERS.keys())
@PROPERTY_SETTINGS
@given(source=st.text())
def test_any_text_renders_inert(renderer: Callable[[str], str], source: str) -> None:
    assert executable_parts(renderer(source)) == []


@pytest.mark.parametrize("renderer", RENDERERS.values(), ids=RENDERERS.keys())
@PROPERTY_SETTINGS
@given(source=hostile_text)
def test_any_mix_of_attack_fragments_renders_inert(
    renderer: Callable[[str], str], source: str
) -> None:
    assert executable_parts(renderer(source)) == []


@PROPERTY_SETTINGS
@given(source=hostile_text)
def test_sanitised_html_stays_inert_when_sanitised_again(source: str) -> None:
    # Callers may sanitise stored HTML once more (e.g. after an upgrade); no mutation wakes up.
    assert executable_parts(sanitize(sanitize(source))) == []
