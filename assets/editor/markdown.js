// The editor's document model and its two-way translation to the Markdown we store.
//
// The server renders with Python-Markdown (app/markup), not CommonMark, so the serializer
// writes the common ground of both: nested list content indented by four spaces, hard breaks
// as two trailing spaces, tables with a separator row, and no escapes Python-Markdown would
// show literally. An unedited document is never re-serialized at all (see main.js).
import MarkdownIt from "markdown-it";
import { Schema } from "prosemirror-model";
import {
  MarkdownParser,
  MarkdownSerializer,
  MarkdownSerializerState,
  defaultMarkdownParser,
  defaultMarkdownSerializer,
  schema as commonmark,
} from "prosemirror-markdown";
import { tableNodes } from "prosemirror-tables";

const ALIGN_CLASS = { left: "text-start", center: "text-center", right: "text-end" };

function cellAlign(dom) {
  const named = Object.keys(ALIGN_CLASS).find((key) => dom.classList.contains(ALIGN_CLASS[key]));
  return named || dom.getAttribute("align") || dom.style.textAlign || null;
}

const tables = tableNodes({
  tableGroup: "block",
  cellContent: "inline*",
  cellAttributes: {
    // A class, not a style attribute: the CSP allows no inline styles.
    align: {
      default: null,
      getFromDOM: cellAlign,
      setDOMAttr(value, attrs) {
        if (ALIGN_CLASS[value]) attrs.class = ALIGN_CLASS[value];
      },
    },
  },
});

const listItem = commonmark.spec.nodes.get("list_item");
const bulletList = commonmark.spec.nodes.get("bullet_list");
const orderedList = commonmark.spec.nodes.get("ordered_list");

export const schema = new Schema({
  nodes: commonmark.spec.nodes
    // Lists made in the editor are tight (one line per item); the source says otherwise.
    .update("bullet_list", { ...bulletList, attrs: { tight: { default: true } } })
    .update("ordered_list", { ...orderedList, attrs: { order: { default: 1 }, tight: { default: true } } })
    .update("list_item", {
      ...listItem,
      // null: an ordinary item; true/false: a task, done or open.
      attrs: { checked: { default: null } },
      parseDOM: [
        {
          tag: "li",
          getAttrs(dom) {
            const state = dom.getAttribute("data-checked");
            if (state !== null) return { checked: state === "true" };
            const box = dom.querySelector(":scope > input[type=checkbox], :scope > p > input[type=checkbox], :scope > label > input[type=checkbox]");
            return { checked: box ? box.checked : null };
          },
        },
      ],
      toDOM(node) {
        const checked = node.attrs.checked;
        if (checked === null) return ["li", 0];
        return ["li", { class: "task-item", "data-checked": String(checked) }, 0];
      },
    })
    .addBefore("image", "wikilink", {
      inline: true,
      group: "inline",
      atom: true,
      attrs: { title: {}, label: { default: null } },
      parseDOM: [
        {
          tag: "span[data-wikilink]",
          getAttrs: (dom) => ({
            title: dom.getAttribute("data-wikilink"),
            label: dom.getAttribute("data-label") || null,
          }),
        },
      ],
      toDOM(node) {
        const { title, label } = node.attrs;
        return [
          "span",
          { class: "wiki-link editor-wikilink", "data-wikilink": title, "data-label": label || null },
          label || title,
        ];
      },
    })
    // Raw HTML written in the source: kept as typed and shown as code. The server's
    // sanitiser decides what of it reaches a page, as without the editor.
    .addBefore("image", "html_inline", {
      inline: true,
      group: "inline",
      atom: true,
      attrs: { raw: {} },
      parseDOM: [{ tag: "code[data-raw-html]", getAttrs: (dom) => ({ raw: dom.textContent }) }],
      toDOM: (node) => ["code", { class: "editor-raw", "data-raw-html": "" }, node.attrs.raw],
    })
    .append({
      html_block: {
        group: "block",
        atom: true,
        attrs: { raw: {} },
        parseDOM: [{ tag: "pre[data-raw-html]", getAttrs: (dom) => ({ raw: dom.textContent }) }],
        toDOM: (node) => ["pre", { class: "editor-raw", "data-raw-html": "" }, node.attrs.raw],
      },
    })
    .append(tables),
  marks: commonmark.spec.marks,
});

