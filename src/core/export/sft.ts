/**
 * `clawgym export sft`: verified trajectories (reward ≥ --min-reward) and proxy recordings as SFT
 * JSONL in one of three formats. Each line is redacted of the runs' keys, checked against its
 * format's schema, and written to a temporary file renamed over the output at the end: a line that
 * fails leaves no partial file behind. A summary says what went in and what came out.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { profileOfToolNames, toolsOf as profileTools } from '../agents/claw/tools.js';
import { DEFAULT_TOOL_PROFILE, ToolProfile } from '../agents/spec.js';
import { ExportFormatError, UsageError } from '../errors.js';
import { redact } from '../llm/redact.js';
import { terminalSafe } from '../runs/report.js';
import { AtifTrajectory } from '../trace/atif.js';
import { conversationCounts, conversationKey, prepareConversation } from './conversation.js';
import { FunctionTool, LINE_SCHEMAS, SFT_FORMATS, toSftLine, type SftFormat } from './sft-formats.js';
import { collectSources, type SftSource } from './sources.js';

export interface SftOptions {
  inputs: readonly string[];
  format: SftFormat;
  minReward: number;
  dedupe: boolean;
  out: string;
}

const Count = z.number().int().min(0);

export const SftStats = z.object({
  format: z.enum(SFT_FORMATS),
  out: z.string(),
  min_reward: z.number(),
  dedupe: z.boolean(),
  inputs: z.array(
    z.object({
      path: z.string(),
      kind: z.enum(['run', 'recordings', 'trajectory']),
      run_id: z.string().optional(),
      found: Count,
      errored: Count,
      below_min_reward: Count,
      without_trajectory: Count,
      sources: Count,
    }),
  ),
  /** Trajectories considered (after the reward filter). */
  sources: Count,
  examples: Count,
  /** Examples from recordings, which carry no reward (the reward filter cannot apply). */
  unscored: Count,
  duplicates: Count,
  skipped: z.array(z.object({ source: z.string(), reason: z.string() })),
  messages: Count,
  turns: z.object({ total: Count, mean: z.number().nullable(), max: Count }),
  tool_calls: Count,
  tools_used: z.record(z.string(), Count),
  /** Examples per tool profile (each line's metadata.tool_profile). */
  tool_profiles: z.record(z.string(), Count),
  /** Summed over the examples whose trajectory recorded usage (prompt tokens count each call's whole prompt). */
  tokens: z.object({ prompt: Count, completion: Count, examples_with_usage: Count }),
});
export type SftStats = z.infer<typeof SftStats>;

/** The first line of a calls.jsonl, without reading the rest (later calls repeat the whole history). */
async function firstLine(file: string): Promise<string | null> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const line of rl) if (line.trim()) return line;
    return null;
  } finally {
    rl.close();
  }
}

const RecordedTools = z.object({ request: z.object({ body: z.object({ tools: z.array(FunctionTool).min(1) }) }) });

/** The profile a trajectory names (the claw agent writes it), if it is one we know. */
function namedProfile(t: AtifTrajectory): ToolProfile | null {
  const p = ToolProfile.safeParse(t.extra?.tool_profile);
  return p.success ? p.data : null;
}

/**
 * The tools declared to the model — as its recorded request sent them, else the claw profile's the
 * trajectory names (default: OpenClaw's coding profile) — and the profile they are: the named one,
 * the one whose tool names they have, or `custom`.
 */
async function toolsOf(s: SftSource, t: AtifTrajectory): Promise<{ tools: z.infer<typeof FunctionTool>[]; profile: string }> {
  const named = namedProfile(t);
  const fallback = { tools: z.array(FunctionTool).parse(profileTools(named ?? DEFAULT_TOOL_PROFILE)), profile: named ?? DEFAULT_TOOL_PROFILE };
  const line = s.calls ? await firstLine(s.calls) : null;
  if (!line) return fallback;
  let tools: z.infer<typeof FunctionTool>[];
  try {
    const r = RecordedTools.safeParse(JSON.parse(line));
    if (!r.success) return fallback;
    tools = r.data.request.body.tools;
  } catch {
    return fallback;
  }
  return { tools, profile: named ?? profileOfToolNames(tools.map((x) => x.function.name)) ?? 'custom' };
}

function usageOf(t: AtifTrajectory): { prompt: number; completion: number } | null {
  const f = t.final_metrics;
  if (f && (f.total_prompt_tokens || f.total_completion_tokens)) return { prompt: f.total_prompt_tokens ?? 0, completion: f.total_completion_tokens ?? 0 };
  let prompt = 0;
  let completion = 0;
  let any = false;
  for (const s of t.steps) {
    if (!s.metrics) continue;
    any = true;
    prompt += s.metrics.prompt_tokens ?? 0;
    completion += s.metrics.completion_tokens ?? 0;
  }
  return any ? { prompt, completion } : null;
}

async function readTrajectory(s: SftSource): Promise<AtifTrajectory | string> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(s.trajectory, 'utf8'));
  } catch (e) {
    return `trajectory is not JSON (${(e as Error).message})`;
  }
  const r = AtifTrajectory.safeParse(raw);
  return r.success ? r.data : `trajectory does not match ATIF (${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`;
}

/** Lines go to a sibling temporary file that replaces the output only once all are written. */
class AtomicLines {
  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly fh: Awaited<ReturnType<typeof open>>,
  ) {}
  static async create(path: string): Promise<AtomicLines> {
    await mkdir(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
    return new AtomicLines(path, tmp, await open(tmp, 'wx'));
  }
  async write(line: string): Promise<void> {
    await this.fh.write(`${line}\n`);
  }
  async commit(): Promise<void> {
    await this.fh.sync();
    await this.fh.close();
    await rename(this.tmp, this.path);
  }
  async abandon(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await rm(this.tmp, { force: true });
  }
}

