/**
 * Appends every model call attempt to a JSONL file (a trial's `llm/calls.jsonl`), redacted:
 * secret headers masked and the key cut out of anything that might echo it.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LlmCallRecord } from './types.js';
import { redact } from './redact.js';

export class CallRecorder {
  private made = false;
  constructor(
    readonly path: string | null,
    private readonly secrets: readonly string[],
  ) {}

  record(r: LlmCallRecord): void {
    if (!this.path) return;
    if (!this.made) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.made = true;
    }
    appendFileSync(this.path, `${JSON.stringify(redact(r, this.secrets))}\n`);
  }
}
