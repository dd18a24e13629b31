/** `clawgym convert`: tasks of any format to the native or the Harbor format. */
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_LIMITS } from '../../core/sandbox/sandbox.js';
import { exportHarborTask } from '../../core/task/harbor-export.js';
import { loadTasks } from '../../core/task/load.js';
import { saveNativeTask } from '../../core/task/save.js';
import { EXIT, printJson, printLoadErrors, warn } from '../output.js';

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('Convert tasks of any format to the native or the Harbor format.')
    .argument('<paths...>')
    .addOption(new Option('--to <format>', 'target format').choices(['native', 'harbor']).makeOptionMandatory())
    .requiredOption('-o, --out <dir>', 'output folder (one sub-folder per task)')
    .option('--json')
    .action(async (paths: string[], o) => {
      const { tasks, errors } = await loadTasks(paths);
      printLoadErrors(errors);
      const written: string[] = [];
      const notes: Array<{ task_id: string; note: string }> = [];
      for (const t of tasks) {
        const dest = join(resolve(o.out), t.spec.id);
        if (o.to === 'native') await saveNativeTask(t, dest);
        else {
          // The exported task gets the memory a ClawGym sandbox gives it.
          const r = await exportHarborTask(t, dest, { memoryMb: DEFAULT_LIMITS.memoryMb });
          notes.push(...r.notes.map((note) => ({ task_id: t.spec.id, note })));
        }
        written.push(dest);
        for (const w of t.warnings) warn(`warning: ${t.spec.id}: ${w}`);
      }
      for (const n of notes) warn(`note: ${n.task_id}: ${n.note}`);
      if (o.json) printJson({ written, notes, errors: errors.flatMap((e) => e.problems) });
      else process.stdout.write(`${written.length} task(s) written to ${resolve(o.out)}\n`);
      process.exitCode = errors.length ? EXIT.taskErrors : EXIT.ok;
    });
}