export async function exportSft(o: SftOptions): Promise<SftStats> {
  if (!o.inputs.length) throw new UsageError('give run folders, recordings folders or trajectory files to export');
  if (!(o.minReward >= 0 && o.minReward <= 1)) throw new UsageError('--min-reward must be within 0..1');
  const out = resolve(o.out);
  const { sources, inputs } = await collectSources(o.inputs, o.minReward);
  const stats: SftStats = {
    format: o.format,
    out,
    min_reward: o.minReward,
    dedupe: o.dedupe,
    inputs,
    sources: sources.length,
    examples: 0,
    unscored: 0,
    duplicates: 0,
    skipped: [],
    messages: 0,
    turns: { total: 0, mean: null, max: 0 },
    tool_calls: 0,
    tools_used: {},
    tool_profiles: {},
    tokens: { prompt: 0, completion: 0, examples_with_usage: 0 },
  };
  const schema = LINE_SCHEMAS[o.format];
  const seen = new Set<string>();
  const file = await AtomicLines.create(out);
  try {
    for (const s of sources) {
      const t = await readTrajectory(s);
      if (typeof t === 'string') {
        stats.skipped.push({ source: s.label, reason: t });
        continue;
      }
      // Keys out first: every later step (dedupe, stats, the line) sees only redacted text.
      const prepared = prepareConversation(redact(t, s.secrets));
      if (!prepared.ok) {
        stats.skipped.push({ source: s.label, reason: prepared.reason });
        continue;
      }
      if (o.dedupe) {
        const key = conversationKey(prepared.messages);
        if (seen.has(key)) {
          stats.duplicates++;
          continue;
        }
        seen.add(key);
      }
      const declared = await toolsOf(s, t);
      const sft = toSftLine(o.format, prepared.messages, redact(declared.tools, s.secrets));
      if (typeof sft === 'string') {
        stats.skipped.push({ source: s.label, reason: sft });
        continue;
      }
      const line = { ...sft, metadata: { tool_profile: declared.profile, agent: t.agent.name } };
      stats.tool_profiles[declared.profile] = (stats.tool_profiles[declared.profile] ?? 0) + 1;
      const checked = schema.safeParse(line);
      if (!checked.success) throw new ExportFormatError(o.format, s.label, checked.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`));
      await file.write(JSON.stringify(line));
      stats.examples++;
      if (s.reward === null) stats.unscored++;
      stats.messages += prepared.messages.length;
      const counts = conversationCounts(prepared.messages);
      stats.turns.total += counts.turns;
      stats.turns.max = Math.max(stats.turns.max, counts.turns);
      for (const [name, n] of Object.entries(counts.calls)) {
        stats.tool_calls += n;
        stats.tools_used[name] = (stats.tools_used[name] ?? 0) + n;
      }
      const u = usageOf(t);
      if (u) {
        stats.tokens.prompt += u.prompt;
        stats.tokens.completion += u.completion;
        stats.tokens.examples_with_usage++;
      }
    }
    await file.commit();
  } catch (e) {
    await file.abandon();
    throw e;
  }
  stats.turns.mean = stats.examples ? stats.turns.total / stats.examples : null;
  stats.tools_used = Object.fromEntries(Object.entries(stats.tools_used).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  return stats;
}

export function formatSftStats(s: SftStats): string {
  const lines = [`${s.examples} example(s) written to ${s.out} (${s.format}${s.dedupe ? `, ${s.duplicates} duplicate(s) dropped` : ''})`];
  for (const i of s.inputs) {
    const what = i.kind === 'run' ? `run ${terminalSafe(i.run_id ?? '')}: ${i.found} trial(s), ${i.sources} at reward ≥ ${s.min_reward}` : `${i.kind}: ${i.found} trajectory file(s), unscored`;
    const rest = [i.below_min_reward && `${i.below_min_reward} below`, i.errored && `${i.errored} errored`, i.without_trajectory && `${i.without_trajectory} without a trajectory`].filter(Boolean);
    lines.push(`  ${terminalSafe(i.path)}: ${what}${rest.length ? ` (${rest.join(', ')})` : ''}`);
  }
  lines.push(`messages ${s.messages} · model turns ${s.turns.total} (mean ${s.turns.mean?.toFixed(1) ?? '—'}, max ${s.turns.max}) · tool calls ${s.tool_calls}`);
  if (s.tool_calls) lines.push(`tools used: ${Object.entries(s.tools_used).map(([k, v]) => `${k} ${v}`).join(' · ')}`);
  lines.push(s.tokens.examples_with_usage ? `tokens: ${s.tokens.prompt} prompt, ${s.tokens.completion} completion (over ${s.tokens.examples_with_usage} example(s) with usage)` : 'tokens: unknown (no usage recorded)');
  if (s.unscored) lines.push(`${s.unscored} example(s) from recordings carry no reward (--min-reward does not apply to them)`);
  if (s.skipped.length) lines.push(`skipped ${s.skipped.length}:`);
  for (const k of s.skipped.slice(0, 20)) lines.push(`  ${terminalSafe(k.source)}: ${terminalSafe(k.reason)}`);
  if (s.skipped.length > 20) lines.push(`  … ${s.skipped.length - 20} more (--json)`);
  return lines.join('\n');
}
