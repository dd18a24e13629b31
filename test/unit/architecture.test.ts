/**
 * The structure stays what ARCHITECTURE.md says: the layer rules fail on planted bad imports (and
 * pass on good ones), and the document, the layer list and the tree name the same layers.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { CORE_LAYERS, CORE_LEAVES } from '../../scripts/layers.mjs';
import { ROOT } from '../helpers.ts';

const eslint = new ESLint({ cwd: ROOT });

/** The import rules that fire on `code` placed at `file` (a path in the tree; the file need not exist). */
async function importErrors(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (r?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('layer rules: a planted import from a lower layer to a higher one fails', async () => {
  const bad: Array<[string, string]> = [
    ['src/core/verify/planted.ts', "import { readManifest } from '../runs/folder.js';\nexport const x = readManifest;\n"],
    ['src/core/task/planted.ts', "import { createAgent } from '../agents/registry.js';\nexport const x = createAgent;\n"],
    ['src/core/agents/claw/planted.ts', "import { startRun } from '../../runs/run.js';\nexport const x = startRun;\n"],
    ['src/core/trace/planted.ts', "import { LlmClient } from '../llm/client.js';\nexport const x = LlmClient;\n"],
    ['src/core/errors-planted.ts', "export {};\n"], // (a leaf that imports nothing: must pass, see below)
    ['src/core/runs/planted.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n"],
    ['src/core/llm/planted.ts', "import { registerRun } from '../../cli/commands/run.js';\nexport const x = registerRun;\n"],
    ['src/extension/model/planted.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n"],
    ['src/extension/planted.ts', "import { startRun } from '../core/runs/run.js';\nexport const x = startRun;\n"],
    ['src/extension/planted2.ts', "import { Queue } from 'bullmq';\nexport const x = Queue;\n"],
    ['webview/verification/planted.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['webview/verification/planted2.ts', "import { readManifest } from '../../src/core/runs/folder.js';\nexport const x = readManifest;\n"],
    ['src/cli/planted.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n"],
  ];
  for (const [file, code] of bad) {
    const errors = await importErrors(file, code);
    if (file.endsWith('errors-planted.ts')) assert.deepEqual(errors, [], file);
    else assert.ok(errors.length > 0, `${file} was allowed:\n${code}`);
  }
});

test('layer rules: imports downward, within a layer, and of the leaves pass', async () => {
  const good: Array<[string, string]> = [
    ['src/core/runs/planted.ts', "import { createAgent } from '../agents/registry.js';\nimport { UsageError } from '../errors.js';\nexport const x = [createAgent, UsageError];\n"],
    ['src/core/agents/claw/planted.ts', "import { verifyWorkspace } from '../../verify/verify.js';\nimport { shellQuote } from '../../shell.js';\nexport const x = [verifyWorkspace, shellQuote];\n"],
    ['src/core/rl/planted.ts', "import { runTrial } from '../runs/trial.js';\nexport const x = runTrial;\n"],
    ['src/extension/planted.ts', "import * as vscode from 'vscode';\nimport { readManifest } from '../core/runs/folder.js';\nexport const x = [vscode, readManifest];\n"],
    ['webview/verification/planted.ts', "import type { HostMessage } from '../../src/protocol/verification.js';\nexport type X = HostMessage;\n"],
  ];
  for (const [file, code] of good) assert.deepEqual(await importErrors(file, code), [], `${file} was refused`);
});

test('import cycles fail', async () => {
  // command.ts imports record.ts; a record.ts that imported command.ts back would close a circle.
  const code = "import { commandAgent } from './command.js';\nexport const x = commandAgent;\n";
  const [r] = await eslint.lintText(code, { filePath: join(ROOT, 'src/core/agents/record.ts') });
  assert.ok(r?.messages.some((m) => m.ruleId === 'import-x/no-cycle'), JSON.stringify(r?.messages));
});

test('ARCHITECTURE.md, the layer list and the tree name the same layers', () => {
  const core = join(ROOT, 'src', 'core');
  const entries = readdirSync(core);
  const dirs = entries.filter((e) => statSync(join(core, e)).isDirectory()).sort();
  const files = entries.filter((e) => e.endsWith('.ts')).sort();
  assert.deepEqual(dirs, [...CORE_LAYERS].sort(), 'every folder of src/core is a layer of scripts/layers.mjs');
  assert.deepEqual(files, [...CORE_LEAVES].sort(), 'every file at the root of src/core is a shared leaf');
  const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
  const table = doc.slice(doc.indexOf('| layer (bottom → top)'), doc.indexOf('Outside core'));
  const rows = [...table.matchAll(/^\| `([a-z-]+)\/`/gm)].map((m) => m[1]);
  assert.deepEqual(rows, [...CORE_LAYERS], "ARCHITECTURE.md's layer table, in order");
  for (const leaf of CORE_LEAVES) assert.ok(table.includes(`\`${leaf}\``), `ARCHITECTURE.md names the leaf ${leaf}`);
  // The README's layout section points at the same document and the same top-level folders.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, /ARCHITECTURE\.md/);
  for (const top of ['src/core', 'src/cli', 'src/extension', 'src/language-server', 'src/protocol', 'webview/']) assert.ok(readme.includes(`\`${top}\``), `README names ${top}`);
});

test('file names are kebab-case everywhere', () => {
  const bad: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (!['data', 'node_modules'].includes(e.name)) walk(rel);
      } else if (/\.(ts|mjs)$/.test(e.name) && !/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)*\.(ts|mjs)$/.test(e.name)) bad.push(rel);
    }
  };
  for (const d of ['src', 'webview', 'test', 'bench', 'scripts']) walk(d);
  assert.deepEqual(bad, []);
});
