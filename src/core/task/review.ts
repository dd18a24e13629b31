/**
 * Curation: set a native task's `review` block in task.yaml. Only that block changes (comments,
 * key order and the instruction's formatting stay as the author wrote them); the file is replaced
 * atomically (write a sibling, fsync, rename); and when the caller says which text it last saw,
 * a file changed on disk meanwhile is refused rather than overwritten.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, parseDocument } from 'yaml';
import { ClawgymError } from '../errors.js';
import { parseTaskYaml } from './native.js';
import { makePortable, portableYaml, PORTABLE_TO_STRING } from './portable-yaml.js';
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
  const before = parseTaskYaml(text, file).spec; // never rewrite a file that is not a valid task
  const doc = parseDocument(text, { keepSourceTokens: true });
  const review = Review.parse({
    status: update.status,
    ...(update.notes?.trim() ? { notes: update.notes.trim() } : {}),
    ...(update.reviewer ? { reviewer: update.reviewer } : {}),
    updated: (opts.now ?? new Date()).toISOString(),
  });
  if (!isMap(doc.contents)) throw new ClawgymError('task', `${file}: the document is not a mapping`);
  const spliced = spliceReview(text, doc, review);
  let out: string;
  let spec: TaskSpec | undefined;
  if (spliced !== undefined) {
    try {
      const s = parseTaskYaml(spliced, file).spec;
      // The splice must change the review and nothing else.
      if (isDeepStrictEqual(s.review, review) && isDeepStrictEqual({ ...s, review: undefined }, { ...before, review: undefined })) spec = s;
    } catch {
      /* a document the splice cannot handle (e.g. a flow mapping) */
    }
  }
  if (spec) out = spliced!;
  else {
    // Fall back to re-serializing the document: the same data, possibly reformatted.
    makePortable(doc);
    doc.set('review', doc.createNode(review));
    out = doc.toString(PORTABLE_TO_STRING);
    spec = parseTaskYaml(out, file).spec;
  }
  await replaceAtomically(file, out);
  return spec;
}

/**
 * The text with only the top-level review block replaced (or appended when there is none): every
 * other byte stays as the author wrote it — flow sequences, quoting, comments, blank lines. A
 * YAML library's re-serialization would normalize those. Undefined when the block cannot be found
 * by its source range.
 */
function spliceReview(text: string, doc: ReturnType<typeof parseDocument>, review: ReturnType<typeof Review.parse>): string | undefined {
  const block = portableYaml({ review });
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'review');
  if (!pair) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${block}`;
  const key = isScalar(pair.key) ? pair.key.range : undefined;
  const value = (pair.value as { range?: [number, number, number] } | null)?.range;
  if (!key) return undefined;
  const start = key[0];
  let end = value?.[2] ?? key[2];
  // The block ends its last line: take that line's newline too, the replacement brings its own.
  if (!text.slice(start, end).endsWith('\n') && text[end] === '\n') end += 1;
  return `${text.slice(0, start)}${block}${text.slice(end)}`;
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
