/**
 * The sound / unsound / untested state of each task, from the latest oracle and nop results in
 * the runs folder (core/runs/sanity.ts holds the rule). Node only, no vscode.
 */
import { soundness, type SoundnessVerdict } from '../../core/runs/sanity.js';
import { latestRunsByKind } from './review.js';
import { readTaskRuns } from './review-data.js';
import type { TaskEntry } from './task-tree.js';

export type { SoundnessVerdict };

/**
 * The verdict of one task. `otherSources`: where other tasks with the same id live (another pool),
 * so that their runs do not count for this one.
 */
export function taskSoundness(runsDir: string, task: Pick<TaskEntry, 'id' | 'source'>, otherSources: ReadonlySet<string> = new Set()): SoundnessVerdict {
  const latest = latestRunsByKind(readTaskRuns(runsDir, task.id), task, otherSources);
  return soundness({ oracle: latest.oracle?.latest, nop: latest.nop?.latest });
}

/** Verdicts of many tasks by key (tasks sharing an id in several pools are told apart by source). */
export function soundnessByKey(runsDir: string, tasks: ReadonlyArray<Pick<TaskEntry, 'key' | 'id' | 'source'>>): Map<string, SoundnessVerdict> {
  const sourcesById = new Map<string, string[]>();
  for (const t of tasks) sourcesById.set(t.id, [...(sourcesById.get(t.id) ?? []), t.source]);
  const out = new Map<string, SoundnessVerdict>();
  for (const t of tasks) out.set(t.key, taskSoundness(runsDir, t, new Set((sourcesById.get(t.id) ?? []).filter((s) => s !== t.source))));
  return out;
}

/** The short word a row shows next to a task ("sound", "unsound"), none while untested. */
export function soundnessBadge(v: SoundnessVerdict | undefined): string | undefined {
  return v && v.state !== 'untested' ? v.state : undefined;
}
