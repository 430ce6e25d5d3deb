// The visual editor over our Markdown fields. It enhances a page that works without it:
// every `[data-editor]` wraps a labelled <textarea>, which stays the field the form sends.
// The textarea always holds Markdown; a document nobody edited is sent exactly as loaded.
import "prosemirror-view/style/prosemirror.css";
import "prosemirror-tables/style/tables.css";
import "./editor.css";

import { baseKeymap, chainCommands, exitCode, setBlockType, toggleMark, wrapIn } from "prosemirror-commands";
import { dropCursor } from "prosemirror-dropcursor";
import { gapCursor } from "prosemirror-gapcursor";
import { history, redo, undo } from "prosemirror-history";
import { InputRule, inputRules, textblockTypeInputRule, wrappingInputRule } from "prosemirror-inputrules";
import { keymap } from "prosemirror-keymap";
import { liftListItem, sinkListItem, splitListItem, wrapInList } from "prosemirror-schema-list";
import { EditorState, Plugin, TextSelection } from "prosemirror-state";
import {
  addColumnAfter,
  addRowAfter,
  deleteColumn,
  deleteRow,
  goToNextCell,
  isInTable,
  tableEditing,
} from "prosemirror-tables";
import { EditorView } from "prosemirror-view";

import { fromMarkdown, schema, toMarkdown } from "./markdown.js";
import { cleanPastedHTML } from "./paste.js";

const { nodes, marks } = schema;
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
// Who prefers the Markdown source gets it again on the next page.
const PREFERENCE = "kollegium.editor.source";

function prefersSource() {
  try {
    return window.localStorage.getItem(PREFERENCE) === "1";
  } catch (err) {
    return false; // storage disabled: start visual
  }
}

function rememberSource(on) {
  try {
    window.localStorage.setItem(PREFERENCE, on ? "1" : "0");
  } catch (err) {
    // storage disabled: the choice lasts for this page
  }
}

// ---- commands ------------------------------------------------------------------------------

function markActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  if (empty) return Boolean(type.isInSet(state.storedMarks || $from.marks()));
  return state.doc.rangeHasMark(from, to, type);
}

function blockActive(state, type, attrs = {}) {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    if (node.type === type && Object.entries(attrs).every(([key, value]) => node.attrs[key] === value)) return true;
  }
  return false;
}

function toggleBlock(type, attrs) {
  return (state, dispatch) => {
    if (blockActive(state, type, attrs)) return setBlockType(nodes.paragraph)(state, dispatch);
    return setBlockType(type, attrs)(state, dispatch);
  };
}

function toggleList(type) {
  return (state, dispatch) => {
    if (blockActive(state, type)) return liftListItem(nodes.list_item)(state, dispatch);
    return wrapInList(type)(state, dispatch);
  };
}

// A task list is a bullet list whose items carry `checked`.
function toggleTaskList(state, dispatch) {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    if ($from.node(depth).type === nodes.list_item) {
      const item = $from.node(depth);
      if (dispatch) {
        const checked = item.attrs.checked === null ? false : null;
        dispatch(state.tr.setNodeMarkup($from.before(depth), null, { ...item.attrs, checked }));
      }
      return true;
    }
  }
  if (!wrapInList(nodes.bullet_list)(state)) return false;
  if (dispatch) {
    wrapInList(nodes.bullet_list)(state, (tr) => {
      const $pos = tr.doc.resolve(tr.mapping.map(state.selection.from));
      for (let depth = $pos.depth; depth > 0; depth--) {
        if ($pos.node(depth).type === nodes.list_item) {
          tr.setNodeMarkup($pos.before(depth), null, { checked: false });
          break;
        }
      }
      dispatch(tr);
    });
  }
  return true;
}

function toggleTaskDone(state, dispatch) {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const item = $from.node(depth);
    if (item.type === nodes.list_item && item.attrs.checked !== null) {
      if (dispatch) dispatch(state.tr.setNodeMarkup($from.before(depth), null, { checked: !item.attrs.checked }));
      return true;
    }
  }
  return false;
}

