"""What one rendering found: the wiki links, mentions and tags, in document order."""

from dataclasses import dataclass, field

from app.markup.rendered import Rendered

WIKI_LINK = "wiki_link"
MENTION = "mention"
TAG = "tag"


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
