/** `clawgym doctor`: can this machine run trials? bubblewrap, namespaces, the tools the sandbox offers. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { errorMessage } from '../../core/errors.js';
import { EXPECTED_TOOLS, getSandbox } from '../../core/sandbox/probe.js';
import type { Sandbox } from '../../core/sandbox/sandbox.js';
import { chownTree } from '../../core/workspace/copy.js';
import { colors, EXIT, printJson } from '../output.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('Check this machine: bubblewrap, namespaces, and the tools the sandbox offers tasks.')
    .option('--json')
    .action(async (o) => {
      const checks: Array<{ name: string; ok: boolean; detail: string }> = [];
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
        await rm(tmp, { recursive: true, force: true });
      }
      if (o.json) printJson({ ok: checks.every((c) => c.ok), checks });
      else for (const c of checks) process.stdout.write(`${c.ok ? colors.green('ok     ') : colors.red('missing')} ${c.name}: ${c.detail}\n`);
      process.exitCode = checks.every((c) => c.ok) ? EXIT.ok : EXIT.harness;
    });
}
