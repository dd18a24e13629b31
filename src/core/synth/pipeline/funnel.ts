/**
 * The funnel report (<out>/funnel.json): how many drafts entered each stage, how many it dropped
 * and why (by kind), how many verifiers needed repairs. Computed from the stage store, so it is the
 * same whether the pipeline ran in one go or was interrupted and resumed.
 */
import { z } from 'zod';
import type { StageStore } from './store.js';

export const PIPELINE_STAGES = ['draft', 'materialize', 'verifier', 'judge', 'rubric', 'dedup', 'admit'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export const FunnelStage = z.object({
  stage: z.string(),
  entered: z.number().int(),
  dropped: z.number().int(),
  passed: z.number().int(),
  reasons: z.record(z.string(), z.number().int()),
});

export const Funnel = z.object({
  route: z.enum(['persona', 'skill']),
  seed: z.number().int(),
  model: z.string(),
  target: z.number().int(),
  drafts: z.number().int(),
  admitted: z.number().int(),
  /** Drafts whose pipeline has not finished (interrupted runs). */
  in_progress: z.number().int(),
  stages: z.array(FunnelStage),
  verifier: z.object({ first_try: z.number().int(), repaired: z.number().int(), attempts: z.record(z.string(), z.number().int()) }),
  skills: z.object({ total: z.number().int(), usable: z.number().int(), skipped: z.record(z.string(), z.string()) }).optional(),
  /** Model calls made by this invocation (a resumed run makes fewer). */
  llm_calls: z.number().int(),
  dropped: z.array(z.object({ id: z.string(), stage: z.string(), kind: z.string(), reason: z.string() })),
});
export type Funnel = z.infer<typeof Funnel>;

export function computeFunnel(store: StageStore, ids: readonly string[], head: Pick<Funnel, 'route' | 'seed' | 'model' | 'target' | 'llm_calls' | 'skills'>): Funnel {
  const stages = PIPELINE_STAGES.map((stage) => ({ stage, entered: 0, dropped: 0, passed: 0, reasons: {} as Record<string, number> }));
  const dropped: Funnel['dropped'] = [];
  const verifier = { first_try: 0, repaired: 0, attempts: {} as Record<string, number> };
  let admitted = 0;
  let inProgress = 0;
  for (const id of ids) {
    let finished = false;
    for (const s of stages) {
      const rec = store.get(s.stage, id);
      if (!rec) break;
      s.entered++;
      if (s.stage === 'verifier') {
        const n = (rec.data as { attempts?: number } | undefined)?.attempts;
        if (n) verifier.attempts[String(n)] = (verifier.attempts[String(n)] ?? 0) + 1;
        if (rec.status === 'ok') {
          if (n && n > 1) verifier.repaired++;
          else verifier.first_try++;
        }
      }
      if (rec.status === 'dropped') {
        s.dropped++;
        s.reasons[rec.kind] = (s.reasons[rec.kind] ?? 0) + 1;
        dropped.push({ id, stage: s.stage, kind: rec.kind, reason: rec.reason });
        finished = true;
        break;
      }
      s.passed++;
      if (s.stage === 'admit') {
        admitted++;
        finished = true;
      }
    }
    if (!finished) inProgress++;
  }
  return { ...head, drafts: ids.length, admitted, in_progress: inProgress, stages, verifier, dropped };
}

export function formatFunnel(f: Funnel): string {
  const lines = [`${f.route} route, seed ${f.seed}, model ${f.model}: ${f.admitted} of ${f.target} task(s) admitted from ${f.drafts} draft(s)${f.in_progress ? ` (${f.in_progress} unfinished)` : ''}; ${f.llm_calls} model call(s) this run`];
  if (f.skills) lines.push(`skills: ${f.skills.usable} usable of ${f.skills.total}${Object.keys(f.skills.skipped).length ? `; skipped ${Object.entries(f.skills.skipped).map(([k, v]) => `${k} (${v})`).join(', ')}` : ''}`);
  for (const s of f.stages) {
    const why = Object.entries(s.reasons).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(`  ${s.stage.padEnd(12)} entered ${String(s.entered).padStart(5)}  dropped ${String(s.dropped).padStart(5)}${why ? ` (${why})` : ''}`);
  }
  lines.push(`  verifiers: ${f.verifier.first_try} right first time, ${f.verifier.repaired} repaired`);
  return lines.join('\n');
}
