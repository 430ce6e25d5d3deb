"""Task lists: `- [ ] open` and `- [x] done` become disabled checkboxes."""

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

TASK_RE = re.compile(r"\[([ xX])\][ \t]+")
TASK_LIST_CLASS = "task-list"
TASK_ITEM_CLASS = "task-list-item"
# After the lists are built, before inline markup turns "[x]" into something else.
_PRIORITY = 25


class TaskListExtension(Extension):
    """Adds task lists to a Markdown instance."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(TaskListTreeprocessor(md), "task_list", _PRIORITY)


class TaskListTreeprocessor(Treeprocessor):
    """Turns list items that start with [ ] or [x] into labelled, disabled checkboxes."""

    def run(self, root: etree.Element) -> None:
        for task_list in [e for e in root.iter() if e.tag in {"ul", "ol"}]:
            tasks = [item for item in task_list if item.tag == "li" and make_task(item)]
            if tasks:
                task_list.set("class", TASK_LIST_CLASS)


def make_task(item: etree.Element) -> bool:
    """Turn `item` into a task if its text starts with a box; say whether it did."""
    # A loose list wraps the item's text in <p>.
    holder = item[0] if not (item.text or "").strip() and len(item) and item[0].tag == "p" else item
    match = TASK_RE.match(holder.text or "")
    if match is None:
        return False
    # The label gives the checkbox its accessible name: the task's own words.
    label = etree.Element("label")
    box = etree.SubElement(label, "input", type="checkbox", disabled="disabled")
    if match.group(1) in "xX":
        box.set("checked", "checked")
    box.tail = " " + holder.text[match.end() :]
    holder.text = None
    holder.insert(0, label)
    item.set("class", TASK_ITEM_CLASS)
    return True
