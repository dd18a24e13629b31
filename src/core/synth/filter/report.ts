/** filter-report.json: what each filter dropped and why; what was admitted. */
import { z } from 'zod';

export const FILTER_NAMES = ['schema', 'nop-zero', 'oracle-pass', 'deterministic', 'mutants', 'dedup'] as const;
export type FilterName = (typeof FILTER_NAMES)[number] | 'quota';
/** What `--require` means when not given: `mutants` is asked for explicitly (tasks from elsewhere have none). */
export const DEFAULT_FILTERS: readonly FilterName[] = ['schema', 'nop-zero', 'oracle-pass', 'deterministic', 'dedup'];

/** How the mutants of the tasks that entered the mutants filter scored. */
export const MutantsSummary = z.object({
  /** Wrong mutants that scored < 1, of all wrong mutants that ran without an error. */
  killed: z.number().int(),
  wrong: z.number().int(),
  kill_rate: z.number().nullable(),
  /** Variants that scored exactly 1, of all variants. */
  variants_accepted: z.number().int(),
  variants: z.number().int(),
  /** Tasks without solution/mutants.json. */
  without_mutants: z.number().int(),
});
export type MutantsSummary = z.infer<typeof MutantsSummary>;

export const Dropped = z.object({
  /** The task id, or the file that could not be loaded as a task. */
  id: z.string(),
  source: z.string(),
  filter: z.string(),
  reason: z.string(),
});
export type Dropped = z.infer<typeof Dropped>;

export const FilterStep = z.object({ filter: z.string(), entered: z.number().int(), dropped: z.number().int(), kept: z.number().int() });
export type FilterStep = z.infer<typeof FilterStep>;

export const FilterReport = z.object({
  pool: z.array(z.string()),
  out: z.string(),
  required: z.array(z.string()),
  dedup_threshold: z.number(),
  quotas: z.object({ perCategory: z.record(z.string(), z.number()), others: z.number().optional() }),
  steps: z.array(FilterStep),
  admitted: z.array(z.object({ id: z.string(), source: z.string(), category: z.string(), family: z.string() })),
  dropped: z.array(Dropped),
  /** Where the nop and oracle runs (and the mutants' outcomes) are kept (resumed when the filter is run again). */
  runs: z.record(z.string(), z.string()),
  /** With the mutants filter. */
  mutants: MutantsSummary.optional(),
  copied: z.boolean(),
});
export type FilterReport = z.infer<typeof FilterReport>;

export function formatFilterReport(r: FilterReport): string {
  const lines = [`${r.admitted.length} task(s) admitted${r.copied ? ` into ${r.out}` : ` (listed in ${r.out}/admitted.txt)`}`];
  for (const s of r.steps) lines.push(`  ${s.filter.padEnd(14)} entered ${String(s.entered).padStart(6)}  dropped ${String(s.dropped).padStart(6)}  kept ${String(s.kept).padStart(6)}`);
  if (r.mutants) {
    const m = r.mutants;
    lines.push(`mutants: kill rate ${m.kill_rate === null ? 'n/a' : `${(m.kill_rate * 100).toFixed(1)}%`} (${m.killed}/${m.wrong} wrong mutants score < 1), ${m.variants_accepted}/${m.variants} variants score 1${m.without_mutants ? `, ${m.without_mutants} task(s) without mutants` : ''}`);
  }
  const shown = r.dropped.slice(0, 50);
  if (shown.length) lines.push('dropped:');
  for (const d of shown) lines.push(`  ${d.id} [${d.filter}] ${d.reason.split('\n')[0]}`);
  if (r.dropped.length > shown.length) lines.push(`  … ${r.dropped.length - shown.length} more in filter-report.json`);
  return lines.join('\n');
}
