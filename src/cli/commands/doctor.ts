/** `clawgym doctor`: can this machine run trials? bubblewrap, namespaces, the tools the sandbox offers. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { errorMessage } from '../../core/errors.js';
import { findOpenclaw, OPENCLAW_VERSION } from '../../core/agents/openclaw/install.js';
import { cgroupSupport } from '../../core/sandbox/cgroup.js';
import { persistentUnavailable } from '../../core/sandbox/persistent.js';
import { EXPECTED_TOOLS, getSandbox } from '../../core/sandbox/probe.js';
import { DATA_RLIMIT_FACTOR, DEFAULT_LIMITS, type Sandbox } from '../../core/sandbox/sandbox.js';
import { chownTree } from '../../core/workspace/copy.js';
import { colors, EXIT, printJson } from '../output.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('Check this machine: bubblewrap, namespaces, and the tools the sandbox offers tasks.')
    .option('--json')
    .action(async (o) => {
      // `optional`: reported, but the machine runs trials without it.
      const checks: Array<{ name: string; ok: boolean; detail: string; optional?: boolean }> = [];
      let sandbox: Sandbox | undefined;
      try {
        sandbox = await getSandbox('bwrap');
        checks.push({ name: 'bubblewrap', ok: true, detail: sandbox.owner ? `works (as root: sandboxes run as uid ${sandbox.owner.uid})` : 'works' });
      } catch (e) {
        checks.push({ name: 'bubblewrap', ok: false, detail: errorMessage(e) });
      }
      if (sandbox) {
        const tmp = await mkdtemp(join(tmpdir(), 'clawgym-doctor-'));
        if (sandbox.owner) await chownTree(tmp, sandbox.owner);
        for (const t of EXPECTED_TOOLS) {
          // The probe's own exit status decides; its first line says which version works.
          const r = await sandbox.run({ argv: ['sh', '-c', `out=$(${t.probe} 2>&1) && printf '%s\\n' "$out" | head -1`], workspace: tmp, mount: '/w', timeoutMs: 10_000 });
          const ok = r.exitCode === 0;
          checks.push({ name: t.name, ok, detail: ok ? r.stdout.trim().split('\n').join(' — ') : `missing (${t.why}): apt-get install -y ${t.debian}` });
        }
        // The persistent sandbox (one bwrap per trial or episode): does it start and run a command here?
        const why = persistentUnavailable();
        if (why) checks.push({ name: 'persistent sandbox', ok: false, optional: true, detail: `unavailable, a sandbox per call instead: ${why}` });
        else {
          try {
            const session = await sandbox.open({ workspace: tmp, mount: '/w' });
            const r = await session.run({ argv: ['true'], timeoutMs: 15_000 });
            await session.close();
            checks.push({ name: 'persistent sandbox', ok: session.persistent && r.exitCode === 0, optional: true, detail: session.persistent ? (r.exitCode === 0 ? 'works' : `a command failed: exit ${r.exitCode} ${r.stderr.trim()}`) : 'unavailable: a sandbox per call instead' });
          } catch (e) {
            checks.push({ name: 'persistent sandbox', ok: false, optional: true, detail: errorMessage(e) });
          }
        }
        await rm(tmp, { recursive: true, force: true });
      }
      const cg = cgroupSupport();
      const fallback = `RLIMIT_DATA at ${DATA_RLIMIT_FACTOR}× the memory limit (${DEFAULT_LIMITS.memoryMb * DATA_RLIMIT_FACTOR} MiB by default)`;
      checks.push({ name: 'cgroup memory', ok: !!cg.memory, optional: true, detail: cg.memory ? `cgroup v${cg.memory.version}, one per sandbox under ${cg.memory.dir}` : `none writable (${cg.why || 'unknown'}): ${fallback}` });
      checks.push({ name: 'cgroup pids', ok: !!cg.pids, optional: true, detail: cg.pids ? `cgroup v${cg.pids.version}, one per sandbox under ${cg.pids.dir}` : `none writable: RLIMIT_NPROC, shared by every sandbox of the same uid` });
      const oc = findOpenclaw();
      checks.push({ name: 'openclaw', ok: !!oc, optional: true, detail: oc ? `${oc.openclaw_version} with node ${oc.node_version} in ${oc.dir}${oc.compile_cache ? ' (compile cache primed)' : ''}` : `OpenClaw ${OPENCLAW_VERSION} not installed (for --agent openclaw): clawgym setup openclaw` });
      const ok = checks.every((c) => c.ok || c.optional);
      if (o.json) printJson({ ok, checks });
      else for (const c of checks) process.stdout.write(`${c.ok ? colors.green('ok     ') : c.optional ? colors.yellow('no     ') : colors.red('missing')} ${c.name}: ${c.detail}\n`);
      process.exitCode = ok ? EXIT.ok : EXIT.harness;
    });
}
