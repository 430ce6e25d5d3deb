"""One pass over the HTML that pulldown-cmark writes, adding what CommonMark lacks.

Our syntax in running text (not inside links or code), heading anchors and the table of
contents, task lists as labelled checkboxes, footnotes with our ids, table alignment
without style attributes, highlighted code, and a cap on nesting. The HTML is split at its
tags once, so the pass takes time linear in its length.
"""

import html
import re

from app.markup.harvest import Findings
from app.markup.headings import Anchors
from app.markup.highlight import CodeBlocks
from app.markup.rendered import LinkResolver
from app.markup.syntax import has_syntax, link_syntax

# Markdown nested deeper than this (quotes in lists in quotes …) keeps its words, but the
# deeper levels are flattened: a page needs no more, and the sanitiser and the browser
# spend time with the square of the depth.
MAX_NESTING = 64
# Footnotes past this many references or definitions show their number without links or
# ids: no page needs more, and each id and link costs the sanitiser a check.
MAX_FOOTNOTES = 1_000
# Task boxes past this many show as typed ("[x] …"), for the same reason.
MAX_TASKS = 1_000
TASK_LIST_CLASS = "task-list"
TASK_ITEM_CLASS = "task-list-item"
TOC_MARKER = "[TOC]"

_TAG = re.compile(r"(<[^<>]*+>)")
_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
_CELL_ALIGN = re.compile(r'<(t[hd]) style="text-align: (left|right|center)">')
_TASK_BOX = re.compile(r'<input disabled="" type="checkbox"( checked="")?/>')
_LANGUAGE = re.compile(r'<code class="language-([^"]+)">')
_ANY_TAG = re.compile(r"<[^>]*>")
_VOID = frozenset({"br", "hr", "img", "input", "wbr"})
_SKIPPED = frozenset({"a", "code", "pre"})  # our syntax stays text inside these
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
# Tags that end the label of a task: the task's text is its first line of inline content.
_BLOCKS = frozenset({"p", "li", "ul", "ol", "div", "blockquote", "pre", "table", "hr", *_HEADINGS})
# Tags the pass does more with than count their depth.
_NOTED = frozenset({*_SKIPPED, *_HEADINGS, "ul", "ol", "li", "input", "sup", "div", "p"})
_FOOTNOTE_REF = '<sup class="footnote-reference">'
_FOOTNOTE_DEFINITION = '<div class="footnote-definition" '
_FOOTNOTE_LABEL = '<sup class="footnote-definition-label">'


def finish(html_text: str, links: LinkResolver | None, findings: Findings, *, full: bool) -> str:
    """Return pulldown-cmark's `html_text` finished as described above.

    `full` adds what only the full dialect has (headings, contents, tasks, footnotes, code);
    the microblog's HTML holds none of it.
    """
    return _Pass(links, findings, full).run(_CELL_ALIGN.sub(r'<\1 align="\2">', html_text))


def _describe(tag: str) -> tuple[str, bool, bool] | None:
    """Return the name of `tag`, whether it closes, and whether it is void; None if no tag."""
    match = _NAME.match(tag)
    if match is None:
        return None
    name = match.group(1).lower()
    return name, tag[1] == "/", name in _VOID or tag.endswith("/>")