// ---- Markdown -> document ------------------------------------------------------------------

const WIKI_LINK = /^\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]+))?\]\]/;
const TASK = /^\[([ xX])\](?:[ \t]+|$)/;

function wikiLinks(md) {
  md.inline.ruler.before("link", "wikilink", (state, silent) => {
    if (state.src.charCodeAt(state.pos) !== 0x5b || state.src.charCodeAt(state.pos + 1) !== 0x5b) return false;
    const match = WIKI_LINK.exec(state.src.slice(state.pos));
    if (!match || !match[1].trim()) return false;
    if (!silent) {
      const token = state.push("wikilink", "", 0);
      token.meta = { title: match[1].trim(), label: (match[2] || "").trim() || null };
    }
    state.pos += match[0].length;
    return true;
  });
}

// "- [ ] open" and "- [x] done", as app/markup/tasklists.py reads them.
function taskLists(md) {
  md.core.ruler.push("task_list", (state) => {
    const tokens = state.tokens;
    for (let i = 0; i + 2 < tokens.length; i++) {
      if (tokens[i].type !== "list_item_open") continue;
      const inline = tokens[i + 2];
      if (tokens[i + 1].type !== "paragraph_open" || inline.type !== "inline") continue;
      const first = inline.children && inline.children[0];
      const match = first && first.type === "text" ? TASK.exec(first.content) : null;
      if (!match) continue;
      tokens[i].attrSet("data-checked", match[1] === " " ? "false" : "true");
      first.content = first.content.slice(match[0].length);
      inline.content = inline.content.slice(match[0].length);
    }
  });
}

// A line break inside a paragraph stays a line break in the source (the parser would make it
// a space, and rewrite every paragraph of an edited page).
function softBreaks(md) {
  md.core.ruler.push("soft_break_text", (state) => {
    for (const token of state.tokens) {
      for (const child of token.children || []) {
        if (child.type === "softbreak") {
          child.type = "text";
          child.content = "\n";
        }
      }
    }
  });
}

const tokenizer = MarkdownIt("commonmark", { html: true }).enable("table").use(wikiLinks).use(taskLists).use(softBreaks);

function alignOf(token) {
  const match = /text-align:\s*(left|center|right)/.exec(token.attrGet("style") || "");
  return { align: match ? match[1] : null };
}

export const parser = new MarkdownParser(schema, tokenizer, {
  ...defaultMarkdownParser.tokens,
  list_item: {
    block: "list_item",
    getAttrs: (token) => {
      const state = token.attrGet("data-checked");
      return { checked: state === null ? null : state === "true" };
    },
  },
  wikilink: { node: "wikilink", getAttrs: (token) => token.meta },
  html_inline: { node: "html_inline", getAttrs: (token) => ({ raw: token.content }) },
  html_block: { node: "html_block", getAttrs: (token) => ({ raw: token.content.replace(/\n+$/, "") }) },
  table: { block: "table" },
  thead: { ignore: true },
  tbody: { ignore: true },
  tr: { block: "table_row" },
  th: { block: "table_header", getAttrs: alignOf },
  td: { block: "table_cell", getAttrs: alignOf },
});

// ---- document -> Markdown ------------------------------------------------------------------

