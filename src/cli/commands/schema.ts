/** `clawgym schema`: the JSON Schema of task.yaml, generated from the zod model. */
import type { Command } from 'commander';
import { taskJsonSchema } from '../../core/task/schema.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('Print the JSON Schema of task.yaml (generated from the zod model).')
    .action(() => {
      process.stdout.write(`${JSON.stringify(taskJsonSchema(), null, 2)}\n`);
    });
}
