/** The CLI as a child process (no terminal): for commands whose output the extension reads. */
import { spawn } from 'node:child_process';
import { baseFolder } from './config.js';

export interface CliProcessOptions {
  /** Each complete line of stderr as it arrives (progress). */
  onStderrLine?: (line: string) => void;
  /** Aborting sends SIGINT, like Ctrl-C in a terminal (commands that resume stop cleanly). */
  signal?: AbortSignal;
}

/** Run the CLI as a child process and collect its output (no terminal). */
export function runCli(argv: string[], env: Record<string, string>, opts: CliProcessOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: baseFolder(), env: { ...process.env, ...env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const interrupt = () => child.kill('SIGINT');
    opts.signal?.addEventListener('abort', interrupt, { once: true });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!opts.onStderrLine) return;
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) opts.onStderrLine(line);
    });
    const done = (code: number | null, extra = '') => {
      opts.signal?.removeEventListener('abort', interrupt);
      if (partial && opts.onStderrLine) opts.onStderrLine(partial);
      partial = '';
      resolve({ code, stdout, stderr: stderr + extra });
    };
    child.on('error', (e) => done(null, e.message));
    child.on('close', (code) => done(code));
  });
}
