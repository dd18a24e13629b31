/**
 * `clawgym synth`: make task pools. The procedural route needs no model; the persona and skill
 * routes draft tasks with any OpenAI-compatible model and keep only what survives their stages.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { LlmClient } from '../../core/llm/client.js';
import { resolveLlmSettings } from '../../core/llm/config.js';
import { bundledPersonas, loadPersonasJsonl, type Persona } from '../../core/synth/personas.js';
import { formatFunnel, runPipeline } from '../../core/synth/pipeline/pipeline.js';
import { bundledSkillsDir, loadSkills } from '../../core/synth/skills.js';
import { bundledTaxonomy } from '../../core/synth/taxonomy.js';
import { FAMILIES } from '../../core/synth/procedural/families/index.js';
import { generateProcedural } from '../../core/synth/procedural/generate.js';
import { EXIT, printJson } from '../output.js';
import { createCounter } from '../progress.js';
import { onInterrupt } from '../interrupt.js';
import { fraction, positiveInt, wholeNumber } from '../options.js';
import { openSandbox, sandboxOption } from '../sandbox-option.js';

/** The flags of `synth` (commander has parsed and checked each). */
interface SynthFlags {
  route: 'procedural' | 'persona' | 'skill';
  n: number;
  seed: number;
  out: string;
  families?: string;
  personas?: string;
  model?: string;
  baseUrl?: string;
  config?: string;
  concurrency?: number;
  skills?: string;
  maxDrafts?: number;
  verifierAttempts: number;
  dedupThreshold: number;
  sandbox: 'bwrap' | 'none';
  json?: boolean;
  progress: boolean;
}

async function synthWithLlm(o: SynthFlags & { route: 'persona' | 'skill' }, personas: Persona[]): Promise<void> {
  const client = new LlmClient(resolveLlmSettings({ model: o.model, baseUrl: o.baseUrl, configPath: o.config ? resolve(o.config) : undefined }));
  const sandbox = await openSandbox(o.sandbox);
  const skills = o.route === 'skill' ? loadSkills(o.skills ? resolve(o.skills) : bundledSkillsDir()) : undefined;
  const interrupt = onInterrupt('interrupted: rerun the same command to continue');
  try {
    const { funnel, interrupted } = await runPipeline({
      route: o.route,
      n: o.n,
      seed: o.seed,
      out: resolve(o.out),
      client,
      sandbox,
      personas,
      taxonomy: bundledTaxonomy(),
      skills,
      concurrency: o.concurrency,
      maxDrafts: o.maxDrafts,
      verifierAttempts: o.verifierAttempts,
      dedupThreshold: o.dedupThreshold,
      signal: interrupt.signal,
      onEvent: o.json || !o.progress ? undefined : (e) => process.stderr.write(`${e.id} ${e.stage}: ${e.status === 'ok' ? 'ok' : `dropped (${e.kind}: ${(e.reason ?? '').split('\n')[0]})`}\n`),
    });
    if (o.json) printJson(funnel);
    else process.stdout.write(`${formatFunnel(funnel)}\nfunnel: ${resolve(o.out, 'funnel.json')}\n`);
    if (interrupted) process.exitCode = EXIT.interrupted;
  } finally {
    interrupt.dispose();
  }
}

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('Synthesize verifiable tasks into a pool folder (native task folders). Rerunning continues where it stopped.')
    .addOption(new Option('--route <route>', 'how tasks are made: procedural (no model), persona or skill (LLM)').choices(['procedural', 'persona', 'skill']).default('procedural'))
    .requiredOption('--n <n>', 'number of tasks', wholeNumber(0))
    .option('--seed <s>', 'seed: the same seed gives a byte-identical pool', wholeNumber(0), 1)
    .requiredOption('-o, --out <dir>', 'pool folder')
    .option('--families <ids>', 'procedural: only these families (comma-separated)')
    .option('--personas <file>', 'a persona bank (jsonl) instead of the bundled one')
    .option('--model <name>', 'persona/skill: the model (else "model" in the config file)')
    .option('--base-url <url>', 'persona/skill: OpenAI-compatible base URL (else OPENAI_BASE_URL, the config file, or OpenAI); the key comes from OPENAI_API_KEY or the config file')
    .option('--config <file>', 'LLM config file (default ~/.config/clawgym/config.json)')
    .option('--concurrency <n>', 'persona/skill: drafts in flight at once (default 4)', positiveInt)
    .option('--skills <dir>', 'skill: a folder of <skill>/SKILL.md (OpenClaw format) instead of the bundled skills')
    .option('--max-drafts <n>', 'persona/skill: stop after this many drafts (default 3 × n)', positiveInt)
    .option('--verifier-attempts <n>', 'persona/skill: verifier repair attempts per draft', positiveInt, 3)
    .option('--dedup-threshold <x>', 'persona/skill: instruction Jaccard similarity that makes a draft a near-duplicate', fraction, 0.8)
    .addOption(sandboxOption('persona/skill: where verifiers are tried'))
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'no progress output')
    .action(async (o: SynthFlags) => {
      const personas = o.personas ? loadPersonasJsonl(resolve(o.personas)) : bundledPersonas();
      if (o.route !== 'procedural') return synthWithLlm({ ...o, route: o.route }, personas);
      let families = FAMILIES;
      if (o.families) {
        const want = String(o.families).split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = want.filter((w) => !FAMILIES.some((f) => f.id === w));
        if (unknown.length) throw new UsageError(`unknown famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')} (known: ${FAMILIES.map((f) => f.id).join(', ')})`);
        families = FAMILIES.filter((f) => want.includes(f.id));
      }
      const counter = createCounter(o.json ? 'json' : !o.progress ? 'quiet' : process.stderr.isTTY ? 'tty' : 'plain', 'tasks', o.n);
      const stats = await generateProcedural({ n: o.n, seed: o.seed, out: resolve(o.out), personas, families, onTask: () => counter.tick() });
      counter.stop();
      const summary = { route: o.route, n: o.n, seed: o.seed, out: resolve(o.out), ...stats };
      if (o.json) printJson(summary);
      else process.stdout.write(`${stats.written} task(s) written, ${stats.skipped} already there, in ${resolve(o.out)} (${Object.keys(stats.byFamily).length} families)\n`);
    });
}