// Python-Markdown's backslash escapes: anything else after "\" shows the backslash.
function escapeText(str, startOfLine) {
  const intraword = (i) => i > 0 && i + 1 < str.length && /\w/.test(str[i - 1]) && /\w/.test(str[i + 1]);
  str = str
    .replace(/[`*\\\[\]_]/g, (m, i) => (m === "_" && intraword(i) ? m : "\\" + m))
    // Text that looks like markup or an entity stays text on both renderers.
    .replace(/&(?=#?\w+;)/g, "&amp;")
    .replace(/<(?=[a-zA-Z/!?])/g, "&lt;");
  if (startOfLine) {
    str = str
      .replace(/^([+\-*][ \t]|>)/, "\\$1")
      .replace(/^(\s*)(#{1,6})(\s|$)/, "$1\\$2$3")
      .replace(/^(\s*\d+)\.(\s)/, "$1\\.$2");
  }
  return str;
}

// Render a node's inline content on one line of its own, for headings and table cells.
function inlineLine(state, node) {
  const saved = [state.out, state.closed, state.delim];
  state.out = "";
  state.closed = null;
  state.delim = "";
  state.renderInline(node, false);
  const text = state.out;
  [state.out, state.closed, state.delim] = saved;
  return text.replace(/\s*\n\s*/g, " ").trim();
}

const SEPARATOR = { left: ":---", center: ":---:", right: "---:" };
const LIST_INDENT = "    ";

const nodes = {
  ...defaultMarkdownSerializer.nodes,
  heading(state, node) {
    // A heading is one line; a multi-line (setext) heading read from the source is joined.
    state.write(`${"#".repeat(node.attrs.level)} ${inlineLine(state, node)}`);
    state.closeBlock(node);
  },
  bullet_list(state, node) {
    state.renderList(node, LIST_INDENT, () => "- ");
  },
  ordered_list(state, node) {
    const start = node.attrs.order ?? 1;
    state.renderList(node, LIST_INDENT, (i) => `${start + i}. `);
  },
  list_item(state, node) {
    if (node.attrs.checked !== null) state.write(node.attrs.checked ? "[x] " : "[ ] ");
    state.renderContent(node);
  },
  hard_break(state, node, parent, index) {
    for (let i = index + 1; i < parent.childCount; i++) {
      if (parent.child(i).type !== node.type) {
        state.write("  \n");
        return;
      }
    }
  },
  wikilink(state, node) {
    const { title, label } = node.attrs;
    state.write(label && label !== title ? `[[${title}|${label}]]` : `[[${title}]]`);
  },
  table(state, node) {
    const rows = [];
    node.forEach((row) => {
      const cells = [];
      row.forEach((cell) => cells.push(inlineLine(state, cell).replace(/\|/g, "\\|") || " "));
      rows.push(cells);
    });
    const width = Math.max(...rows.map((cells) => cells.length));
    const aligns = [];
    node.firstChild.forEach((cell) => aligns.push(cell.attrs.align));
    const line = (cells) => "| " + Array.from({ length: width }, (_, i) => cells[i] || " ").join(" | ") + " |";
    const lines = [
      line(rows[0]),
      line(Array.from({ length: width }, (_, i) => SEPARATOR[aligns[i]] || "---")),
      ...rows.slice(1).map(line),
    ];
    lines.forEach((text, i) => {
      if (i) state.ensureNewLine();
      state.write(text);
    });
    state.closeBlock(node);
  },
  html_inline(state, node) {
    state.write(node.attrs.raw);
  },
  html_block(state, node) {
    node.attrs.raw.split("\n").forEach((text, i) => {
      if (i) state.ensureNewLine();
      state.write(text);
    });
    state.closeBlock(node);
  },
  table_row() {},
  table_header() {},
  table_cell() {},
};

const marks = defaultMarkdownSerializer.marks;

class Serializer extends MarkdownSerializer {
  serialize(content, options) {
    return super.serialize(content, { tightLists: true, ...options });
  }
}

export const serializer = new Serializer(nodes, marks);

// Our escaping replaces the CommonMark one (the serializer makes its state per call, and
// only this bundle uses it).
MarkdownSerializerState.prototype.esc = function esc(str, startOfLine = false) {
  return escapeText(str, startOfLine);
};

export function toMarkdown(doc) {
  return serializer.serialize(doc);
}

export function fromMarkdown(text) {
  return parser.parse(text);
}
