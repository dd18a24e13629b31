/** The one `--sandbox` option of every command that runs something, and how it becomes a sandbox. */
import { Option } from 'commander';
import { getSandbox, NO_SANDBOX_WARNING } from '../core/sandbox/probe.js';
import type { Sandbox, SandboxMode } from '../core/sandbox/sandbox.js';
import { warn } from './output.js';

export function sandboxOption(what = 'where agents and verifiers run'): Option {
  return new Option('--sandbox <mode>', `${what}: bwrap (isolated) or none (no isolation: only when you mean it)`).choices(['bwrap', 'none']).default('bwrap');
}

/** The sandbox of a mode; `none` says loudly what it means. Missing bubblewrap is a harness error (exit 4). */
export async function openSandbox(mode: SandboxMode): Promise<Sandbox> {
  if (mode === 'none') warn(NO_SANDBOX_WARNING);
  return getSandbox(mode);
}
