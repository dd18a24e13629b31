/**
 * The stage store: each stage's outcome for each draft, one JSON file per (stage, draft) under
 * <out>/.synth/<stage>/<draft>.json, written atomically (temp file + rename). A rerun reads these
 * and skips every stage a draft already finished — admitted and dropped drafts cost nothing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const StageRecord = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), data: z.unknown(), at: z.string() }),
  /** `kind` groups drop reasons in the funnel (e.g. answer_leak, nop_nonzero); `reason` says it in words. */
  z.object({ status: z.literal('dropped'), kind: z.string(), reason: z.string(), data: z.unknown().optional(), at: z.string() }),
]);
export type StageRecord = z.infer<typeof StageRecord>;

export class StageStore {
  readonly root: string;
  constructor(out: string) {
    this.root = join(out, '.synth');
  }

  file(stage: string, id: string): string {
    return join(this.root, stage, `${id}.json`);
  }

  get(stage: string, id: string): StageRecord | undefined {
    const f = this.file(stage, id);
    if (!existsSync(f)) return undefined;
    try {
      return StageRecord.parse(JSON.parse(readFileSync(f, 'utf8')));
    } catch {
      // A torn or foreign file: the stage simply runs again.
      return undefined;
    }
  }

  private put(stage: string, id: string, rec: StageRecord): void {
    const f = this.file(stage, id);
    mkdirSync(join(this.root, stage), { recursive: true });
    const tmp = `${f}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(rec, null, 2)}\n`);
    renameSync(tmp, f);
  }

  ok(stage: string, id: string, data: unknown): void {
    this.put(stage, id, { status: 'ok', data, at: new Date().toISOString() });
  }

  drop(stage: string, id: string, kind: string, reason: string, data?: unknown): void {
    this.put(stage, id, { status: 'dropped', kind, reason, ...(data === undefined ? {} : { data }), at: new Date().toISOString() });
  }
}
