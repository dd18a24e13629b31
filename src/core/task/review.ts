/**
 * Curation: set a native task's `review` block in task.yaml. Only that block changes (comments,
 * key order and the instruction's formatting stay as the author wrote them); the file is replaced
 * atomically (write a sibling, fsync, rename); and when the caller says which text it last saw,
 * a file changed on disk meanwhile is refused rather than overwritten.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import { ClawgymError } from '../errors.js';
import { parseTaskYaml } from './native.js';
import { Review, type ReviewStatus, type TaskSpec } from './schema.js';

export interface ReviewUpdate {
  status: ReviewStatus;
  notes?: string;
  reviewer?: string;
}

/** The file changed since the caller read it. */
export class StaleFileError extends ClawgymError {
  constructor(readonly file: string) {
    super('usage', `${file} changed on disk since it was loaded: reload it and review again`);
  }
}

/** Where the review of a task lives; only native tasks have a task.yaml to write it into. */
export function reviewFileOf(task: { format: string; source: string }): string | undefined {
  if (task.format !== 'native') return undefined;
  return task.source.endsWith('task.yaml') ? task.source : join(task.source, 'task.yaml');
}

/**
 * Write `update` into task.yaml's review block and return the new spec. `expectedText`: the file's
 * text as the caller last saw it; if given and different, nothing is written (StaleFileError).
 */
export async function writeReview(file: string, update: ReviewUpdate, opts: { expectedText?: string; now?: Date } = {}): Promise<TaskSpec> {
  const text = await readFile(file, 'utf8');
  if (opts.expectedText !== undefined && opts.expectedText !== text) throw new StaleFileError(file);
  parseTaskYaml(text, file); // never rewrite a file that is not a valid task
  const doc = parseDocument(text, { keepSourceTokens: true });
  const review = Review.parse({
    status: update.status,
    ...(update.notes?.trim() ? { notes: update.notes.trim() } : {}),
    ...(update.reviewer ? { reviewer: update.reviewer } : {}),
    updated: (opts.now ?? new Date()).toISOString(),
  });
  if (!isMap(doc.contents)) throw new ClawgymError('task', `${file}: the document is not a mapping`);
  doc.set('review', doc.createNode(review));
  const out = doc.toString({ lineWidth: 0 });
  const { spec } = parseTaskYaml(out, file);
  await replaceAtomically(file, out);
  return spec;
}

/** Replace a file's content so a reader sees the old or the new text, never a mix. */
export async function replaceAtomically(file: string, text: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
