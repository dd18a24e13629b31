/**
 * Trajectories from elsewhere, as ATIF, for the trajectory debugger (and anything else that reads
 * trajectories): an ATIF file another harness wrote (v1.x, read leniently: steps renumbered,
 * `assistant` / `tool` sources mapped, arguments given as JSON text parsed, non-text content
 * stringified), or an OpenClaw session — the JSONL OpenClaw keeps (and exports) per session, also
 * ClawGym's transcript.jsonl: a `session` header, then `message` entries of role user, assistant
 * (text and `toolCall` parts) and `toolResult` (answering a call by `toolCallId`) — and the bundle
 * `openclaw sessions export-trajectory` writes (its session-branch.json, or its events.jsonl).
 */
import { AtifTrajectory, type AtifStep } from './atif.js';
import { TrajectoryBuilder } from './builder.js';
import { contentText, parseArguments } from './chat.js';

export type ImportFormat = 'atif' | 'openclaw-session';
export type Imported = { ok: true; trajectory: AtifTrajectory; format: ImportFormat } | { ok: false; error: string };

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : contentText(v));

function issuesOf(r: { error: { issues: Array<{ path: PropertyKey[]; message: string }> } }): string {
  const is = r.error.issues;
  return `${is.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}${is.length > 5 ? ` (and ${is.length - 5} more)` : ''}`;
}

const SOURCES: Record<string, AtifStep['source']> = { agent: 'agent', assistant: 'agent', model: 'agent', user: 'user', human: 'user', system: 'system', developer: 'system' };

/** An ATIF-like object as valid ATIF: what a harness may write differently is mapped, nothing dropped silently. */
export function normaliseAtif(raw: Json): AtifTrajectory | string {
  const strict = AtifTrajectory.safeParse(raw);
  if (strict.success) return strict.data;
  if (!Array.isArray(raw.steps)) return 'no "steps" list';
  const steps = raw.steps.filter(isObj).map((s, i): Json => {
    const source = SOURCES[String(s.source ?? '').toLowerCase()] ?? 'system';
    const step: Json = { ...s, step_id: i + 1, source, message: text(s.message ?? s.content) };
    if (typeof s.timestamp === 'string' && Number.isNaN(Date.parse(s.timestamp))) delete step.timestamp;
    if (source !== 'agent') {
      for (const k of ['model_name', 'reasoning_content', 'tool_calls', 'metrics']) delete step[k];
      if (String(s.source) !== source) step.extra = { ...(isObj(s.extra) ? s.extra : {}), source: s.source };
      return step;
    }
    if (Array.isArray(s.tool_calls)) {
      step.tool_calls = s.tool_calls.filter(isObj).map((c, n) => {
        const { args, raw: rawArgs } = parseArguments(c.arguments);
        return { ...c, tool_call_id: String(c.tool_call_id || c.id || `call_${i + 1}_${n}`), function_name: String(c.function_name ?? c.name ?? ''), arguments: args, ...(rawArgs !== undefined && rawArgs !== '' ? { extra: { ...(isObj(c.extra) ? c.extra : {}), raw_arguments: rawArgs } } : {}) };
      });
    }
    if (s.reasoning_content != null && typeof s.reasoning_content !== 'string') step.reasoning_content = text(s.reasoning_content);
    return step;
  });
  for (const s of steps) {
    const obs = s.observation;
    if (!isObj(obs) || !Array.isArray(obs.results)) {
      delete s.observation;
      continue;
    }
    const ids = new Set(((s.tool_calls as Json[] | undefined) ?? []).map((c) => c.tool_call_id));
    s.observation = {
      results: obs.results.filter(isObj).map((r) => {
        const id = typeof r.source_call_id === 'string' ? r.source_call_id : null;
        // A result naming a call of another step keeps the id in extra (ATIF wants it in this step).
        return { ...r, content: text(r.content), source_call_id: id && ids.has(id) ? id : null, ...(id && !ids.has(id) ? { extra: { ...(isObj(r.extra) ? r.extra : {}), source_call_id: id } } : {}) };
      }),
    };
  }
  const agent = isObj(raw.agent) ? raw.agent : {};
  const t = {
    ...raw,
    schema_version: typeof raw.schema_version === 'string' && /^ATIF-v1\.\d+$/.test(raw.schema_version) ? raw.schema_version : 'ATIF-v1.6',
    session_id: String(raw.session_id || 'imported'),
    agent: { ...agent, name: String(agent.name ?? 'unknown'), version: String(agent.version ?? 'unknown') },
    steps,
  };
  const r = AtifTrajectory.safeParse(t);
  return r.success ? r.data : issuesOf(r);
}

