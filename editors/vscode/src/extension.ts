// The VS Code side: start asl-lint-lsp with the documents it reads, restart it, and show
// the state graph its code lens asks for.

import * as crypto from "crypto";
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import { GRAPH_COMMAND, documentSelector, graphPage, serverCommand } from "./server";

let client: LanguageClient | undefined;

/** The interpreter of the Python extension's active environment, when it is installed. */
async function activePython(): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension("ms-python.python");
  if (!extension) {
    return undefined;
  }
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const active = api?.environments?.getActiveEnvironmentPath?.();
    if (!active?.path) {
      return undefined;
    }
    const resolved = await api.environments.resolveEnvironment?.(active);
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

function showGraph(mermaid: string, machine: unknown): void {
  const title = typeof machine === "string" && machine ? `State graph: ${machine}` : "State graph";
  const panel = vscode.window.createWebviewPanel("asl-lint.graph", title, vscode.ViewColumn.Beside, {
    enableScripts: true,
  });
  const nonce = crypto.randomBytes(16).toString("base64");
  panel.webview.html = graphPage(mermaid, title, nonce, panel.webview.cspSource);
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const settings = vscode.workspace.getConfiguration("asl-lint");
  const configured = settings.get<string>("path") ?? "";
  const server = serverCommand(configured, configured ? undefined : await activePython());
  const serverOptions: ServerOptions = { command: server.command, args: server.args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    initializationOptions: { checkTimeout: settings.get<number>("checkTimeout") ?? 10 },
    middleware: {
      executeCommand: async (command, args, next) => {
        const answer = await next(command, args);
        if (command === GRAPH_COMMAND && typeof answer === "string") {
          showGraph(answer, args[1]);
        }
        return answer;
      },
    },
  };
  client = new LanguageClient("asl-lint", "asl-lint", serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("asl-lint.restart", async () => {
      await client?.stop();
      await start(context);
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
