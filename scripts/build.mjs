// One esbuild config for the three bundles: the CLI, the extension and the language server.
import { build } from 'esbuild';
import { cpSync, readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  define: { __CLAWGYM_VERSION__: JSON.stringify(pkg.version) },
};

// Data read at run time (not imported): the synthesis route's bundled skills.
const skillsOut = new URL('../dist/data/skills', import.meta.url);
rmSync(skillsOut, { recursive: true, force: true });
cpSync(new URL('../src/core/synth/data/skills', import.meta.url), skillsOut, { recursive: true });
// The persistent sandbox's supervisor, compiled on first use from its source beside the CLI bundle.
cpSync(new URL('../src/core/sandbox/supervisor.c', import.meta.url), new URL('../dist/supervisor.c', import.meta.url));

await Promise.all([
  // import.meta.url of the CLI bundle is the bundle's own URL, so data folders resolve beside it (dist/data/…).
  build({
    ...common,
    entryPoints: ['src/cli/index.ts'],
    outfile: 'dist/cli.cjs',
    banner: { js: "#!/usr/bin/env node\nconst __clawgymMetaUrl = require('url').pathToFileURL(__filename).href;" },
    define: { ...common.define, 'import.meta.url': '__clawgymMetaUrl' },
  }),
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.cjs', external: ['vscode'], minify: true }),
  // The server ships in the .vsix too: minified like the extension (the source map stays beside it).
  build({ ...common, entryPoints: ['src/language-server/server.ts'], outfile: 'dist/server.cjs', minify: true }),
  // Webviews run in the browser: one IIFE per view, minified (the components are Lit elements).
  build({ ...common, platform: 'browser', target: 'chrome120', format: 'iife', minify: true, entryPoints: ['webview/verification/main.ts'], outfile: 'dist/webview/verification.js' }),
  build({ ...common, platform: 'browser', target: 'chrome120', format: 'iife', minify: true, entryPoints: ['webview/trajectory/main.ts'], outfile: 'dist/webview/trajectory.js' }),
  build({ ...common, platform: 'browser', target: 'chrome120', format: 'iife', minify: true, entryPoints: ['webview/review/main.ts'], outfile: 'dist/webview/review.js' }),
  build({ ...common, platform: 'browser', target: 'chrome120', format: 'iife', minify: true, entryPoints: ['webview/compare/main.ts'], outfile: 'dist/webview/compare.js' }),
]);
