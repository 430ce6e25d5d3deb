// Clipboard HTML from Word, LibreOffice, Excel and web pages, cleaned before ProseMirror
// reads it: Word's paragraph "lists" become lists, formatting carried in styles becomes
// <strong>/<em>, and styles, fonts, comments, tracked deletions and foreign images go.

const SAFE_HREF = /^(https?:|mailto:|\/|#)/i;
const DROPPED = "x-style, x-script, meta, link, title, noscript, template, iframe, object, embed, xml, del, s, strike";

function styleOf(element) {
  return (element.getAttribute("data-style") || "").toLowerCase().replace(/\s+/g, "");
}

// Word marks list paragraphs with "mso-list:l0 level2 lfo1" and writes the bullet or number
// as text inside a span with "mso-list:Ignore".
function wordListInfo(paragraph) {
  const match = /mso-list:(l\d+)level(\d+)/.exec(styleOf(paragraph));
  if (!match) return null;
  const marker = paragraph.querySelector("span[data-style*='mso-list']");
  const text = marker ? marker.textContent.trim() : "";
  if (marker) marker.remove();
  return { level: Number(match[2]), ordered: /^[\dA-Za-z]{1,4}[.)]$/.test(text) };
}

function rebuildWordLists(body) {
  const doc = body.ownerDocument;
  let stack = [];
  let previous = null;
  for (const paragraph of Array.from(body.querySelectorAll("p, h1, h2, h3, h4, h5, h6"))) {
    const info = wordListInfo(paragraph);
    if (!info) {
      stack = [];
      continue;
    }
    if (previous === null || paragraph.previousElementSibling !== previous) stack = [];
    while (stack.length > info.level) stack.pop();
    while (stack.length < info.level) {
      const list = doc.createElement(info.ordered ? "ol" : "ul");
      if (stack.length === 0) paragraph.before(list);
      else {
        const parent = stack[stack.length - 1];
        (parent.lastElementChild || parent.appendChild(doc.createElement("li"))).appendChild(list);
      }
      stack.push(list);
    }
    const item = doc.createElement("li");
    item.append(...paragraph.childNodes);
    stack[stack.length - 1].appendChild(item);
    // The next list paragraph follows the emptied one; keep it as the anchor, drop it later.
    paragraph.dataset.wordList = "1";
    previous = paragraph;
  }
  body.querySelectorAll("[data-word-list]").forEach((paragraph) => paragraph.remove());
}

function wrap(element, tag) {
  const wrapper = element.ownerDocument.createElement(tag);
  wrapper.append(...element.childNodes);
  element.appendChild(wrapper);
}

function removeComments(root) {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  comments.forEach((comment) => comment.remove());
}

// Rename what the page's CSP would refuse (and report) even in an inert document: style
// attributes and elements, event handlers, scripts. The styles are still read below.
function defang(html) {
  return html
    .replace(/<(\/?)(style|script)\b/gi, "<$1x-$2")
    .replace(/(<[^>]*?\s)style(\s*=)/gi, "$1data-style$2")
    .replace(/(<[^>]*?\s)on(\w+\s*=)/gi, "$1data-on$2");
}

export function cleanPastedHTML(html, origin) {
  const doc = document.implementation.createHTMLDocument("");
  doc.body.innerHTML = defang(html);
  const body = doc.body;
  removeComments(body);
  body.querySelectorAll(DROPPED).forEach((element) => element.remove());
  // Word's comments: the marks in the text and the list of comments at the end.
  body
    .querySelectorAll(".MsoCommentReference, .msocomtxt, [data-style*='mso-element:comment'], a[href^='#_msocom']")
    .forEach((element) => element.remove());
  rebuildWordLists(body);
  for (const element of Array.from(body.querySelectorAll("*"))) {
    const style = styleOf(element);
    if (/font-weight:(bold|[6-9]00)/.test(style) && !element.closest("h1,h2,h3,h4,h5,h6,th")) wrap(element, "strong");
    if (/font-style:italic/.test(style)) wrap(element, "em");
    // Google Docs wraps everything in <b style="font-weight:normal">.
    if (element.tagName === "B" && /font-weight:(normal|400)/.test(style)) element.replaceWith(...element.childNodes);
  }
  // Table cells hold one line of text in Markdown: paragraphs inside them become lines.
  body.querySelectorAll("td p, th p").forEach((paragraph) => {
    if (paragraph.previousElementSibling) paragraph.before(doc.createElement("br"));
    paragraph.replaceWith(...paragraph.childNodes);
  });
  // Pasted lists are tight (one line per item), as people write them in Markdown.
  body.querySelectorAll("ul, ol").forEach((list) => list.setAttribute("data-tight", "true"));
  for (const element of Array.from(body.querySelectorAll("*"))) {
    for (const name of element.getAttributeNames()) {
      if (!["href", "src", "alt", "title", "colspan", "rowspan", "start", "data-checked", "data-tight"].includes(name)) {
        element.removeAttribute(name);
      }
    }
  }
  body.querySelectorAll("a[href]").forEach((link) => {
    if (!SAFE_HREF.test(link.getAttribute("href").trim())) link.removeAttribute("href");
  });
  // Only our own images and pasted image data (uploaded as attachments) stay; an image
  // from another host would not load inside the intranet anyway.
  body.querySelectorAll("img").forEach((image) => {
    const src = image.getAttribute("src") || "";
    let sameOrigin = false;
    try {
      sameOrigin = new URL(src, origin).origin === origin && !src.startsWith("data:");
    } catch (err) {
      sameOrigin = false;
    }
    if (!sameOrigin && !/^data:image\/(png|jpeg|gif|webp);base64,/.test(src)) image.remove();
  });
  return body.innerHTML;
}
