"""Block boundaries made explicit, so that Python-Markdown's block parser stays linear.

Python-Markdown splits a block (lines without a blank one between them) at each heading or
rule it finds, puts the rest back and tests every block processor on that rest again; some
tests read the whole rest. 20,000 heading lines in one block thus took minutes. Headings,
setext underlines and rules end a paragraph wherever they stand, so a blank line around
them changes nothing on the page but lets the parser take one short block at a time.
"""

import re

from markdown.preprocessors import Preprocessor

from app.markup.headings import ATX_HEADING_LINE

# Python-Markdown's rule: three or more -, _ or *, up to three spaces before. Each marker
# is matched singly, so a failing match cannot backtrack through the ways to split a run.
_RULE = re.compile(r"[ ]{0,3}(?:(?:-[ ]{0,2}){3,}|(?:_[ ]{0,2}){3,}|(?:\*[ ]{0,2}){3,})[ ]*")
_SETEXT_UNDERLINE = re.compile(r"(?:=+|-+)[ ]*")


class BlockBreakPreprocessor(Preprocessor):
    """Puts a blank line before each heading line, and after headings, setext underlines
    and rules. Runs after fenced code and raw HTML are stashed, so their lines stay."""

    def run(self, lines: list[str]) -> list[str]:
        result: list[str] = []
        previous = ""
        for line in lines:
            heading = ATX_HEADING_LINE.match(line) is not None
            if heading and previous.strip():
                result.append("")
            result.append(line)
            ends_block = heading or _RULE.fullmatch(line) is not None
            if not ends_block and previous.strip():
                ends_block = _SETEXT_UNDERLINE.fullmatch(line) is not None
            if ends_block:
                result.append("")
                previous = ""
            else:
                previous = line
        return result
