// Reads a JSON list of Markdown texts on stdin and prints the list the editor would save
// after a full round trip through its document (tests/test_editor_markdown.py uses it).
import { readFileSync } from "node:fs";
import { fromMarkdown, toMarkdown } from "./markdown.js";

const texts = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(texts.map((text) => toMarkdown(fromMarkdown(text)))));
