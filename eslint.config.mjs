// ESLint: typescript-eslint's recommended rules plus the layer rules of ARCHITECTURE.md, enforced
// with no-restricted-imports (a layer imports only the layers below it) and import-x/no-cycle.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { CORE_LAYERS, CORE_LEAVES } from './scripts/layers.mjs';

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A relative specifier that climbs out of the importing folder into one of `dirs`. */
const climbsInto = (dirs) => `^(\\.\\./)+(${dirs.map(esc).join('|')})(/|$)`;
const restrict = (patterns) => ['error', { patterns }];

const coreLayerRules = CORE_LAYERS.map((layer, i) => {
  const higher = CORE_LAYERS.slice(i + 1);
  return {
    files: [`src/core/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': restrict([
        { regex: '^vscode$', message: 'src/core never imports vscode.' },
        { regex: climbsInto(['extension', 'cli', 'language-server', 'protocol']), message: 'src/core imports nothing above it (extension, cli, language-server, protocol).' },
        ...(higher.length ? [{ regex: climbsInto(higher), message: `core/${layer} may import only layers below it (${CORE_LAYERS.slice(0, i).join(', ') || 'the leaves'}); see ARCHITECTURE.md.` }] : []),
      ]),
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-artifacts/**', 'runs/**', '**/*.cjs', '.clawgym/**'] },
  ...tseslint.configs.recommended,
  importX.flatConfigs.typescript,
  {
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Tests read arbitrary JSON answers.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...coreLayerRules,
  {
    // The shared leaves (errors, rng, shell quoting, version, the HTML page kit) import no layer.
    files: CORE_LEAVES.map((f) => `src/core/${f}`),
    rules: {
      'no-restricted-imports': restrict([
        { regex: '^vscode$', message: 'src/core never imports vscode.' },
        { regex: `^\\./(${CORE_LAYERS.map(esc).join('|')})/`, message: 'a shared leaf of src/core imports no layer.' },
      ]),
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/language-server/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { regex: '^vscode$', message: 'only src/extension (outside model/) imports vscode.' },
        { regex: climbsInto(['extension']), message: 'nothing imports the extension.' },
      ]),
    },
  },
  {
    // The extension's view models are plain TypeScript, unit-tested without VS Code.
    files: ['src/extension/model/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([{ regex: '^vscode$', message: 'src/extension/model is pure: no vscode (the hosts around it adapt).' }]) },
  },
  {
    // The extension bundle stays small: the queue, Redis and the OpenAI client belong to the CLI.
    files: ['src/extension/**/*.ts'],
    ignores: ['src/extension/model/**'],
    rules: {
      'no-restricted-imports': restrict([
        { regex: '^(bullmq|ioredis|openai)$', message: 'the extension runs these through the CLI, not in its bundle.' },
        { regex: '/core/(runs/queue|runs/run|llm/client|rl)(/|\\.|$)', message: 'the extension runs agents, queues and LLM calls through the CLI, not in its bundle.' },
      ]),
    },
  },
  {
    // Webviews run in a browser: no Node built-ins, no engine code (types from src/protocol only).
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { regex: '^node:', message: 'webviews run in the browser: no Node built-ins.' },
        { regex: '^(fs|path|child_process|os|crypto)$', message: 'webviews run in the browser: no Node built-ins.' },
        { regex: '/src/(core|extension|cli|language-server)/', message: 'webviews import only src/protocol (types and pure schemas) and their own modules.' },
      ]),
    },
  },
);
