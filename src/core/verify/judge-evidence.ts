/**
 * What the rubric judge is shown besides the instruction: the output files (read through the
 * workspace's realpath guard, each and all together size-capped) and a short summary of the
 * transcript. Everything here was written by the agent under evaluation, so it is data for the
 * judge, capped so a huge or hostile file cannot crowd out the rubric.
 */
import { isAbsolute } from 'node:path';
import type { WorkspaceReader } from './files.js';
import type { TranscriptEntry } from '../trace/transcript.js';

export interface EvidenceLimits {
  /** Bytes shown of one file. */
  fileBytes: number;
  /** Bytes shown of all files together. */
  totalBytes: number;
  /** Files shown when the rubric names none (changed and new files). */
  maxFiles: number;
  /** Characters of transcript summary. */
  transcriptChars: number;
}

export const DEFAULT_EVIDENCE: EvidenceLimits = { fileBytes: 24_000, totalBytes: 120_000, maxFiles: 20, transcriptChars: 12_000 };

export interface EvidenceFile {
  path: string;
  /** Whole size, or null when it could not be read. */
  bytes: number | null;
  shown_bytes: number;
  /** Missing, outside the workspace, binary, truncated… */
  note?: string;
  text: string;
}

/** A rubric path as a workspace-relative one: absolute paths under the mount are accepted. */
export function workspacePath(p: string, mount: string): string | null {
  if (!isAbsolute(p)) return p.replace(/^\.\/+/, '');
  const m = mount.replace(/\/+$/, '');
  return p.startsWith(`${m}/`) ? p.slice(m.length + 1) : null;
}

export async function readEvidenceFiles(ws: WorkspaceReader, paths: readonly string[], mount: string, lim: EvidenceLimits): Promise<EvidenceFile[]> {
  const out: EvidenceFile[] = [];
  let budget = lim.totalBytes;
  for (const p of [...new Set(paths)]) {
    const rel = workspacePath(p, mount);
    if (rel === null) {
      out.push({ path: p, bytes: null, shown_bytes: 0, note: 'not in the workspace', text: '' });
      continue;
    }
    const cap = Math.max(0, Math.min(lim.fileBytes, budget));
    const r = await ws.readHead(rel, cap);
    if (!r.ok) {
      out.push({ path: p, bytes: null, shown_bytes: 0, note: r.reason, text: '' });
      continue;
    }
    if (r.data.includes(0)) {
      out.push({ path: p, bytes: r.size, shown_bytes: 0, note: 'binary file: content not shown', text: '' });
      continue;
    }
    // Cut at a character boundary: a split UTF-8 sequence would show as garbage.
    const text = new TextDecoder('utf-8', { fatal: false }).decode(r.data).replace(/\uFFFD$/, '');
    const shown = Buffer.byteLength(text);
    budget -= shown;
    const note = shown < r.size ? (cap === 0 ? 'not shown: the judge has seen enough bytes already' : `truncated: first ${shown} of ${r.size} bytes`) : undefined;
    out.push({ path: p, bytes: r.size, shown_bytes: shown, ...(note ? { note } : {}), text });
  }
  return out;
}

/**
 * For a rubric that names no file (PinchBench's free text): the files the agent created or changed,
 * compared with the task's original workspace, hidden verifier folders left out.
 */
export async function changedFiles(ws: WorkspaceReader, original: Map<string, () => Promise<Buffer>>, hidden: ReadonlySet<string>, max: number): Promise<{ paths: string[]; more: number }> {
  const changed: string[] = [];
  for (const rel of await ws.list(hidden)) {
    const before = original.get(rel);
    if (!before) {
      changed.push(rel);
      continue;
    }
    const now = await ws.read(rel, 8 * 1024 * 1024);
    if (!now.ok || !now.data.equals(await before())) changed.push(rel);
  }
  return { paths: changed.slice(0, max), more: Math.max(0, changed.length - max) };
}

/** The transcript in a few lines per turn: what the agent said and which tools it called. */
export function transcriptSummary(entries: readonly TranscriptEntry[], maxChars: number): string {
  const lines: string[] = [];
  const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
  for (const e of entries) {
    if (e.type !== 'message' || !e.message) continue;
    const { role, content } = e.message;
    if (role === 'user') continue; // the instruction is shown on its own
    for (const c of content) {
      if (c.type === 'text' && c.text.trim()) lines.push(`${role === 'toolResult' ? `result of ${e.message.toolName ?? 'tool'}` : 'assistant'}: ${clip(c.text.trim().replace(/\s+/g, ' '), role === 'toolResult' ? 200 : 600)}`);
      if (c.type === 'toolCall') lines.push(`tool call ${c.name}: ${clip(JSON.stringify(c.arguments), 300)}`);
    }
  }
  let text = lines.join('\n');
  // Keep the end: the final answer and last actions say the most about the result.
  if (text.length > maxChars) text = `[… ${text.length - maxChars} earlier characters left out]\n${text.slice(-maxChars)}`;
  return text;
}
