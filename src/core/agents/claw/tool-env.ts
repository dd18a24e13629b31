/**
 * Where the claw agent's tools run: the trial's (or episode's) sandbox, open for all of them —
 * one persistent sandbox in which each file operation or command is its own process, all sharing
 * the workspace and a private /tmp (files left in /tmp by one command are there for the next, as
 * on a real machine). Nothing touches host paths directly.
 */
import type { Readable } from 'node:stream';
import type { SandboxResult, SandboxSession } from '../../sandbox/sandbox.js';

export interface ToolEnv {
  sandbox: SandboxSession;
  /** Where the workspace appears inside the sandbox. */
  mount: string;
  /** performance.now() by which everything must have ended (the trial's wall time; an episode moves it each step). */
  deadline: number;
  signal?: AbortSignal;
}

export function remainingMs(env: ToolEnv): number {
  return Math.max(0, env.deadline - performance.now());
}

export function runTool(
  env: ToolEnv,
  argv: string[],
  o: { stdin?: string | Readable; timeoutMs?: number; cwd?: string; extraEnv?: Record<string, string>; outputBytes?: number; onOutput?: (s: 'stdout' | 'stderr', c: Buffer) => void; signal?: AbortSignal } = {},
): Promise<SandboxResult> {
  return env.sandbox.run({
    argv,
    cwd: o.cwd,
    env: o.extraEnv,
    stdin: o.stdin,
    timeoutMs: Math.max(1, Math.min(o.timeoutMs ?? Infinity, remainingMs(env))),
    limits: o.outputBytes ? { outputBytes: o.outputBytes } : undefined,
    onOutput: o.onOutput,
    signal: o.signal ?? env.signal,
  });
}

/** `~/x` means the sandbox's home, as in a shell. */
export function expandHome(p: string): string {
  return p === '~' ? '/root' : p.startsWith('~/') ? `/root/${p.slice(2)}` : p;
}
