/** `clawgym list` and `clawgym validate`: what a pool holds, and every problem with file:line:column. */
import type { Command } from 'commander';
import { loadTasks } from '../../core/task/load.js';
import { EXIT, printJson, printLoadErrors, warn } from '../output.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('List the tasks found under paths, with their format and category.')
    .argument('<paths...>')
    .option('--json')
    .action(async (paths: string[], o) => {
      const { tasks, errors } = await loadTasks(paths);
      if (o.json) printJson({ tasks: tasks.map((t) => ({ id: t.spec.id, title: t.spec.title, format: t.format, category: t.spec.category ?? null, source: t.source, warnings: t.warnings })), errors: errors.flatMap((e) => e.problems) });
      else {
        for (const t of tasks) process.stdout.write(`${t.spec.id}\t${t.format}\t${t.spec.category ?? '-'}\t${t.spec.title}\n`);
        printLoadErrors(errors);
      }
      process.exitCode = errors.length ? EXIT.taskErrors : EXIT.ok;
    });
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Load and validate tasks; report every problem with file:line:column.')
    .argument('<paths...>')
    .option('--json')
    .action(async (paths: string[], o) => {
      const { tasks, errors } = await loadTasks(paths);
      const warnings = tasks.flatMap((t) => t.warnings.map((w) => `${t.source}: ${w}`));
      if (o.json) printJson({ valid: tasks.length, errors: errors.flatMap((e) => e.problems), warnings });
      else {
        for (const w of warnings) warn(`warning: ${w}`);
        printLoadErrors(errors);
        process.stdout.write(`${tasks.length} valid task(s), ${errors.length} with errors\n`);
      }
      process.exitCode = errors.length ? EXIT.taskErrors : EXIT.ok;
    });
}
