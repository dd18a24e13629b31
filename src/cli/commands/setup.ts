/** `clawgym setup openclaw`: install the real OpenClaw and its Node from npm into ClawGym's cache (once; offline afterwards). */
import type { Command } from 'commander';
import { OPENCLAW_VERSION, setupOpenclaw } from '../../core/agents/openclaw/install.js';
import { printJson } from '../output.js';

export function registerSetup(program: Command): void {
  const setup = program.command('setup').description('Install what an agent needs (from npm, into the cache: CLAWGYM_CACHE, else $XDG_CACHE_HOME/clawgym or ~/.cache/clawgym).');
  setup
    .command('openclaw')
    .description(`Install OpenClaw (default ${OPENCLAW_VERSION}) and the Node it needs from npm, for --agent openclaw. Idempotent; ~1 GB.`)
    .option('--version <v>', 'the OpenClaw version', OPENCLAW_VERSION)
    .option('--json', 'one JSON object: what is installed, and whether this call installed it')
    .action(async (o: { version: string; json?: boolean }) => {
      const r = await setupOpenclaw({ version: o.version, log: o.json ? undefined : (l) => process.stderr.write(`  ${l}\n`) });
      const m = r.manifest;
      if (o.json) printJson({ installed: r.installed, ms: Math.round(r.ms), ...m });
      else {
        process.stdout.write(
          `${r.installed ? 'installed' : 'already installed'}: openclaw ${m.openclaw_version} with node ${m.node_version}\n` +
            `  folder: ${m.dir} (${(m.bytes / 1e6).toFixed(0)} MB)\n  node:   ${m.node}\n  entry:  ${m.entry}\n` +
            `  V8 compile cache: ${m.compile_cache ?? 'none (OpenClaw starts without it)'}\n` +
            `run it:  clawgym run --agent openclaw --model <model> --base-url <url> <tasks>\n`,
        );
      }
    });
}