/** An OpenClaw session's entries (JSONL, parsed) as ATIF, each tool result on the step that made its call. */
export function openclawSessionToAtif(entries: readonly Json[], name = 'openclaw'): AtifTrajectory | string {
  const header = entries.find((e) => e.type === 'session');
  const b = new TrajectoryBuilder(String(header?.id ?? 'openclaw-session'), { name, version: String(header?.version ?? 'unknown') });
  const stepOf = new Map<string, AtifStep>();
  let last: AtifStep | null = null;
  let n = 0;
  for (const e of entries) {
    if (e.type !== 'message' || !isObj(e.message)) continue;
    const m = e.message;
    const parts = Array.isArray(m.content) ? m.content.filter(isObj) : [{ type: 'text', text: text(m.content) }];
    const words = parts.filter((p) => p.type === 'text').map((p) => text(p.text)).join('\n');
    if (m.role === 'user') b.user(words);
    else if (m.role === 'system') b.system(words);
    else if (m.role === 'assistant') {
      n++;
      const calls = parts
        .filter((p) => p.type === 'toolCall' || p.type === 'tool_use')
        .map((p, k) => {
          const { args, raw } = parseArguments(p.arguments ?? p.input);
          return { tool_call_id: String(p.id || `call_${n}_${k}`), function_name: String(p.name ?? ''), arguments: args, ...(raw ? { extra: { raw_arguments: raw } } : {}) };
        });
      const thinking = parts.filter((p) => p.type === 'thinking').map((p) => text(p.thinking ?? p.text)).join('\n');
      const usage = isObj(m.usage) ? m.usage : null;
      const model = typeof m.model === 'string' ? m.model : undefined;
      last = b.agentStep({
        message: words,
        reasoning_content: thinking || null,
        model_name: model,
        tool_calls: calls,
        metrics: usage ? { prompt_tokens: Math.max(0, Math.round(Number(usage.input) || 0)), completion_tokens: Math.max(0, Math.round(Number(usage.output) || 0)) } : undefined,
        ...(typeof m.stopReason === 'string' ? { extra: { stop_reason: m.stopReason } } : {}),
      });
      for (const c of calls) stepOf.set(c.tool_call_id, last);
    } else if (m.role === 'toolResult' || m.role === 'tool') {
      const id = typeof m.toolCallId === 'string' ? m.toolCallId : null;
      const step = (id && stepOf.get(id)) || last;
      const result = { content: words || text(m.content), ...(m.isError === true ? { extra: { is_error: true } } : {}) };
      if (!step) b.system(`tool result${id ? ` ${id}` : ''}: ${result.content}`);
      else b.observe(step, { source_call_id: id && stepOf.get(id) === step ? id : null, ...result });
    }
  }
  if (!b.steps.length) return 'no messages in the session';
  return b.build();
}

/** A file's text as a trajectory, whichever of the formats it is. */
export function importTrajectory(raw: string, fileName = 'trajectory'): Imported {
  const trimmed = raw.trim();
  if (!trimmed) return { ok: false, error: `${fileName} is empty` };
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    whole = undefined;
  }
  if (isObj(whole) && whole.type !== 'session' && whole.type !== 'message') {
    // `openclaw sessions export-trajectory` writes a bundle; its session-branch.json is {header, leafId, entries}.
    if (Array.isArray(whole.entries)) return fromSession([...(isObj(whole.header) ? [whole.header] : []), ...whole.entries.filter(isObj)], fileName);
    const t = normaliseAtif(whole);
    return typeof t === 'string' ? { ok: false, error: `${fileName} is not an ATIF trajectory: ${t}` } : { ok: true, trajectory: t, format: 'atif' };
  }
  if (Array.isArray(whole)) return fromSession(whole.filter(isObj), fileName);
  // JSON lines: an OpenClaw session.
  const entries: Json[] = [];
  for (const [i, line] of trimmed.split('\n').entries()) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line);
      if (isObj(v)) entries.push(v);
    } catch (e) {
      return { ok: false, error: `${fileName}:${i + 1}: neither ATIF (JSON) nor an OpenClaw session (JSON lines): ${(e as Error).message}` };
    }
  }
  return fromSession(entries, fileName);
}

function fromSession(input: Json[], fileName: string): Imported {
  // The bundle's events.jsonl: trace events, the transcript's messages among them.
  const entries = input.some((e) => e.traceSchema === 'openclaw-trajectory')
    ? input.flatMap((e) => (e.source === 'transcript' && isObj(e.data) && isObj(e.data.message) ? [{ type: 'message', message: e.data.message }] : []))
    : input;
  if (!entries.some((e) => e.type === 'message')) return { ok: false, error: `${fileName} is neither ATIF nor an OpenClaw session (no message entries)` };
  const t = openclawSessionToAtif(entries);
  return typeof t === 'string' ? { ok: false, error: `${fileName}: ${t}` } : { ok: true, trajectory: t, format: 'openclaw-session' };
}
