/**
 * The folder the end-to-end workbench opens: the bundled example tasks under tasks/, an extra
 * task whose check text is markup (xss-probe), and workspace settings for an unattended run.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { EXAMPLES } from '../helpers.ts';

/** Markup that must reach the Verification view as text, never as an element. */
export const XSS_TEXT = '<img src=x onerror=alert(1)>';
export const XSS_TASK = 'xss-probe';

export interface TestWorkspace {
  /** The folder opened in code-server. */
  readonly folder: string;
  readonly tasksDir: string;
  /** Ids of the bundled examples, in folder order. */
  readonly exampleIds: string[];
}

const SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'clawgym.openWorkspaceIn': 'addToWorkspace',
  'terminal.integrated.shellIntegration.enabled': true,
};

const XSS_TASK_YAML = `id: ${XSS_TASK}
title: Markup in a check message reaches the Verification view as text
instruction: |
  Write the word "hello" to note.txt.
category: Harness Probes
subcategory: webview escaping
difficulty: 1
timeout_sec: 60
provenance:
  route: manual
  generator: clawgym-e2e
verify:
  checks:
    - id: markup_text
      type: text_contains
      path: note.txt
      text: ${JSON.stringify(XSS_TEXT)}
      description: Fails on purpose; its expected text is HTML that must be shown literally.
`;

// The oracle writes something else, so the check fails and its message carries the markup.
const XSS_SOLVE = `#!/usr/bin/env bash
set -euo pipefail
printf 'hello\\n' > note.txt
`;

export function makeTestWorkspace(): TestWorkspace {
  const folder = mkdtempSync(join(tmpdir(), 'clawgym-e2e-ws-'));
  // mkdtemp makes 0700; the sandbox runs as another uid when ClawGym runs as root.
  chmodSync(folder, 0o755);
  const tasksDir = join(folder, 'tasks');
  cpSync(EXAMPLES, tasksDir, { recursive: true });
  const exampleIds = readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

  write(join(tasksDir, XSS_TASK, 'task.yaml'), XSS_TASK_YAML);
  write(join(tasksDir, XSS_TASK, 'workspace', 'note.txt'), 'draft\n');
  write(join(tasksDir, XSS_TASK, 'solution', 'solve.sh'), XSS_SOLVE);
  chmodSync(join(tasksDir, XSS_TASK, 'solution', 'solve.sh'), 0o755);

  write(join(folder, '.vscode', 'settings.json'), JSON.stringify(SETTINGS, null, 2) + '\n');
  return { folder, tasksDir, exampleIds };
}

/** The number of checks a native task declares in its task.yaml. */
export function checkCount(taskDir: string): number {
  const spec = parse(readFileSync(join(taskDir, 'task.yaml'), 'utf8')) as { verify?: { checks?: unknown[] } };
  return spec.verify?.checks?.length ?? 0;
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
