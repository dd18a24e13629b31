/**
 * Output truncation as OpenClaw does it: at most 2,000 lines or 50 KB, whichever comes first.
 * File reads keep the head (continue with offset); command output keeps the tail (the end of a
 * log is what matters).
 */
export const MAX_LINES = 2000;
export const MAX_BYTES = 50 * 1024;

export interface Truncated {
  text: string;
  truncated: boolean;
  /** Lines kept. */
  lines: number;
  totalLines: number;
  /** The first line alone is over the byte limit (head mode): nothing could be shown. */
  firstLineTooLong?: boolean;
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function truncateHead(text: string, maxLines = MAX_LINES, maxBytes = MAX_BYTES): Truncated {
  const all = text.split('\n');
  const out: string[] = [];
  let size = 0;
  for (const line of all) {
    const add = bytes(line) + (out.length ? 1 : 0);
    if (out.length >= maxLines || size + add > maxBytes) break;
    out.push(line);
    size += add;
  }
  const truncated = out.length < all.length;
  return { text: out.join('\n'), truncated, lines: out.length, totalLines: all.length, ...(truncated && out.length === 0 ? { firstLineTooLong: true } : {}) };
}

export function truncateTail(text: string, maxLines = MAX_LINES, maxBytes = MAX_BYTES): Truncated {
  const all = text.split('\n');
  const out: string[] = [];
  let size = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    const line = all[i]!;
    const add = bytes(line) + (out.length ? 1 : 0);
    if (out.length >= maxLines || size + add > maxBytes) {
      // A single huge last line: keep its end rather than nothing.
      if (!out.length) out.unshift(Buffer.from(line).subarray(-maxBytes).toString('utf8'));
      break;
    }
    out.unshift(line);
    size += add;
  }
  return { text: out.join('\n'), truncated: out.length < all.length || (out.length === 1 && out[0] !== all[all.length - 1]), lines: out.length, totalLines: all.length };
}