class _Pass:
    def __init__(self, links: LinkResolver | None, findings: Findings, full: bool) -> None:
        self.links = links
        self.findings = findings
        self.full = full
        self.anchors = Anchors()
        self.code = CodeBlocks()
        self.uses: dict[str, int] = {}  # references to each footnote number so far
        self.references = 0
        self.definitions = 0
        self.tasks = 0

    def run(self, html_text: str) -> str:
        parts = _TAG.split(html_text)
        skipped = depth = 0
        heading: tuple[int, int] | None = None  # index of the open tag, level
        lists: list[int] = []  # indexes of open <ul>/<ol>
        items: list[int] = []  # indexes of open <li>
        divs: list[str | None] = []  # footnote number of each open <div>, or None
        contents: list[int] = []  # indexes of [TOC] paragraphs
        label_open = False
        index = 0
        seen: dict[str, tuple[str, bool, bool] | None] = {}  # tag -> name, closing, void
        while index < len(parts):
            part = parts[index]
            if index % 2 == 0:
                # One character holds no syntax; most such parts are the "\n" between tags.
                if skipped == 0 and len(part) > 1 and has_syntax(part):
                    parts[index] = link_syntax(part, self.links, self.findings)
                index += 1
                continue
            if part in seen:
                meta = seen[part]
            else:
                meta = seen[part] = _describe(part)
            if meta is None:  # a comment or declaration: left to the sanitiser
                index += 1
                continue
            name, closing, void = meta
            if label_open and name in _BLOCKS:
                parts[index] = "</label>" + part
                label_open = False
            if self.full and not closing and name == "pre" and self._is_code_block(parts, index):
                index += 7
                continue
            if closing:
                if depth > MAX_NESTING:
                    parts[index] = ""
                    depth -= 1
                    index += 1
                    continue
                depth = max(depth - 1, 0)
            elif not void:
                depth += 1
                if depth > MAX_NESTING:
                    parts[index] = ""
                    index += 1
                    continue
            if name not in _NOTED:
                index += 1
                continue
            if name in _SKIPPED:
                skipped = max(skipped - 1, 0) if closing else skipped + 1
            elif not self.full:
                pass
            elif name in _HEADINGS:
                if not closing:
                    heading = (index, _HEADINGS[name])
                elif heading is not None:
                    self._anchor(parts, heading, index)
                    heading = None
            elif name in {"ul", "ol"}:
                if closing:
                    if lists:
                        lists.pop()
                else:
                    lists.append(index)
            elif name == "li":
                if closing:
                    if items:
                        items.pop()
                else:
                    items.append(index)
            elif name == "input" and lists and items and _TASK_BOX.fullmatch(part):
                self.tasks += 1
                label_open = self._task(parts, index, lists[-1], items[-1], self.tasks)
            elif name == "sup" and part == _FOOTNOTE_REF:
                self._footnote_ref(parts, index)
            elif name == "div":
                if closing:
                    number = divs.pop() if divs else None
                    if number is not None:
                        parts[index] = (
                            f'<a class="footnote-backref" href="#fnref-{number}">\u21a9</a>'
                            "</li>\n</ol>\n</div>"
                        )
                else:
                    divs.append(self._footnote(parts, index))
            elif (
                name == "p" and not closing and parts[index + 1 : index + 3] == [TOC_MARKER, "</p>"]
            ):
                contents.append(index)
                parts[index + 1] = parts[index + 2] = ""
                depth -= 1
                index += 3
                continue
            index += 1
        for position in contents:
            parts[position] = self.anchors.contents()
        return "".join(parts)

    def _is_code_block(self, parts: list[str], index: int) -> bool:
        """Replace <pre><code …>text</code></pre> at `index` by a rendered block."""
        window = parts[index + 1 : index + 7]
        if len(window) < 6 or window[0] or not window[1].startswith("<code"):
            return False
        if window[3:] != ["</code>", "", "</pre>"]:
            return False
        language = _LANGUAGE.fullmatch(window[1])
        code = html.unescape(window[2])
        parts[index] = self.code.render(code, language.group(1) if language else "")
        parts[index + 1 : index + 7] = [""] * 6
        return True

    def _anchor(self, parts: list[str], heading: tuple[int, int], end: int) -> None:
        start, level = heading
        if self.anchors.is_full():
            return
        inner = "".join(parts[start + 1 : end])
        text = html.unescape(_ANY_TAG.sub("", inner) if "<" in inner else inner).strip()
        anchor = self.anchors.add(level, text)
        if anchor is not None:
            parts[start] = f'<h{level} id="{html.escape(anchor)}">'

    @staticmethod
    def _task(parts: list[str], index: int, task_list: int, item: int, number: int) -> bool:
        """Make the item at `item` a labelled checkbox; say whether a label is open."""
        checked = parts[index].endswith('checked=""/>')
        following = parts[index + 1]
        parts[index + 1] = " " + following.removeprefix("\n")
        if number > MAX_TASKS:
            parts[index] = "[x]" if checked else "[ ]"
            return False
        parts[index] = f'<label><input{" checked" if checked else ""} disabled type="checkbox">'
        parts[item] = f'<li class="{TASK_ITEM_CLASS}">'
        if "class=" not in parts[task_list]:
            list_tag = parts[task_list]
            parts[task_list] = f'{list_tag[:3]} class="{TASK_LIST_CLASS}"{list_tag[3:]}'
        return True

    def _footnote_ref(self, parts: list[str], index: int) -> None:
        number = parts[index + 3] if index + 3 < len(parts) else ""
        if not number.isdigit() or not parts[index + 2].startswith('<a href="#'):
            return
        self.references += 1
        if self.references > MAX_FOOTNOTES:
            parts[index], parts[index + 2], parts[index + 4] = "<sup>", "", ""
            return
        seen = self.uses[number] = self.uses.get(number, 0) + 1
        reference = f"fnref-{number}" if seen == 1 else f"fnref{seen}-{number}"
        parts[index] = f'<sup id="{reference}">'
        parts[index + 2] = f'<a class="footnote-ref" href="#fn-{number}">'

    def _footnote(self, parts: list[str], index: int) -> str | None:
        """Reshape a footnote definition opening at `index`; return its number, or None."""
        if not parts[index].startswith(_FOOTNOTE_DEFINITION) or index + 4 >= len(parts):
            return None
        number = parts[index + 3]
        if parts[index + 2] != _FOOTNOTE_LABEL or not number.isdigit():
            return None
        self.definitions += 1
        if self.definitions > MAX_FOOTNOTES:
            parts[index], parts[index + 2] = "<div>", "<sup>"
            return None
        rule = "<hr>\n" if self.definitions == 1 else ""
        parts[index] = f'<div class="footnote">\n{rule}<ol start="{number}">\n<li id="fn-{number}">'
        parts[index + 1 : index + 5] = [""] * 4
        return number
