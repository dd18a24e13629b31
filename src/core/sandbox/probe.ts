/**
 * Decide which sandbox a run gets, once per process: bwrap when it works here, otherwise a clear
 * error naming the fix. `none` only when the user asks for it, with a warning.
 */
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxUnavailableError } from '../errors.js';
import { debianPackageFor, TASK_TOOLS } from '../task/task-environment.js';
import { BwrapSandbox, HostSandbox, type Sandbox, type SandboxMode } from './sandbox.js';

const NAMESPACE_FIX =
  'this machine does not let bubblewrap create namespaces. Fix: `sysctl -w kernel.unprivileged_userns_clone=1` ' +
  '(Debian), or `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (Ubuntu 24.04+); in a container, ' +
  'allow user namespaces (e.g. docker run --security-opt seccomp=unconfined --security-opt apparmor=unconfined). ' +
  'Or run without isolation with --sandbox none.';

let cached: Promise<Sandbox> | undefined;

export const NO_SANDBOX_WARNING =
  'warning: --sandbox none: agents and verifiers run directly on this machine, with your permissions and network, ' +
  'and scripts that hard-code the mount path (e.g. /root/.openclaw/workspace) will not find the workspace.';

export function getSandbox(mode: SandboxMode): Promise<Sandbox> {
  if (mode === 'none') return Promise.resolve(new HostSandbox());
  cached ??= probeBwrap();
  return cached;
}

async function probeBwrap(): Promise<Sandbox> {
  const sb = new BwrapSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'clawgym-probe-'));
  try {
    if (sb.owner) chownSync(dir, sb.owner.uid, sb.owner.gid);
    const res = await sb.run({ argv: ['true'], workspace: dir, mount: '/probe', timeoutMs: 10_000 });
    if (res.exitCode === 0) return sb;
    const why = res.stderr.trim();
    if (/namespace|uid map|setting up uid|Operation not permitted/i.test(why)) {
      throw new SandboxUnavailableError(`bubblewrap failed: ${why}\n${NAMESPACE_FIX}`);
    }
    throw new SandboxUnavailableError(`bubblewrap failed (exit ${res.exitCode}): ${why || 'no message'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The tools tasks call, each with its Debian package: the task environment contract's one list. */
export const EXPECTED_TOOLS = TASK_TOOLS;
export { debianPackageFor };
