/**
 * The task.yaml language client. The server (dist/server.cjs, a node IPC process) starts only when
 * a task.yaml is first open in the editor — lazily, as vscode-eslint does — so a workspace of
 * tasks that nobody edits pays nothing for it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import { TASK_FILE_PATTERN, TASK_LANGUAGE_ID } from '../protocol/task-language.js';

// Files named task.yaml get the clawgym-task language; the pattern keeps them served when a user
// association makes them plain yaml.
const selector = [
  { scheme: 'file', language: TASK_LANGUAGE_ID },
  { scheme: 'file', pattern: TASK_FILE_PATTERN },
];

let client: LanguageClient | undefined;

/** Start the client on the first task.yaml opened (now or later). */
export function registerTaskLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  const startIfTask = (d: vscode.TextDocument) => {
    if (!client && vscode.languages.match(selector, d) > 0) start(context, log);
  };
  vscode.workspace.textDocuments.forEach(startIfTask);
  return vscode.workspace.onDidOpenTextDocument(startIfTask);
}

function start(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const module = context.asAbsolutePath(path.join('dist', 'server.cjs'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector,
    outputChannel: log,
  };
  client = new LanguageClient('clawgym', 'ClawGym task.yaml', serverOptions, clientOptions);
  const t0 = performance.now();
  client.start().then(
    () => log.info(`task.yaml language server started in ${(performance.now() - t0).toFixed(0)} ms`),
    (e: unknown) => log.error(`task.yaml language server failed to start: ${e instanceof Error ? e.message : String(e)}`),
  );
}

/** For deactivate(): the server process ends with the client. */
export async function stopTaskLanguageClient(): Promise<void> {
  const c = client;
  client = undefined;
  await c?.stop();
}
