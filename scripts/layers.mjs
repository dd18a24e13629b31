// The layers of src/core, bottom → top: a layer imports only the layers before it in this list,
// and the shared leaves import none. ESLint enforces it (eslint.config.mjs); ARCHITECTURE.md
// explains it; test/unit/architecture.test.ts checks that both agree with the tree.
export const CORE_LAYERS = ['task', 'sandbox', 'workspace', 'trace', 'llm', 'verify', 'agents', 'runs', 'synth', 'bench', 'export', 'rl'];

/** Files at the root of src/core that anything may import. */
export const CORE_LEAVES = ['errors.ts', 'html.ts', 'http-body.ts', 'rng.ts', 'shell.ts', 'version.ts'];
