// The extension's decisions, without VS Code: node --test (after tsc).
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const test = require("node:test");
const { documentSelector, serverCommand, onPath, graphPage, LANGUAGES } = require("../out/server.js");

test("every language a definition is written in, as a file and untitled", () => {
  const selector = documentSelector();
  for (const language of ["json", "yaml", "asl", "asl-yaml", "terraform"]) {
    assert.ok(selector.some((filter) => filter.language === language && filter.scheme === "file"));
    assert.ok(selector.some((filter) => filter.language === language && filter.scheme === "untitled"));
  }
  assert.equal(selector.length, LANGUAGES.length * 2);
});

test("the configured path first, then the active Python environment's, then PATH", () => {
  const never = () => false;
  const always = () => true;
  assert.deepEqual(serverCommand(" /opt/asl-lint-lsp ", "/venv/bin/python", always, ""),
    { command: "/opt/asl-lint-lsp", args: [], source: "setting" });
  assert.deepEqual(serverCommand("", "/venv/bin/python", always, ""),
    { command: "/venv/bin/python", args: ["-m", "asl_lint.lsp.server"], source: "python" });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "asl-lint-path-"));
  const executable = path.join(folder, process.platform === "win32" ? "asl-lint-lsp.exe" : "asl-lint-lsp");
  fs.writeFileSync(executable, "");
  assert.deepEqual(serverCommand("", "/venv/bin/python", never, folder),
    { command: executable, args: [], source: "path" });  // a Python without asl-lint is passed over
  assert.equal(serverCommand("", undefined, never, "").command, "asl-lint-lsp");
  assert.equal(onPath("asl-lint-lsp", ""), undefined);
});

test("the graph page escapes the text it shows and loads only its own script", () => {
  const page = graphPage('flowchart TD\n  a["<b>&"] --> b', "State graph: <x>", "n0nce", "vscode-resource:");
  assert.ok(page.includes("a[&quot;&lt;b&gt;&amp;&quot;]"));
  assert.ok(page.includes("State graph: &lt;x&gt;") && !page.includes("<x>"));
  assert.ok(page.includes("script-src 'nonce-n0nce'") && page.includes('nonce="n0nce"'));
});
