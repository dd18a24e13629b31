/** Command lines for the clawgym CLI, as the extension runs it (terminal or child process). Pure. */

export interface CliLocation {
  /** Empty: run the bundled CLI with `node`. */
  cliPath: string;
  nodePath: string;
  bundledCli: string;
}

export interface RunArgs {
  taskSources: string[];
  taskIds: string[];
  agent: string;
  out: string;
  sandbox: 'bwrap' | 'none';
  command?: string;
  /** For the claw agent. The base URL and key travel in the environment. */
  model?: string;
  concurrency?: number;
  json?: boolean;
}

export function cliArgv(loc: CliLocation): string[] {
  return loc.cliPath ? [loc.cliPath] : [loc.nodePath || 'node', loc.bundledCli];
}

/** A task id as an exact --include glob (ids may contain glob characters). */
export function exactGlob(id: string): string {
  return id.replace(/[\\*?[\]{}()!+@|]/g, (c) => `\\${c}`);
}

export function runArgv(loc: CliLocation, a: RunArgs): string[] {
  const argv = [...cliArgv(loc), 'run', ...new Set(a.taskSources)];
  for (const id of a.taskIds) argv.push('--include', exactGlob(id));
  argv.push('--agent', a.agent, '--out', a.out);
  if (a.agent === 'command' && a.command) argv.push('--command', a.command);
  if ((a.agent === 'claw' || a.agent === 'openclaw') && a.model) argv.push('--model', a.model);
  if (a.sandbox !== 'bwrap') argv.push('--sandbox', a.sandbox);
  if (a.concurrency) argv.push('--concurrency', String(a.concurrency));
  if (a.json) argv.push('--json', '--no-progress');
  return argv;
}

/** `clawgym setup openclaw`: what the extension offers when the openclaw agent is picked and missing. */
export function setupOpenclawArgv(loc: CliLocation): string[] {
  return [...cliArgv(loc), 'setup', 'openclaw'];
}

export function verifyArgv(loc: CliLocation, taskSource: string, folder: string, sandbox: 'bwrap' | 'none'): string[] {
  const argv = [...cliArgv(loc), 'verify', taskSource, folder, '--json'];
  if (sandbox !== 'bwrap') argv.push('--sandbox', sandbox);
  return argv;
}


/** `clawgym convert --to native`: the task at `source` into `<out>/<id>`. */
export function convertArgv(loc: CliLocation, source: string, out: string): string[] {
  return [...cliArgv(loc), 'convert', source, '--to', 'native', '--out', out, '--json'];
}

/** `clawgym validate`, machine-readable. */
export function validateArgv(loc: CliLocation, paths: readonly string[]): string[] {
  return [...cliArgv(loc), 'validate', ...paths, '--json'];
}
