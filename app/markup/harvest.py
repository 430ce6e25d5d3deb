"""Collecting the wiki links, mentions and tags a document contains, in document order.

The inline processors cannot record what they find themselves: Python-Markdown applies
them pattern by pattern, not in reading order. So they mark the elements they make, and one
tree processor reads the marks in document order afterwards and removes them.
"""

import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from app.markup.rendered import Rendered

WIKI_LINK = "wiki_link"
MENTION = "mention"
TAG = "tag"

_KIND = "data-markup-kind"
_VALUE = "data-markup-value"
_PLAIN = "data-markup-plain"  # stands for plain text: the element is unwrapped


@dataclass
class Findings:
    """What one rendering found, each kind an insertion-ordered set."""

    found: dict[str, dict[str, None]] = field(
        default_factory=lambda: {WIKI_LINK: {}, MENTION: {}, TAG: {}}
    )

    def record(self, kind: str, value: str) -> None:
        """Remember `value` under `kind` (WIKI_LINK, MENTION or TAG), once."""
        self.found[kind][value] = None

    def rendered(self, html: str) -> Rendered:
        """Return `html` together with everything found."""
        return Rendered(
            html=html,
            wiki_links=tuple(self.found[WIKI_LINK]),
            mentions=tuple(self.found[MENTION]),
            tags=tuple(self.found[TAG]),
        )


def mark(element: etree.Element, kind: str, value: str) -> etree.Element:
    """Mark `element` as a finding of `kind`; return it."""
    element.set(_KIND, kind)
    element.set(_VALUE, value)
    return element


def plain_finding(kind: str, value: str) -> etree.Element:
    """Return a marked element that the harvest replaces by its text (no resolver given)."""
    element = mark(etree.Element("span"), kind, value)
    element.set(_PLAIN, "")
    return element


class HarvestTreeprocessor(Treeprocessor):
    """Records marked elements into `findings` in document order and removes the marks."""

    def __init__(self, md: Markdown, findings: Findings) -> None:
        super().__init__(md)
        self.findings = findings

    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            kind = element.attrib.pop(_KIND, None)
            if kind is None:
                continue
            self.findings.record(kind, element.attrib.pop(_VALUE))
            if element.attrib.pop(_PLAIN, None) is not None:
                _unwrap(parents[element], element)


def _unwrap(parent: etree.Element, element: etree.Element) -> None:
    """Replace a childless `element` by its text and tail."""
    text = (element.text or "") + (element.tail or "")
    index = list(parent).index(element)
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(element)
