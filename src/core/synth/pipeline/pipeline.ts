/**
 * The LLM synthesis pipeline (persona and skill routes):
 *   plan → draft (LLM, zod, repair) → materialize → verifier (LLM + nop/oracle trials, repair loop)
 *   → judge (LLM: answer leaks, factual errors) → rubric (LLM: only what code cannot check)
 *   → dedup (near-duplicate instructions) → admit (a native task folder in <out>).
 * Drafts run concurrently up to the dedup stage; dedup and admission go in draft order, so which
 * of two near-duplicates is kept does not depend on timing. Drafts are made in waves until `n`
 * tasks are admitted or `maxDrafts` drafts were tried. Every stage's outcome is kept in the stage
 * store: a rerun after a crash continues without redoing any finished stage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { errorMessage, UsageError } from '../../errors.js';
import type { LlmClient, ChatCompletionMessageParam } from '../../llm/client.js';
import { CallRecorder } from '../../llm/recorder.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { Rubric } from '../../task/schema.js';
import { DEFAULT_DEDUP, LshIndex } from '../dedup.js';
import type { Persona } from '../personas.js';
import type { Skill } from '../skills.js';
import type { Taxonomy } from '../taxonomy.js';
import { computeFunnel, formatFunnel, type Funnel } from './funnel.js';
import { askJson, type AskOptions } from './llm-json.js';
import { taskSpecOf, writeTaskFolder, type TaskMeta } from './materialize.js';
import { personaPlan, skillPlan } from './plan.js';
import { annotatePrompt, judgePrompt, personaDraftPrompt, rubricPrompt, skillDraftPrompt } from './prompts.js';
import { Draft, JudgeAnswer, RubricAnswer, SkillAnnotation, VerifierAnswer } from './schemas.js';
import { StageStore, type StageRecord } from './store.js';
import { generateVerifier } from './verifier.js';

export interface PipelineOptions {
  route: 'persona' | 'skill';
  /** Tasks to admit. */
  n: number;
  seed: number;
  out: string;
  client: LlmClient;
  sandbox: Sandbox;
  personas: readonly Persona[];
  taxonomy: Taxonomy;
  /** Skill route: the skills to ground tasks in. */
  skills?: readonly Skill[];
  /** Drafts in flight at once. */
  concurrency?: number;
  /** Give up after this many drafts (default 3 × n). */
  maxDrafts?: number;
  /** Verifier tries per draft (default 3). */
  verifierAttempts?: number;
  dedupThreshold?: number;
  signal?: AbortSignal;
  onEvent?: (e: { id: string; stage: string; status: 'ok' | 'dropped'; kind?: string; reason?: string }) => void;
}

export interface PipelineResult {
  funnel: Funnel;
  interrupted: boolean;
}

interface Planned {
  meta: TaskMeta;
  messages: ChatCompletionMessageParam[];
  skills: Skill[];
}

const Manifest = (o: PipelineOptions) => ({ route: o.route, seed: o.seed, model: o.client.model });

