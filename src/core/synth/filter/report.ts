/** filter-report.json: what each filter dropped and why; what was admitted. */
import { z } from 'zod';

export const FILTER_NAMES = ['schema', 'nop-zero', 'oracle-pass', 'deterministic', 'dedup'] as const;
export type FilterName = (typeof FILTER_NAMES)[number] | 'quota';

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
  /** Where the nop and oracle runs are kept (resumed when the filter is run again). */
  runs: z.record(z.string(), z.string()),
  copied: z.boolean(),
});
export type FilterReport = z.infer<typeof FilterReport>;

export function formatFilterReport(r: FilterReport): string {
  const lines = [`${r.admitted.length} task(s) admitted${r.copied ? ` into ${r.out}` : ` (listed in ${r.out}/admitted.txt)`}`];
  for (const s of r.steps) lines.push(`  ${s.filter.padEnd(14)} entered ${String(s.entered).padStart(6)}  dropped ${String(s.dropped).padStart(6)}  kept ${String(s.kept).padStart(6)}`);
  const shown = r.dropped.slice(0, 50);
  if (shown.length) lines.push('dropped:');
  for (const d of shown) lines.push(`  ${d.id} [${d.filter}] ${d.reason.split('\n')[0]}`);
  if (r.dropped.length > shown.length) lines.push(`  … ${r.dropped.length - shown.length} more in filter-report.json`);
  return lines.join('\n');
}
