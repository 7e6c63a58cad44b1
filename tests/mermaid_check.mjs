// Parses Mermaid files with the mermaid package's own parser (under jsdom), as GitHub would.
// node tests/mermaid_check.mjs FILE...   (NODE_PATH must reach mermaid and jsdom)
import { JSDOM } from "jsdom";
import fs from "node:fs";
const dom = new JSDOM("<!DOCTYPE html><body></body>", { pretendToBeVisual: true });
globalThis.window = dom.window; globalThis.document = dom.window.document;
Object.defineProperty(globalThis, "navigator", { value: dom.window.navigator, configurable: true });
globalThis.DOMPurify = undefined;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, "utf8").split("\n").filter(l => !l.startsWith("%% ")).join("\n");
  for (const chunk of text.split(/\n(?=flowchart )/)) {
    try { await mermaid.parse(chunk); } catch (e) { failed++; console.error(file, String(e).slice(0, 300)); }
  }
}
console.log(failed ? "FAILED" : "OK");
process.exit(failed ? 1 : 0);
