/**
 * The built language server (dist/server.cjs) as VS Code runs it: a node process spoken to over
 * IPC, here by a real LSP client connection (vscode-jsonrpc via vscode-languageserver's protocol
 * types). Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  createProtocolConnection,
  type CompletionItem,
  type CompletionList,
  type LocationLink,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node.js';
import { CHECK_TYPES } from '../../src/core/task/schema.ts';
import { ROOT, tempDir } from '../helpers.ts';

const SERVER = join(ROOT, 'dist', 'server.cjs');

const BROKEN = `id: broken
title: Broken
instruction: |
  Write the summary to report.md.
verify:
  checks:
    - id: report
      type: file_exist
      path: report.md
    - id: notes
      type: text_contains
      path: notes.md
      text: done
`;

test('dist/server.cjs over IPC: diagnostics on open and on change, completion, hover, definition, quick fixes, watched files', async (t) => {
  assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build`);
  const root = tempDir('clawgym-lsp-');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'broken');
  mkdirSync(join(dir, 'workspace'), { recursive: true });
  writeFileSync(join(dir, 'workspace', 'notes.txt'), 'todo\n');
  const file = join(dir, 'task.yaml');
  writeFileSync(file, BROKEN);
  const uri = pathToFileURL(file).href;

  const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  t.after(() => {
    if (child.exitCode === null) child.kill();
  });
  const conn = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const registrations: string[] = [];
  conn.onRequest(RegistrationRequest.type, (p) => {
    registrations.push(...p.registrations.map((r) => r.method));
  });
  // Each publishDiagnostics in arrival order; next() waits for the next one.
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    waiters.splice(0).forEach((w) => w());
  });
  let seen = 0;
  const next = async (): Promise<PublishDiagnosticsParams> => {
    const deadline = Date.now() + 10_000;
    while (published.length <= seen) {
      if (Date.now() > deadline) throw new Error(`no publishDiagnostics within 10 s; server stderr: ${stderr}`);
      await new Promise<void>((res) => {
        waiters.push(res);
        setTimeout(res, 200);
      });
    }
    return published[seen++]!;
  };
  conn.listen();

  const init = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: {} } },
    workspaceFolders: null,
  });
  assert.ok(init.capabilities.completionProvider && init.capabilities.hoverProvider && init.capabilities.definitionProvider && init.capabilities.codeActionProvider);
  await conn.sendNotification(InitializedNotification.type, {});

  // Open the broken task: the unknown check type and the path nobody mentions, at their ranges.
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'clawgym-task', version: 1, text: BROKEN } });
  const first = await next();
  assert.equal(first.uri, uri);
  assert.equal(first.version, 1);
  assert.deepEqual(
    first.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.range.end.character]),
    [
      ['unknown-check-type', 1, 7, 12, 22],
      ['path-not-in-workspace', 2, 11, 12, 20],
    ],
  );
  assert.ok(registrations.includes(DidChangeWatchedFilesNotification.method), `registered: ${registrations.join(', ')}`);

  // The quick fix for the check type, from the diagnostic's data as the client sends it back.
  const actions = (await conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: first.diagnostics[0]!.range,
    context: { diagnostics: [first.diagnostics[0]!] },
  }))!;
  assert.deepEqual(
    actions.map((a) => ('edit' in a ? a.edit?.changes?.[uri] : undefined)),
    [[{ range: first.diagnostics[0]!.range, newText: 'file_exists' }]],
  );

  // Edit: fix the type, break the YAML (a tab is not indentation).
  const v2 = BROKEN.replace('file_exist\n', 'file_exists\n').replace('      text: done', '\ttext: done');
  await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: v2 }] });
  const second = await next();
  assert.equal(second.version, 2);
  assert.ok(second.diagnostics.length > 0 && second.diagnostics.every((d) => d.code === 'yaml-syntax' && d.severity === 1), JSON.stringify(second.diagnostics));
  assert.equal(second.diagnostics[0]!.range.start.line, 12);

  // Back to valid YAML; the path warning stays until the file exists in workspace/.
  const v3 = v2.replace('\ttext: done', '      text: done');
  await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 3 }, contentChanges: [{ text: v3 }] });
  assert.deepEqual(
    (await next()).diagnostics.map((d) => d.code),
    ['path-not-in-workspace'],
  );
  writeFileSync(join(dir, 'workspace', 'notes.md'), 'done\n');
  await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(join(dir, 'workspace', 'notes.md')).href, type: FileChangeType.Created }] });
  assert.deepEqual((await next()).diagnostics, []);

  // Completion after `type: ` is the check types; hover and definition on the live document.
  const v4 = v3.replace('      type: text_contains', '      type: ');
  await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 4 }, contentChanges: [{ text: v4 }] });
  await next();
  const completion = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 10, character: 12 } })) as CompletionItem[] | CompletionList;
  const items = Array.isArray(completion) ? completion : completion.items;
  assert.deepEqual(
    items.map((i) => i.label),
    CHECK_TYPES,
  );
  const hover = await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 6, character: 8 } });
  assert.match(JSON.stringify(hover?.contents), /Unique id of the check/);
  const links = (await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 11, character: 14 } })) as LocationLink[];
  assert.equal(links[0]!.targetUri, pathToFileURL(join(dir, 'workspace', 'notes.md')).href);

  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  assert.equal(await exited, 0, stderr);
  conn.dispose();
});