function insertTable(state, dispatch) {
  const cell = () => nodes.table_cell.createAndFill();
  const header = () => nodes.table_header.createAndFill();
  const table = nodes.table.create(null, [
    nodes.table_row.create(null, [header(), header(), header()]),
    nodes.table_row.create(null, [cell(), cell(), cell()]),
  ]);
  if (isInTable(state)) return false;
  if (dispatch) {
    const tr = state.tr.replaceSelectionWith(table);
    const start = tr.selection.from - table.nodeSize + 3;
    dispatch(tr.setSelection(TextSelection.near(tr.doc.resolve(Math.max(0, start)))).scrollIntoView());
  }
  return true;
}

function insertHardBreak(state, dispatch) {
  if (dispatch) dispatch(state.tr.replaceSelectionWith(nodes.hard_break.create()).scrollIntoView());
  return true;
}

// ---- the editor ----------------------------------------------------------------------------

class MarkdownEditor {
  constructor(root) {
    this.root = root;
    this.textarea = root.querySelector("textarea");
    this.labels = JSON.parse(root.dataset.editorLabels || "{}");
    this.lite = root.dataset.editor === "lite";
    this.uploadUrl = root.dataset.uploadUrl || "";
    this.titleUrl = root.dataset.titleUrl || "";
    this.mentionUrl = root.dataset.mentionUrl || "";
    const token = root.closest("form")?.querySelector("input[name=csrf_token]");
    this.csrf = token ? token.value : "";
    // The Markdown as last loaded into the editor; sent unchanged while nothing is edited.
    this.source = this.textarea.value;
    this.edited = false;
    this.suggest = null;
    this.build();
  }

  t(key) {
    return this.labels[key] || key;
  }

  build() {
    const label = this.root.querySelector(`label[for="${this.textarea.id}"]`);
    if (label && !label.id) label.id = `${this.textarea.id}-label`;
    this.toolbar = document.createElement("div");
    this.toolbar.className = "md-toolbar btn-toolbar gap-1 mb-1";
    this.toolbar.setAttribute("role", "toolbar");
    this.toolbar.setAttribute("aria-label", this.t("toolbar"));
    if (label) this.toolbar.setAttribute("aria-controls", `${this.textarea.id}-visual`);
    this.surface = document.createElement("div");
    this.surface.className = "md-surface form-control";
    this.status = document.createElement("div");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    this.listbox = document.createElement("ul");
    this.listbox.className = "md-suggestions list-group shadow-sm";
    this.listbox.id = `${this.textarea.id}-suggestions`;
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", this.t("suggestions"));
    this.listbox.hidden = true;
    this.textarea.before(this.toolbar, this.surface);
    this.textarea.after(this.listbox, this.status);

    this.view = new EditorView(this.surface, {
      state: this.newState(fromMarkdown(this.source)),
      dispatchTransaction: (tr) => this.dispatch(tr),
      attributes: {
        id: `${this.textarea.id}-visual`,
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": label ? label.id : "",
        "aria-describedby": this.textarea.getAttribute("aria-describedby") || "",
        spellcheck: "true",
        lang: document.documentElement.lang || "",
      },
      transformPastedHTML: (html) => cleanPastedHTML(html, window.location.origin),
      handlePaste: (view, event) => this.pasteFiles(event.clipboardData),
      handleDrop: (view, event) => this.dropFiles(event),
      handleKeyDown: (view, event) => this.suggestKey(event),
      handleClickOn: (view, pos, node, nodePos, event, direct) => this.clickTask(node, nodePos, event, direct),
    });
    this.buildToolbar();
    this.textarea.classList.add("md-source");
    this.showSource(prefersSource());
    this.textarea.form?.addEventListener("submit", () => this.sync());
    this.textarea.form?.addEventListener("reset", () => this.load(""));
  }

