/**
 * The `replay` agent: re-executes a recorded trajectory's tool calls, in order, in a fresh sandbox,
 * and reports each observation that differs from the recorded one (`replay.json`, events, and the
 * replay's own trajectory.json). Background session ids are mapped from the recording to the
 * replay so `process` calls reach the right session.
 */
import { ToolProfile } from './spec.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { AtifTrajectory } from '../trace/atif.js';
import { VERSION } from '../version.js';
import type { Agent } from './agent.js';
import { outcomeOf } from './claw/claw.js';
import { ClawSession } from './claw/session.js';

export const ReplayDivergence = z.object({
  step_id: z.number().int(),
  tool_call_id: z.string(),
  function_name: z.string(),
  expected: z.string(),
  actual: z.string(),
});
export const ReplayReport = z.object({
  trajectory: z.string(),
  session_id: z.string(),
  calls: z.number().int(),
  matched: z.number().int(),
  divergences: z.array(ReplayDivergence),
});
export type ReplayReport = z.infer<typeof ReplayReport>;

const SESSION = /session "?([0-9a-f]{8})"?/;

/** What may differ between two faithful runs: running times (ours, and a test runner's "Ran 5 tests in 0.005s"). */
function normalise(s: string): string {
  return s
    .replace(/\(\d+ s\)/g, '(N s)')
    .replace(/still running after \d+ ms/g, 'still running after N ms')
    .replace(/\bin \d+\.\d+ ?s\b/g, 'in N s');
}

export async function loadTrajectory(path: string): Promise<AtifTrajectory> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read trajectory ${path}: ${(e as Error).message}`);
  }
  const r = AtifTrajectory.safeParse(raw);
  if (!r.success) throw new UsageError(`${path} is not an ATIF trajectory: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function replayAgent(trajectoryPath: string): Agent {
  return {
    name: 'replay',
    async run(ctx) {
      const source = await loadTrajectory(trajectoryPath);
      const deadline = performance.now() + ctx.timeoutMs;
      const session = await ClawSession.open(ctx, {
        agent: { name: 'clawgym-replay', version: VERSION, ...(source.agent.model_name ? { model_name: source.agent.model_name } : {}) },
        recordedSystem: `Replay of trajectory ${source.session_id} (${trajectoryPath})`,
        // The recorded run's tools (ls, apply_patch… exist only in their profile).
        toolProfile: ToolProfile.safeParse(source.extra?.tool_profile).data,
      });
      session.deadline = deadline;
      const recorder = session.recorder;
      const report: ReplayReport = { trajectory: trajectoryPath, session_id: source.session_id, calls: 0, matched: 0, divergences: [] };
      const sessions = new Map<string, string>();
      let step = 0;
      let reason: 'replay_done' | 'timeout' | 'interrupted' = 'replay_done';
      try {
        for (const s of source.steps) {
          if (s.source !== 'agent') continue;
          if (ctx.signal?.aborted) {
            reason = 'interrupted';
            break;
          }
          if (performance.now() >= deadline) {
            reason = 'timeout';
            break;
          }
          step++;
          const t0 = performance.now();
          recorder.stepStart(step);
          const calls = (s.tool_calls ?? []).map((c) => {
            const raw = c.extra?.raw_arguments;
            const args = typeof raw === 'string' ? raw : { ...c.arguments, ...(typeof c.arguments.sessionId === 'string' && sessions.has(c.arguments.sessionId) ? { sessionId: sessions.get(c.arguments.sessionId) } : {}) };
            return { id: c.tool_call_id, name: c.function_name, arguments: args };
          });
          const atif = recorder.replayed(step, s.message, calls, { replayed_step_id: s.step_id });
          let toolsMs = 0;
          let mutated = false;
          for (const c of calls) {
            const res = await session.call(step, atif, { ...c, raw: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) });
            toolsMs += res.ms;
            mutated ||= res.mutated === true;
            report.calls++;
            const expected = s.observation?.results.find((o) => o.source_call_id === c.id)?.content ?? '';
            const [oldId, newId] = [SESSION.exec(expected)?.[1], SESSION.exec(res.text)?.[1]];
            if (oldId && newId) sessions.set(oldId, newId);
            const same = normalise(oldId && newId ? expected.replaceAll(oldId, newId) : expected) === normalise(res.text);
            if (same) report.matched++;
            else {
              report.divergences.push({ step_id: s.step_id, tool_call_id: c.id, function_name: c.name, expected, actual: res.text });
              ctx.events.emit({ type: 'replay_divergence', step: s.step_id, id: c.id, name: c.name, expected: expected.slice(0, 4096), actual: res.text.slice(0, 4096) });
            }
          }
          await session.endStep(step, atif, { started: t0, llmMs: 0, toolsMs, mutated });
        }
      } finally {
        await session.close();
        await writeFile(join(ctx.trialDir, 'replay.json'), JSON.stringify(report, null, 2));
        session.finish(reason, step, report.divergences.length ? `${report.divergences.length} of ${report.calls} observation(s) diverged` : null, { replay: { source: trajectoryPath, calls: report.calls, matched: report.matched, divergences: report.divergences.length } });
      }
      return outcomeOf({ reason });
    },
  };
}
