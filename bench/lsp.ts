/**
 * task.yaml language server: diagnostics latency on a generated 2,000-line task.yaml, measured as
 * an editor sees it — from a didChange sent to dist/server.cjs over IPC to the publishDiagnostics
 * for that version (median of 21 edits, after 3 warm-up ones). Target < 50 ms. Baseline, in the
 * same run: the core loader (`checkTaskYaml`: YAML + zod + duplicate ids), what `clawgym` itself
 * pays to load the same file. Run alone with `node --import tsx bench/lsp.ts`.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node.js';
import { checkTaskYaml } from '../src/core/task/native.js';
import { diagnose, parseTaskDocument } from '../src/language-server/analysis.js';
import { nodeFs } from '../src/language-server/fs-view.js';

const LINES = 2000;
const RUNS = 21;
const WARMUP = 3;

/** A task with every kind of check, about `lines` lines long; some paths exist, some are only named, one is neither. */
export function bigTaskYaml(lines: number): string {
  const out = ['id: big-task', 'title: A very large task', 'category: data', 'difficulty: 3', 'instruction: |'];
  for (let i = 0; i < 40; i++) out.push(`  Step ${i + 1}: read data/in_${i}.csv and write out/result_${i}.json; keep notes.md up to date.`);
  out.push('verify:', '  weights:', '    code: 0.7', '    rubric: 0.3', '  checks:');
  const kinds = [
    (i: number) => [`    - id: exists_${i}`, '      type: file_exists', `      path: out/result_${i % 40}.json`, '      weight: 1', '      description: the result file is there'],
    (i: number) => [`    - id: json_${i}`, '      type: json_path', `      path: out/result_${i % 40}.json`, '      query: $.totals.count', `      equals: ${i}`],
    (i: number) => [`    - id: csv_${i}`, '      type: csv', `      path: data/in_${i % 40}.csv`, '      columns: [id, name, amount]', '      row_count: 10', '      sorted_by:', '        column: id', '        numeric: true'],
    (i: number) => [`    - id: text_${i}`, '      type: text_contains', '      path: notes.md', '      text:', `        - step ${i}`, '        - done', '      normalize:', '        case: true'],
    (i: number) => [`    - id: cmd_${i}`, '      type: command', `      run: python3 -c "print(${i})"`, `      stdout_contains: "${i}"`],
    (i: number) => [`    - id: unchanged_${i}`, '      type: file_unchanged', `      path: data/in_${i % 40}.csv`, '      weight: 0'],
  ];
  for (let i = 0; out.length < lines - 8; i++) out.push(...kinds[i % kinds.length]!(i));
  out.push('    - id: stray', '      type: file_exists', '      path: nowhere/forgotten.txt', '  rubric:', '    rules:', '      - name: clarity', '        file_path: notes.md', '        scores: {"0": unclear, "1": clear}');
  return out.join('\n') + '\n';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchLsp(root: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'clawgym-bench-lsp-'));
  mkdirSync(join(dir, 'workspace', 'data'), { recursive: true });
  for (let i = 0; i < 40; i++) writeFileSync(join(dir, 'workspace', 'data', `in_${i}.csv`), 'id,name,amount\n');
  writeFileSync(join(dir, 'workspace', 'notes.md'), '# notes\n');
  const text = bigTaskYaml(LINES);
  const file = join(dir, 'task.yaml');
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const lineCount = text.split('\n').length - 1;

  // Each edit changes one value, so the server really re-analyses every version.
  const edit = (v: number) => text.replace('difficulty: 3', `difficulty: ${(v % 5) + 1}`);

  // Baseline and in-process analysis on the same texts.
  const loader: number[] = [];
  const inProcess: number[] = [];
  let warnings = 0;
  for (let v = 0; v < WARMUP + RUNS; v++) {
    let t = performance.now();
    checkTaskYaml(edit(v), file);
    const a = performance.now() - t;
    t = performance.now();
    const ds = diagnose(parseTaskDocument(TextDocument.create(uri, 'clawgym-task', v, edit(v))), nodeFs);
    const b = performance.now() - t;
    if (v >= WARMUP) [loader[loader.length], inProcess[inProcess.length]] = [a, b];
    warnings = ds.length;
  }

  const child = fork(join(root, 'dist', 'server.cjs'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const conn = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const pending = new Map<number, (p: PublishDiagnosticsParams) => void>();
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => pending.get(p.version ?? -1)?.(p));
  conn.listen();
  await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {}, workspaceFolders: null });
  await conn.sendNotification(InitializedNotification.type, {});
  const roundTrip = async (v: number, send: () => Promise<void>): Promise<number> => {
    const got = new Promise<PublishDiagnosticsParams>((res) => pending.set(v, res));
    const t = performance.now();
    await send();
    await got;
    return performance.now() - t;
  };
  const openMs = await roundTrip(1, () => conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'clawgym-task', version: 1, text } }));
  const lsp: number[] = [];
  for (let v = 2; v < 2 + WARMUP + RUNS; v++) {
    const ms = await roundTrip(v, () => conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: v }, contentChanges: [{ text: edit(v) }] }));
    if (v >= 2 + WARMUP) lsp.push(ms);
  }
  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  conn.dispose();
  rmSync(dir, { recursive: true, force: true });

  const m = median(lsp);
  const f = (x: number) => x.toFixed(1);
  console.log(`\ntask.yaml language server (${lineCount}-line task.yaml, ${warnings} diagnostics, median of ${RUNS} edits)`);
  console.log(`  diagnostics latency (didChange → publishDiagnostics over IPC): ${f(m)} ms (target < 50 ms) ${m < 50 ? 'OK' : 'ABOVE TARGET'}; first open ${f(openMs)} ms`);
  console.log(`  in-process analysis: ${f(median(inProcess))} ms; baseline, the core loader alone: ${f(median(loader))} ms (ratio LSP/loader ${(m / median(loader)).toFixed(2)})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchLsp(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
}
