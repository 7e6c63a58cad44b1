// What the extension decides without VS Code: how the server is started, which documents
// it is given, how the state graph is shown. Tested on its own (test/server.test.js).

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const GRAPH_COMMAND = "asl-lint.showGraph";

// json/yaml/terraform as VS Code names them, and asl/asl-yaml as the AWS Toolkit names
// *.asl.json and *.asl.yaml once it is installed.
export const LANGUAGES = ["json", "jsonc", "yaml", "asl", "asl-yaml", "terraform"];

export interface DocumentFilter {
  scheme: string;
  language: string;
}

/** Files and untitled buffers of every language a state machine is written in. */
export function documentSelector(): DocumentFilter[] {
  return LANGUAGES.flatMap((language) => [
    { scheme: "file", language },
    { scheme: "untitled", language },
  ]);
}

export interface ServerCommand {
  command: string;
  args: string[];
  source: "setting" | "python" | "path";
}

/** The configured executable; else the active Python environment's server when it has
 * asl-lint installed; else asl-lint-lsp found on PATH. */
export function serverCommand(
  configured: string,
  python: string | undefined,
  hasServer: (python: string) => boolean = pythonHasServer,
  pathVariable: string = process.env.PATH ?? "",
): ServerCommand {
  if (configured.trim()) {
    return { command: configured.trim(), args: [], source: "setting" };
  }
  if (python && hasServer(python)) {
    return { command: python, args: ["-m", "asl_lint.lsp.server"], source: "python" };
  }
  return { command: onPath("asl-lint-lsp", pathVariable) ?? "asl-lint-lsp", args: [], source: "path" };
}

export function pythonHasServer(python: string): boolean {
  const found = spawnSync(python, ["-c", "import asl_lint.lsp.server"], { timeout: 20000 });
  return found.status === 0;
}

export function onPath(name: string, pathVariable: string): string | undefined {
  const names = process.platform === "win32" ? [`${name}.exe`, `${name}.cmd`, name] : [name];
  for (const folder of pathVariable.split(path.delimiter).filter(Boolean)) {
    for (const candidate of names) {
      const full = path.join(folder, candidate);
      try {
        if (fs.statSync(full).isFile()) {
          return full;
        }
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A page that draws a Mermaid flowchart (the text the server's asl-lint.showGraph
 * answers), and shows its text when the drawing library cannot be loaded. */
export function graphPage(mermaid: string, title: string, nonce: string, cspSource: string): string {
  const text = escapeHtml(mermaid);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline'; script-src 'nonce-${nonce}' https://cdn.jsdelivr.net;">
<title>${escapeHtml(title)}</title>
</head>
<body>
<h3>${escapeHtml(title)}</h3>
<pre class="mermaid">${text}</pre>
<script nonce="${nonce}" type="module">
  import mermaid from "https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs";
  mermaid.initialize({ startOnLoad: true, securityLevel: "strict" });
</script>
</body>
</html>`;
}
