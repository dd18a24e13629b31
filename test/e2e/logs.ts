/**
 * The extension's log output channel as VS Code persists it: a file ending in `ClawGym.log` under
 * `<user-data-dir>/logs/` (the extension host writes it server-side in code-server).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function clawgymLogFiles(userDataDir: string): string[] {
  const logs = join(userDataDir, 'logs');
  let entries: string[];
  try {
    entries = readdirSync(logs, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries.filter((p) => p.endsWith('ClawGym.log')).map((p) => join(logs, p)).sort();
}

/** All ClawGym log text of this session (empty before the extension logged anything). */
export function clawgymLog(userDataDir: string): string {
  return clawgymLogFiles(userDataDir).map((f) => readFileSync(f, 'utf8')).join('\n');
}

/** N from the extension's "activated in <N> ms" line, or undefined when it is not there yet. */
export function activationMs(log: string): number | undefined {
  const m = /activated in (\d+(?:\.\d+)?) ms/.exec(log);
  return m ? Number(m[1]) : undefined;
}

/** How many times the extension activated so far (once per extension host). */
export function activationCount(userDataDir: string): number {
  return clawgymLog(userDataDir).match(/activated in \d+(?:\.\d+)? ms/g)?.length ?? 0;
}

/**
 * Errors the extension host logged (an extension's exceptions land there, e.g. API misuse),
 * without the lookups of hosts this offline machine cannot resolve.
 */
export function extensionHostErrors(userDataDir: string): string[] {
  const logs = join(userDataDir, 'logs');
  let files: string[];
  try {
    files = readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((p) => /exthost\.log$/.test(p));
  } catch {
    return [];
  }
  return files
    .flatMap((f) => readFileSync(join(logs, f), 'utf8').split('\n'))
    .filter((l) => l.includes('[error]') && !/ENOTFOUND|EAI_AGAIN/.test(l));
}
