/** Shared test helpers: run the built CLI, make task folders in temp dirs. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'dist', 'cli.cjs');
/** ClawGym-Bench beside the checkout (CLAWGYM_BENCH points elsewhere, e.g. from a git worktree). */
export const BENCH = process.env.CLAWGYM_BENCH ?? resolve(ROOT, '..', 'shared', 'datasets', 'clawgym-bench');
export const EXAMPLES = join(ROOT, 'examples', 'tasks');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

export function tempDir(prefix = 'clawgym-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Write a native task folder: task.yaml from `spec`, plus files under the folder (e.g. workspace/a.txt). */
export function writeTask(root: string, spec: Record<string, unknown>, files: Record<string, string> = {}): string {
  const dir = join(root, String(spec.id));
  mkdirSync(join(dir, 'workspace'), { recursive: true });
  writeFileSync(join(dir, 'task.yaml'), stringify({ title: String(spec.id), instruction: 'Do the thing.', ...spec }));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
    if (p.endsWith('.sh')) chmodSync(join(dir, p), 0o755);
  }
  return dir;
}

export function writeRaw(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