export async function runPipeline(o: PipelineOptions): Promise<PipelineResult> {
  await mkdir(o.out, { recursive: true });
  const store = new StageStore(o.out);
  await checkManifest(o);
  let calls = 0;
  const ask: AskOptions = { recorder: new CallRecorder(join(store.root, 'llm-calls.jsonl'), o.client.secrets), signal: o.signal, onCall: () => calls++ };
  const maxDrafts = o.maxDrafts ?? Math.max(o.n * 3, o.n);
  const threshold = o.dedupThreshold ?? DEFAULT_DEDUP.threshold;
  const emit = (id: string, stage: string, r: StageRecord) => o.onEvent?.({ id, stage, status: r.status, ...(r.status === 'dropped' ? { kind: r.kind, reason: r.reason } : {}) });

  /** Run a stage once: its stored outcome if any, else `run`'s, stored. */
  async function stage(name: string, id: string, run: () => Promise<{ ok: true; data: unknown } | { ok: false; kind: string; reason: string; data?: unknown }>): Promise<StageRecord> {
    const have = store.get(name, id);
    if (have) return have;
    const r = await run();
    if (r.ok) store.ok(name, id, r.data);
    else store.drop(name, id, r.kind, r.reason, r.data);
    const rec = store.get(name, id)!;
    emit(id, name, rec);
    return rec;
  }

  // Skill route: annotate every skill once; those needing credentials or media are skipped.
  let usable: Skill[] = [];
  const skipped: Record<string, string> = {};
  if (o.route === 'skill') {
    if (!o.skills?.length) throw new UsageError('the skill route needs skills');
    for (const s of o.skills) {
      const rec = await stage('annotate', `skill-${s.name}`, async () => {
        const a = await askJson(o.client, SkillAnnotation, annotatePrompt(s), { ...ask, temperature: 0 });
        if (!a.ok) return { ok: false, kind: 'invalid_annotation', reason: a.error };
        if (a.value.needs_credentials || a.value.needs_media) {
          const why = [a.value.needs_credentials && 'needs credentials', a.value.needs_media && 'needs media'].filter(Boolean).join(' and ');
          return { ok: false, kind: a.value.needs_credentials ? 'needs_credentials' : 'needs_media', reason: why, data: a.value };
        }
        return { ok: true, data: a.value };
      });
      if (rec.status === 'ok') usable.push(s);
      else skipped[s.name] = rec.kind;
    }
    if (!usable.length) throw new UsageError(`no usable skill: every skill was skipped (${Object.entries(skipped).map(([k, v]) => `${k}: ${v}`).join(', ')})`);
    usable = usable.sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  const annotations = () => Object.fromEntries(usable.map((s) => [s.name, SkillAnnotation.parse((store.get('annotate', `skill-${s.name}`) as { data: unknown }).data)]));

  const plan = (i: number): Planned => {
    if (o.route === 'persona') {
      const p = personaPlan(i, o.seed, o.personas, o.taxonomy);
      return { meta: { id: p.id, route: 'persona', category: p.category, subcategory: p.subcategory, operations: p.operations, persona: p.persona.id, model: o.client.model, seed: o.seed }, messages: personaDraftPrompt(p), skills: [] };
    }
    const c = skillPlan(i, o.seed, o.personas, usable);
    const skills = [c.primary, ...c.supporting];
    return {
      meta: { id: c.id, route: 'skill', category: 'Skill workflows', subcategory: c.primary.name, operations: skills.map((s) => `use skill ${s.name}`), persona: c.persona.id, skills, model: o.client.model, seed: o.seed },
      messages: skillDraftPrompt({ ...c, annotations: annotations() }),
      skills,
    };
  };

  const taskDir = (id: string) => join(store.root, 'tasks', id);
  const admittedDir = (id: string) => join(o.out, id);

  /** Up to the rubric: 'ready' for dedup, 'dropped', or already 'admitted'. */
  async function prepare(p: Planned): Promise<'ready' | 'dropped' | 'admitted'> {
    const id = p.meta.id;
    if (existsSync(join(admittedDir(id), 'task.yaml'))) return 'admitted';
    const d = await stage('draft', id, async () => {
      const a = await askJson(o.client, Draft, p.messages, ask);
      return a.ok ? { ok: true, data: a.value } : { ok: false, kind: 'invalid_draft', reason: a.error };
    });
    if (d.status === 'dropped') return 'dropped';
    const draft = Draft.parse(d.data);
    const m = await stage('materialize', id, async () => {
      try {
        await writeTaskFolder(taskDir(id), taskSpecOf(p.meta, draft, undefined), draft, undefined, p.skills);
        return { ok: true, data: { dir: taskDir(id) } };
      } catch (e) {
        return { ok: false, kind: 'invalid_task', reason: errorMessage(e) };
      }
    });
    if (m.status === 'dropped') return 'dropped';
    const v = await stage('verifier', id, async () => {
      const r = await generateVerifier({ client: o.client, sandbox: o.sandbox, meta: p.meta, draft, skills: p.skills, taskDir: taskDir(id), trialsDir: join(store.root, 'trials', id), attempts: o.verifierAttempts ?? 3, ask });
      return r.ok ? { ok: true, data: { answer: r.answer, attempts: r.attempts, failures: r.failures } } : { ok: false, kind: r.kind!, reason: r.reason!, data: { attempts: r.attempts, failures: r.failures } };
    });
    if (v.status === 'dropped') return 'dropped';
    const answer = VerifierAnswer.parse((v.data as { answer: unknown }).answer);
    const j = await stage('judge', id, async () => {
      const a = await askJson(o.client, JudgeAnswer, judgePrompt(id, draft, answer.checks, answer.check_py), { ...ask, temperature: 0 });
      if (!a.ok) return { ok: false, kind: 'invalid_judgment', reason: a.error };
      const x = a.value;
      if (x.answer_leak) return { ok: false, kind: 'answer_leak', reason: x.reason, data: x };
      if (x.factual_errors.length) return { ok: false, kind: 'factual_error', reason: `${x.factual_errors.join('; ')} — ${x.reason}`, data: x };
      if (x.verdict === 'reject') return { ok: false, kind: 'rejected', reason: x.reason, data: x };
      return { ok: true, data: x };
    });
    if (j.status === 'dropped') return 'dropped';
    const r = await stage('rubric', id, async () => {
      const a = await askJson(o.client, RubricAnswer, rubricPrompt(id, draft, answer.checks), { ...ask, temperature: 0.2 });
      return a.ok ? { ok: true, data: a.value } : { ok: false, kind: 'invalid_rubric', reason: a.error };
    });
    return r.status === 'dropped' ? 'dropped' : 'ready';
  }

  /** Dedup against everything admitted before it (in draft order), then write the task into <out>. */
  async function admit(p: Planned, index: LshIndex): Promise<boolean> {
    const id = p.meta.id;
    const draft = Draft.parse(store.get('draft', id)!.data);
    const set = index.setOf(draft.instruction);
    const dd = await stage('dedup', id, async () => {
      const near = index.nearest(set);
      return near ? { ok: false, kind: 'near_duplicate', reason: `instruction near-duplicate of ${admittedIds[near.index]} (Jaccard ${near.similarity.toFixed(3)})` } : { ok: true, data: {} };
    });
    if (dd.status === 'dropped') return false;
    const answer = VerifierAnswer.parse((store.get('verifier', id)!.data as { answer: unknown }).answer);
    const rules = RubricAnswer.parse(store.get('rubric', id)!.data).rules;
    const rubric = rules.length ? Rubric.parse({ rules }) : undefined;
    await stage('admit', id, async () => {
      await writeTaskFolder(admittedDir(id), taskSpecOf(p.meta, draft, answer, rubric), draft, answer, p.skills);
      return { ok: true, data: { dir: admittedDir(id) } };
    });
    index.add(set);
    admittedIds.push(id);
    return true;
  }

  async function settle(p: Planned, s: Awaited<ReturnType<typeof prepare>> | 'interrupted'): Promise<void> {
    if (s === 'interrupted') return;
    if (s === 'admitted') {
      // Admitted by an earlier run: it still counts, and later drafts are compared with it.
      const id = p.meta.id;
      for (const st of ['draft', 'materialize', 'verifier', 'judge', 'rubric', 'dedup', 'admit']) if (!store.get(st, id)) store.ok(st, id, {});
      index.add(index.setOf(Draft.safeParse(store.get('draft', id)?.data).data?.instruction ?? ''));
      admittedIds.push(id);
    } else if (s === 'ready' && admittedIds.length < o.n) await admit(p, index);
  }

  const index = new LshIndex({ threshold });
  const admittedIds: string[] = [];
  const ids: string[] = [];
  let next = 0;
  let interrupted = false;
  const limit = pLimit(o.concurrency ?? 4);
  try {
    while (admittedIds.length < o.n && next < maxDrafts && !o.signal?.aborted) {
      const wave = Array.from({ length: Math.min(o.n - admittedIds.length, maxDrafts - next) }, (_, k) => plan(next + k));
      next += wave.length;
      ids.push(...wave.map((p) => p.meta.id));
      // Admission follows draft order: each finished draft at the head of the wave is settled at
      // once, so tasks are admitted (and kept safe from a crash) while later drafts still run.
      const states: Array<Awaited<ReturnType<typeof prepare>> | 'interrupted' | undefined> = new Array(wave.length);
      let cursor = 0;
      let chain = Promise.resolve();
      const advance = () =>
        (chain = chain.then(async () => {
          while (cursor < wave.length && states[cursor] !== undefined) {
            await settle(wave[cursor]!, states[cursor]!);
            cursor++;
          }
        }));
      await Promise.all(
        wave.map((p, k) =>
          limit(async () => {
            states[k] = o.signal?.aborted ? 'interrupted' : await prepare(p);
            await advance();
          }),
        ),
      );
      await chain;
    }
  } catch (e) {
    // A model endpoint that stays down, or a broken sandbox, stops the pipeline: rerun to continue.
    if (!o.signal?.aborted) throw e;
    interrupted = true;
  }
  interrupted ||= !!o.signal?.aborted;
  const funnel = computeFunnel(store, ids, { route: o.route, seed: o.seed, model: o.client.model, target: o.n, llm_calls: calls, ...(o.route === 'skill' ? { skills: { total: o.skills!.length, usable: usable.length, skipped } } : {}) });
  await writeFile(join(o.out, 'funnel.json'), `${JSON.stringify(funnel, null, 2)}\n`);
  return { funnel, interrupted };
}

async function checkManifest(o: PipelineOptions): Promise<void> {
  const file = join(o.out, '.synth', 'pipeline.json');
  const want = Manifest(o);
  if (existsSync(file)) {
    const have = JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof Manifest>;
    if (have.route !== want.route || have.seed !== want.seed) {
      throw new UsageError(`${o.out} holds a ${have.route} pipeline with seed ${have.seed}: continue it with the same --route and --seed, or use another --out`);
    }
    return;
  }
  await mkdir(join(o.out, '.synth'), { recursive: true });
  await writeFile(file, `${JSON.stringify(want, null, 2)}\n`);
}

export { formatFunnel };
