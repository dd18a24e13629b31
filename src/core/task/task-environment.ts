/**
 * The task environment contract: the Debian release, packages and variables every task's sandbox
 * offers. One list (task-environment.json, which scripts/setup.sh reads too) for what setup
 * installs, what `clawgym doctor` probes, what the bwrap sandbox sets and what a Harbor export's
 * Dockerfile builds, so that a task scores the same wherever it runs.
 */
import { z } from 'zod';
import raw from './task-environment.json' with { type: 'json' };

export const TaskTool = z.object({
  /** What `clawgym doctor` calls it. */
  name: z.string(),
  /** The Debian package that provides it. */
  debian: z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/),
  /** A shell command that succeeds (and prints a version) when the tool works. */
  probe: z.string(),
  /** Who needs it. */
  why: z.string(),
});
export type TaskTool = z.infer<typeof TaskTool>;

export const TaskEnvironment = z.object({
  $comment: z.string().optional(),
  /** The Debian release the sandbox's tools come from (the Harbor image's base). */
  debian: z.string().regex(/^[a-z]+$/),
  /** The sandbox's PATH (Debian's default; a pyenv or nvm in a home folder is not visible inside). */
  path: z.string(),
  /** Variables every sandbox sets (the image's ENV). */
  env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string()),
  tools: z.array(TaskTool).min(1),
});

export const TASK_ENVIRONMENT = TaskEnvironment.parse(raw);
export const TASK_TOOLS: readonly TaskTool[] = TASK_ENVIRONMENT.tools;

/** The Debian package that provides `tool` (a command or a module name), or the name itself. */
export function debianPackageFor(tool: string): string {
  return TASK_TOOLS.find((t) => t.name === tool)?.debian ?? tool;
}

/** The Docker image a Harbor export starts from: the contract's Debian release, slim. */
export const HARBOR_BASE_IMAGE = `debian:${TASK_ENVIRONMENT.debian}-slim`;
