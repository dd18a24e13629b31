/**
 * Bundle sizes: what each program ships, and that the extension's bundle carries none of what only
 * the CLI needs (the BullMQ queue, Redis, the OpenAI client). Built the same way as
 * scripts/build.mjs, in memory, with esbuild's metafile telling which packages went in.
 */
import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';

const CLI_ONLY = ['bullmq', 'ioredis', 'openai'];
/** issue 14: the extension bundle without the CLI's dependencies. */
const EXTENSION_TARGET_BYTES = 1.3 * 1024 * 1024;

function packagesIn(meta: Metafile): Map<string, number> {
  const out = new Map<string, number>();
  for (const [path, input] of Object.entries(meta.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const name = m ? m[1]! : '(project)';
    out.set(name, (out.get(name) ?? 0) + input.bytes);
  }
  return out;
}

export async function benchBundles(root: string): Promise<void> {
  const common = { bundle: true, platform: 'node' as const, target: 'node20', format: 'cjs' as const, write: false, metafile: true, logLevel: 'silent' as const, absWorkingDir: root, define: { __CLAWGYM_VERSION__: '"bench"' } };
  const programs = [
    { name: 'extension.cjs', entry: 'src/extension/extension.ts', minify: true, external: ['vscode'] },
    { name: 'server.cjs (language server)', entry: 'src/language-server/server.ts', minify: true, external: [] },
    { name: 'cli.cjs', entry: 'src/cli/index.ts', minify: false, external: [] },
  ];
  console.log('\nBundles (esbuild, as scripts/build.mjs builds them)');
  for (const p of programs) {
    const r = await build({ ...common, entryPoints: [join(root, p.entry)], outfile: join(root, 'dist', 'bench-bundle.cjs'), minify: p.minify, external: p.external });
    const bytes = (r.outputFiles ?? []).filter((f) => f.path.endsWith('.cjs')).reduce((a, f) => a + f.contents.length, 0);
    const pkgs = packagesIn(r.metafile!);
    const top = [...pkgs].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([n, b]) => `${n} ${(b / 1024).toFixed(0)} KiB`).join(', ');
    console.log(`  ${p.name}: ${(bytes / 1024).toFixed(0)} KiB${p.minify ? ' minified' : ''}; largest inputs: ${top}`);
    if (p.name === 'extension.cjs') {
      const leaked = CLI_ONLY.filter((d) => pkgs.has(d));
      console.log(`    ratio to the target of ${(EXTENSION_TARGET_BYTES / 1024 / 1024).toFixed(1)} MiB: ${(bytes / EXTENSION_TARGET_BYTES).toFixed(2)}; CLI-only packages inside: ${leaked.length ? leaked.join(', ') : 'none'}`);
    }
  }
}
