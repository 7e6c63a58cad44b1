// asl-lint-lsp driven with vscode-jsonrpc, the protocol library VS Code's language client
// is built on, with the capabilities and the document selector the extension gives it.
// The server is the one serverCommand() picks: ASL_LINT_PYTHON (an interpreter with
// asl-lint installed) or asl-lint-lsp on PATH.
const assert = require("node:assert/strict");
const cp = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const test = require("node:test");
const rpc = require("vscode-jsonrpc/node");
const { serverCommand, GRAPH_COMMAND } = require("../out/server.js");

const BROKEN = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Shipp"},\n "Ship": {"Type": "Succeed"}}}\n';

function start(root) {
  const server = serverCommand("", process.env.ASL_LINT_PYTHON);
  const child = cp.spawn(server.command, server.args, { cwd: root });
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const published = new Map();
  const waiting = [];
  connection.onNotification("textDocument/publishDiagnostics", (params) => {
    published.set(params.uri, params.diagnostics);
    for (const wait of waiting.splice(0)) {
      wait();
    }
  });
  connection.onRequest("client/registerCapability", () => null);  // as VS Code answers it
  connection.listen();
  const diagnostics = async (uri) => {
    while (!published.has(uri)) {
      await new Promise((resolve) => waiting.push(resolve));
    }
    return published.get(uri);
  };
  return { child, connection, diagnostics };
}

test("what the extension relies on: diagnostics for files and untitled buffers, the graph lens", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "asl-lint-vscode-"));
  fs.mkdirSync(path.join(root, ".git"));
  const { child, connection, diagnostics } = start(root);
  try {
    const rootUri = `file://${root}`;
    const initialized = await connection.sendRequest("initialize", {
      processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: "root" }],
      capabilities: {
        general: { positionEncodings: ["utf-16"] },
        textDocument: { publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source.fixAll"] } } },
          completion: { completionItem: { snippetSupport: true } }, rename: { prepareSupport: true } },
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
      },
      initializationOptions: { checkTimeout: 30 },
    });
    const capabilities = initialized.capabilities;
    assert.ok(capabilities.executeCommandProvider.commands.includes(GRAPH_COMMAND));
    assert.ok(capabilities.completionProvider && capabilities.renameProvider && capabilities.codeLensProvider);
    connection.sendNotification("initialized", {});
    const file = `${rootUri}/flow.asl.json`;
    connection.sendNotification("textDocument/didOpen", { textDocument: { uri: file, languageId: "asl", version: 1, text: BROKEN } });
    const found = await diagnostics(file);
    assert.deepEqual(found.map((d) => d.code).sort(), ["ASL202", "ASL203"]);
    assert.deepEqual(found.find((d) => d.code === "ASL203").tags, [1]);
    const untitled = "untitled:Untitled-1";
    connection.sendNotification("textDocument/didOpen", { textDocument: { uri: untitled, languageId: "asl", version: 1, text: BROKEN } });
    assert.ok((await diagnostics(untitled)).some((d) => d.code === "ASL202"));
    const lenses = await connection.sendRequest("textDocument/codeLens", { textDocument: { uri: file } });
    assert.equal(lenses[0].command.command, GRAPH_COMMAND);
    const drawn = await connection.sendRequest("workspace/executeCommand", lenses[0].command);
    assert.ok(drawn.startsWith("flowchart TD"));
    await connection.sendRequest("shutdown");
    const exited = new Promise((resolve) => child.once("exit", resolve));
    connection.sendNotification("exit");
    assert.equal(await exited, 0);
  } finally {
    connection.dispose();
    child.kill();
  }
});