  newState(doc) {
    const rules = [
      textblockTypeInputRule(/^(#{1,6})\s$/, nodes.heading, (match) => ({ level: match[1].length })),
      wrappingInputRule(/^\s*>\s$/, nodes.blockquote),
      wrappingInputRule(/^\s*([-+*])\s$/, nodes.bullet_list),
      wrappingInputRule(/^(\d+)\.\s$/, nodes.ordered_list, (match) => ({ order: Number(match[1]) })),
      textblockTypeInputRule(/^```$/, nodes.code_block),
      new InputRule(/\[\[$/, (state, match, start, end) => {
        // Typing "[[" opens the page picker; the text stays until a page is chosen.
        return state.tr.insertText("[[", start, end);
      }),
    ];
    const keys = {
      "Mod-z": undo,
      "Mod-y": redo,
      "Shift-Mod-z": redo,
      "Mod-b": toggleMark(marks.strong),
      "Mod-i": toggleMark(marks.em),
      "Mod-`": toggleMark(marks.code),
      "Mod-k": () => this.editLink(),
      "Shift-Enter": chainCommands(exitCode, insertHardBreak),
      "Mod-Enter": chainCommands(exitCode, insertHardBreak),
      Enter: splitListItem(nodes.list_item),
      Tab: chainCommands(goToNextCell(1), sinkListItem(nodes.list_item)),
      "Shift-Tab": chainCommands(goToNextCell(-1), liftListItem(nodes.list_item)),
      "Alt-F10": () => {
        this.focusToolbar();
        return true;
      },
    };
    if (!this.lite) {
      Object.assign(keys, {
        "Mod-Alt-1": toggleBlock(nodes.heading, { level: 1 }),
        "Mod-Alt-2": toggleBlock(nodes.heading, { level: 2 }),
        "Mod-Alt-3": toggleBlock(nodes.heading, { level: 3 }),
        "Mod-Alt-0": setBlockType(nodes.paragraph),
        "Shift-Mod-8": toggleList(nodes.bullet_list),
        "Shift-Mod-7": toggleList(nodes.ordered_list),
        "Shift-Mod-9": toggleTaskList,
        "Mod-Alt-x": toggleTaskDone,
        "Shift-Mod-b": wrapIn(nodes.blockquote),
        "Mod-Alt-c": toggleBlock(nodes.code_block),
      });
    }
    return EditorState.create({
      doc,
      plugins: [
        inputRules({ rules: this.lite ? rules.slice(-1) : rules }),
        keymap(keys),
        keymap(baseKeymap),
        history(),
        dropCursor(),
        gapCursor(),
        tableEditing(),
        new Plugin({ view: () => ({ update: () => this.updateToolbar() }) }),
      ],
    });
  }

  dispatch(tr) {
    this.view.updateState(this.view.state.apply(tr));
    if (tr.docChanged) {
      this.edited = true;
      // The textarea holds the document at once: a browser checks a required field before
      // the form's submit event, so a comment sent right after typing (the textarea still
      // empty) was refused without a word, and nothing arrived.
      this.sync();
      clearTimeout(this.timer);
      // The live preview and drafts hear of it when typing pauses.
      this.timer = setTimeout(() => this.announceChange(), 300);
    }
    this.updateSuggestions();
  }

  // Write the document into the textarea (only if someone edited it).
  sync() {
    if (this.sourceMode) return;
    const markdown = this.edited ? toMarkdown(this.view.state.doc) : this.source;
    if (this.textarea.value !== markdown) this.textarea.value = markdown;
  }

  announceChange() {
    if (!this.sourceMode) this.textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  load(markdown) {
    this.source = markdown;
    this.edited = false;
    this.view.updateState(this.newState(fromMarkdown(markdown)));
  }

  showSource(on) {
    if (on) {
      this.sync();
      this.sourceMode = true;
    } else {
      if (this.sourceMode && this.textarea.value !== (this.edited ? toMarkdown(this.view.state.doc) : this.source)) {
        this.load(this.textarea.value);
      }
      this.sourceMode = false;
    }
    this.textarea.hidden = !on;
    this.surface.hidden = on;
    this.toolbar.querySelectorAll("button[data-command]").forEach((button) => {
      button.disabled = on;
    });
    this.sourceButton.setAttribute("aria-pressed", String(on));
    this.updateToolbar();
  }

  // ---- toolbar -----------------------------------------------------------------------------

  buildToolbar() {
    const full = !this.lite;
    const groups = [
      full && [
        ["paragraph", "¶", "Mod-Alt-0", setBlockType(nodes.paragraph), (s) => blockActive(s, nodes.paragraph)],
        ["heading2", "H2", "Mod-Alt-2", toggleBlock(nodes.heading, { level: 2 }), (s) => blockActive(s, nodes.heading, { level: 2 })],
        ["heading3", "H3", "Mod-Alt-3", toggleBlock(nodes.heading, { level: 3 }), (s) => blockActive(s, nodes.heading, { level: 3 })],
      ],
      [
        ["bold", "B", "Mod-b", toggleMark(marks.strong), (s) => markActive(s, marks.strong)],
        ["italic", "I", "Mod-i", toggleMark(marks.em), (s) => markActive(s, marks.em)],
        ["code", "</>", "Mod-`", toggleMark(marks.code), (s) => markActive(s, marks.code)],
        ["link", "🔗", "Mod-k", () => this.editLink(), (s) => markActive(s, marks.link)],
        ["wikilink", "[[ ]]", null, (state, dispatch) => this.startWikiLink(state, dispatch), null],
      ],
      full && [
        ["bulletList", "•", "Shift-Mod-8", toggleList(nodes.bullet_list), (s) => blockActive(s, nodes.bullet_list)],
        ["orderedList", "1.", "Shift-Mod-7", toggleList(nodes.ordered_list), (s) => blockActive(s, nodes.ordered_list)],
        ["taskList", "☐", "Shift-Mod-9", toggleTaskList, null],
        ["taskDone", "☑", "Mod-Alt-x", toggleTaskDone, null],
        ["quote", "❝", "Shift-Mod-b", wrapIn(nodes.blockquote), (s) => blockActive(s, nodes.blockquote)],
        ["codeBlock", "{ }", "Mod-Alt-c", toggleBlock(nodes.code_block), (s) => blockActive(s, nodes.code_block)],
      ],
      full && [
        ["table", "▦", null, insertTable, null],
        ["addRow", "+≡", null, addRowAfter, null],
        ["deleteRow", "−≡", null, deleteRow, null],
        ["addColumn", "+⦀", null, addColumnAfter, null],
        ["deleteColumn", "−⦀", null, deleteColumn, null],
        ["image", "🖼", null, () => this.chooseImage(), null],
      ],
      [
        ["undo", "↶", "Mod-z", undo, null],
        ["redo", "↷", "Shift-Mod-z", redo, null],
      ],
    ].filter(Boolean);
    this.buttons = [];
    for (const group of groups) {
      const box = document.createElement("div");
      box.className = "btn-group btn-group-sm";
      box.setAttribute("role", "group");
      for (const [name, glyph, shortcut, command, active] of group) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-outline-secondary";
        button.dataset.command = name;
        const text = this.t(name);
        const keys = shortcut ? shortcut.replace("Mod", navigator.platform.startsWith("Mac") ? "Meta" : "Control").replace(/-/g, "+") : "";
        button.setAttribute("aria-label", text);
        button.title = keys ? `${text} (${keys})` : text;
        if (keys) button.setAttribute("aria-keyshortcuts", keys);
        if (active) button.setAttribute("aria-pressed", "false");
        const face = document.createElement("span");
        face.setAttribute("aria-hidden", "true");
        face.textContent = glyph;
        button.appendChild(face);
        button.tabIndex = -1;
        button.addEventListener("mousedown", (event) => event.preventDefault());
        button.addEventListener("click", () => {
          if (button.getAttribute("aria-disabled") === "true") return;
          command(this.view.state, this.view.dispatch, this.view);
          if (name !== "link" && name !== "image") this.view.focus();
        });
        box.appendChild(button);
        this.buttons.push({ button, command, active });
      }
      this.toolbar.appendChild(box);
    }
    const tail = document.createElement("div");
    tail.className = "btn-group btn-group-sm ms-auto";
    this.sourceButton = document.createElement("button");
    this.sourceButton.type = "button";
    this.sourceButton.className = "btn btn-outline-secondary md-source-toggle";
    this.sourceButton.textContent = this.t("source");
    this.sourceButton.tabIndex = -1;
    this.sourceButton.addEventListener("click", () => {
      this.showSource(!this.sourceMode);
      rememberSource(this.sourceMode);
      (this.sourceMode ? this.textarea : this.view.dom).focus();
    });
    tail.appendChild(this.sourceButton);
    this.toolbar.appendChild(tail);
    this.buttons[0].button.tabIndex = 0;
    // One tab stop; arrow keys move along the toolbar (WAI-ARIA toolbar pattern).
    this.toolbar.addEventListener("keydown", (event) => this.toolbarKey(event));
    if (!this.uploadUrl) this.toolbar.querySelector("[data-command=image]")?.remove();
  }

  toolbarButtons() {
    return Array.from(this.toolbar.querySelectorAll("button")).filter((b) => !b.disabled && b.isConnected);
  }

  toolbarKey(event) {
    const buttons = this.toolbarButtons();
    const index = buttons.indexOf(document.activeElement);
    let next = null;
    if (event.key === "ArrowRight") next = buttons[(index + 1) % buttons.length];
    else if (event.key === "ArrowLeft") next = buttons[(index - 1 + buttons.length) % buttons.length];
    else if (event.key === "Home") next = buttons[0];
    else if (event.key === "End") next = buttons[buttons.length - 1];
    else if (event.key === "Escape" && !this.sourceMode) {
      this.view.focus();
      event.preventDefault();
      return;
    }
    if (next) {
      event.preventDefault();
      this.toolbar.querySelectorAll("button").forEach((b) => (b.tabIndex = -1));
      next.tabIndex = 0;
      next.focus();
    }
  }

  focusToolbar() {
    const current = this.toolbar.querySelector("button[tabindex='0']") || this.toolbarButtons()[0];
    current?.focus();
  }

  updateToolbar() {
    if (!this.buttons) return;
    const state = this.view.state;
    for (const { button, command, active } of this.buttons) {
      if (this.sourceMode) continue;
      // aria-disabled, not disabled: the buttons stay reachable with the arrow keys.
      button.setAttribute("aria-disabled", String(!command(state, undefined, this.view)));
      if (active) button.setAttribute("aria-pressed", String(Boolean(active(state))));
    }
    // Keep one tab stop even when the remembered button became disabled.
    if (!this.toolbar.querySelector("button[tabindex='0']:not(:disabled)")) {
      this.toolbar.querySelectorAll("button").forEach((b) => (b.tabIndex = -1));
      const first = this.toolbarButtons()[0];
      if (first) first.tabIndex = 0;
    }
  }

  announce(message) {
    this.status.textContent = "";
    window.setTimeout(() => {
      this.status.textContent = message;
    }, 50);
  }

  // ---- links ---------------------------------------------------------------------------------

  editLink() {
    const { state } = this.view;
    if (markActive(state, marks.link)) {
      this.view.dispatch(state.tr.removeMark(state.selection.from, state.selection.to, marks.link));
      this.view.focus();
      return true;
    }
    const href = window.prompt(this.t("linkPrompt"), "https://");
    this.view.focus();
    if (!href || !/^(https?:|mailto:|\/|#)/i.test(href.trim())) return true;
    const link = marks.link.create({ href: href.trim() });
    const { from, to, empty } = this.view.state.selection;
    const tr = this.view.state.tr;
    if (empty) tr.insert(from, schema.text(href.trim(), [link]));
    else tr.addMark(from, to, link);
    this.view.dispatch(tr);
    return true;
  }

  startWikiLink(state, dispatch) {
    if (!dispatch) return true;
    const { empty, from, to } = state.selection;
    const text = empty ? "" : state.doc.textBetween(from, to);
    dispatch(state.tr.insertText(`[[${text}`, from, to));
    return true;
  }

  // ---- suggestions: [[page titles]] and @colleagues -----------------------------------------

  triggerAtCursor() {
    const { selection } = this.view.state;
    if (!selection.empty || !selection.$from.parent.isTextblock) return null;
    const $from = selection.$from;
    const before = $from.parent.textBetween(Math.max(0, $from.parentOffset - 80), $from.parentOffset, null, "\ufffc");
    let match = /\[\[([^\[\]|\n\ufffc]{0,60})$/.exec(before);
    if (match && this.titleUrl) return { kind: "wiki", query: match[1], from: $from.pos - match[0].length, to: $from.pos };
    match = /(?:^|[\s(])@([\w.\-]{1,40})$/.exec(before);
    if (match && this.mentionUrl) return { kind: "mention", query: match[1], from: $from.pos - match[1].length - 1, to: $from.pos };
    return null;
  }

  updateSuggestions() {
    const trigger = this.triggerAtCursor();
    if (!trigger || (trigger.kind === "wiki" && trigger.query.trim().length < 1)) {
      if (trigger && trigger.kind === "wiki") this.suggest = { ...trigger, items: [], active: 0 };
      else this.closeSuggestions();
      return;
    }
    const key = `${trigger.kind}:${trigger.query}`;
    if (this.suggest && this.suggest.key === key) {
      Object.assign(this.suggest, { from: trigger.from, to: trigger.to });
      return;
    }
    this.suggest = { ...trigger, key, items: [], active: 0 };
    clearTimeout(this.suggestTimer);
    this.suggestTimer = setTimeout(() => this.fetchSuggestions(key, trigger), 150);
  }

  async fetchSuggestions(key, trigger) {
    const url = new URL(trigger.kind === "wiki" ? this.titleUrl : this.mentionUrl, window.location.href);
    url.searchParams.set("q", trigger.query);
    let data;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return;
      data = await response.json();
    } catch (err) {
      return; // suggestions are a convenience; typing still works
    }
    if (!this.suggest || this.suggest.key !== key) return;
    this.suggest.items = (data.items || []).map((item) =>
      trigger.kind === "wiki"
        ? { value: item.title, text: item.space ? `${item.title} (${item.space})` : item.title }
        : { value: item.username, text: `${item.display_name} (@${item.username})${item.skill ? ` – ${item.skill}` : ""}` },
    );
    this.suggest.active = 0;
    this.renderSuggestions();
  }

  renderSuggestions() {
    const items = this.suggest ? this.suggest.items : [];
    this.listbox.replaceChildren(
      ...items.map((item, i) => {
        const option = document.createElement("li");
        option.id = `${this.listbox.id}-${i}`;
        option.className = "list-group-item list-group-item-action" + (i === this.suggest.active ? " active" : "");
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", String(i === this.suggest.active));
        option.textContent = item.text;
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          this.suggest.active = i;
          this.acceptSuggestion();
        });
        return option;
      }),
    );
    this.listbox.hidden = items.length === 0;
    const dom = this.view.dom;
    if (items.length) {
      dom.setAttribute("aria-controls", this.listbox.id);
      dom.setAttribute("aria-activedescendant", `${this.listbox.id}-${this.suggest.active}`);
      const coords = this.view.coordsAtPos(this.suggest.to);
      const box = this.root.getBoundingClientRect();
      // CSSOM, not a style attribute: allowed under our CSP.
      this.listbox.style.left = `${Math.max(0, coords.left - box.left)}px`;
      this.listbox.style.top = `${coords.bottom - box.top + 4}px`;
      this.announce(this.t("suggestionCount").replace("%(count)s", String(items.length)));
    } else {
      dom.removeAttribute("aria-activedescendant");
    }
  }

  closeSuggestions() {
    this.suggest = null;
    if (!this.listbox.hidden) {
      this.listbox.hidden = true;
      this.view.dom.removeAttribute("aria-activedescendant");
    }
  }

  suggestKey(event) {
    if (!this.suggest || !this.suggest.items.length) return false;
    const count = this.suggest.items.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      this.suggest.active = (this.suggest.active + (event.key === "ArrowDown" ? 1 : count - 1)) % count;
      this.renderSuggestions();
      return true;
    }
    if (event.key === "Enter" || event.key === "Tab") {
      this.acceptSuggestion();
      return true;
    }
    if (event.key === "Escape") {
      this.closeSuggestions();
      return true;
    }
    return false;
  }

  acceptSuggestion() {
    const { kind, from, to, items, active } = this.suggest;
    const item = items[active];
    const tr = this.view.state.tr;
    if (kind === "wiki") {
      tr.replaceWith(from, to, nodes.wikilink.create({ title: item.value }));
    } else {
      tr.insertText(`@${item.value} `, from, to);
    }
    this.closeSuggestions();
    this.view.dispatch(tr.scrollIntoView());
    this.view.focus();
    this.closeSuggestions();
  }

  // ---- tasks ---------------------------------------------------------------------------------

  clickTask(node, nodePos, event, direct) {
    // A click in the box drawn before a task (its left padding) ticks it.
    if (!direct || node.type !== nodes.list_item || node.attrs.checked === null) return false;
    const dom = this.view.nodeDOM(nodePos);
    if (!dom || event.clientX > dom.getBoundingClientRect().left + 24) return false;
    this.view.dispatch(this.view.state.tr.setNodeMarkup(nodePos, null, { checked: !node.attrs.checked }));
    return true;
  }

  // ---- images --------------------------------------------------------------------------------

  imageFiles(list) {
    return Array.from(list || []).filter((file) => IMAGE_TYPES.includes(file.type));
  }

  pasteFiles(data) {
    const files = this.imageFiles(data && data.files);
    // Word and web pages paste text with a picture of it: the text wins.
    if (!files.length || (data.getData("text/html") && data.getData("text/plain"))) return false;
    this.uploadImages(files, this.view.state.selection.from);
    return true;
  }

  dropFiles(event) {
    const files = this.imageFiles(event.dataTransfer && event.dataTransfer.files);
    if (!files.length) return false;
    const at = this.view.posAtCoords({ left: event.clientX, top: event.clientY });
    this.uploadImages(files, at ? at.pos : this.view.state.selection.from);
    event.preventDefault();
    return true;
  }

  chooseImage() {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = IMAGE_TYPES.join(",");
    input.multiple = true;
    input.addEventListener("change", () => this.uploadImages(this.imageFiles(input.files), this.view.state.selection.from));
    input.click();
    return true;
  }

  async uploadImages(files, at) {
    if (!this.uploadUrl) {
      this.announce(this.t("noUpload"));
      this.showMessage(this.t("noUpload"));
      return;
    }
    for (const file of files) {
      this.announce(this.t("uploading").replace("%(name)s", file.name));
      const body = new FormData();
      const name = file.name && file.name !== "image.png" ? file.name : `${this.t("pastedImage")}-${Date.now()}.${file.type.split("/")[1]}`;
      body.append("file", file, name);
      let answer;
      try {
        const response = await fetch(this.uploadUrl, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": this.csrf, Accept: "application/json" },
        });
        answer = await response.json();
        if (!response.ok) throw new Error(answer.message || response.statusText);
      } catch (err) {
        this.showMessage(`${this.t("uploadFailed")} ${err.message}`);
        continue;
      }
      const image = nodes.image.create({ src: answer.url, alt: answer.name.replace(/\.[^.]+$/, "") });
      const pos = Math.min(at, this.view.state.doc.content.size);
      this.view.dispatch(this.view.state.tr.insert(pos, image));
      this.announce(this.t("uploaded").replace("%(name)s", answer.name));
    }
  }

  showMessage(text) {
    let box = this.root.querySelector(".md-message");
    if (!box) {
      box = document.createElement("div");
      box.className = "md-message alert alert-warning py-1 px-2 mt-1 mb-0 small";
      box.setAttribute("role", "alert");
      this.surface.after(box);
    }
    box.textContent = text;
  }
}

function start() {
  document.querySelectorAll("[data-editor]").forEach((root) => {
    if (root.querySelector("textarea") && !root.dataset.editorReady) {
      root.dataset.editorReady = "1";
      root.editor = new MarkdownEditor(root);
    }
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
