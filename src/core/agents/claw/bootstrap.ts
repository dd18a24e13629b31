/**
 * What OpenClaw puts in front of the model from the workspace: its bootstrap files (AGENTS.md,
 * SOUL.md, USER.md, TOOLS.md, MEMORY.md) and the skills under skills/<name>/SKILL.md (front
 * matter name and description; the location the model can read the rest from). Read on the host
 * before the agent starts, through the realpath guard, so a symlink cannot pull host files in.
 */
import { parse as parseYaml } from 'yaml';
import { WorkspaceReader } from '../../verify/files.js';

export const BOOTSTRAP_FILES = ['AGENTS.md', 'SOUL.md', 'USER.md', 'TOOLS.md', 'MEMORY.md'] as const;
/** Per file, as OpenClaw caps them, so one huge file cannot crowd out the task. */
export const BOOTSTRAP_MAX_CHARS = 20_000;

export interface BootstrapFile {
  name: string;
  content: string;
  truncated: boolean;
}

export interface Skill {
  name: string;
  description: string;
  /** Path of SKILL.md as the agent sees it (inside the sandbox). */
  location: string;
}

export interface WorkspaceContext {
  files: BootstrapFile[];
  skills: Skill[];
}

function frontMatter(text: string): Record<string, unknown> {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!m) return {};
  try {
    const v = parseYaml(m[1]!);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function loadWorkspaceContext(workspace: string, mount: string): Promise<WorkspaceContext> {
  const reader = new WorkspaceReader(workspace);
  const files: BootstrapFile[] = [];
  for (const name of BOOTSTRAP_FILES) {
    const r = await reader.read(name, 4 << 20);
    if (!r.ok) continue;
    const text = r.data.toString('utf8');
    files.push({ name, content: text.slice(0, BOOTSTRAP_MAX_CHARS), truncated: text.length > BOOTSTRAP_MAX_CHARS });
  }
  const skills: Skill[] = [];
  const all = await reader.list().catch(() => [] as string[]);
  for (const rel of all.filter((p) => /^skills\/[^/]+\/SKILL\.md$/.test(p))) {
    const r = await reader.read(rel, 1 << 20);
    if (!r.ok) continue;
    const fm = frontMatter(r.data.toString('utf8'));
    const dir = rel.split('/')[1]!;
    skills.push({
      name: typeof fm.name === 'string' && fm.name ? fm.name : dir,
      description: typeof fm.description === 'string' ? fm.description.replace(/\s+/g, ' ').trim() : '',
      location: `${mount}/${rel}`,
    });
  }
  return { files, skills };
}
