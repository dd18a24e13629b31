/** The `clawgym` command: registers one command per file of commands/. Every command has --help; machine output with --json. */
import { Command } from 'commander';
import { ClawgymError, errorMessage } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import { registerBench } from './commands/bench.js';
import { registerCompare } from './commands/compare.js';
import { registerConvert } from './commands/convert.js';
import { registerDoctor } from './commands/doctor.js';
import { registerExport } from './commands/export.js';
import { registerFilter } from './commands/filter.js';
import { registerList, registerValidate } from './commands/list.js';
import { registerPool } from './commands/pool.js';
import { registerProxy } from './commands/proxy.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerSchema } from './commands/schema.js';
import { registerServe } from './commands/serve.js';
import { registerSetup } from './commands/setup.js';
import { registerSynth } from './commands/synth.js';
import { registerVerify } from './commands/verify.js';
import { registerWorker } from './commands/worker.js';
import { colors, EXIT, fail, usageExit } from './output.js';

export function buildProgram(): Command {
  const program = new Command('clawgym')
    .description('ClawGym: run agents on verifiable tasks in sandboxes, verify, report.')
    .version(VERSION)
    .showHelpAfterError()
    // commander's own parse errors mean bad usage (2), not an internal failure (1); subcommands inherit it.
    .exitOverride(usageExit)
    .configureOutput({ outputError: (s, write) => write(colors.red(s)) });
  for (const register of [
    registerRun,
    registerVerify,
    registerReport,
    registerCompare,
    registerList,
    registerValidate,
    registerConvert,
    registerSchema,
    registerProxy,
    registerDoctor,
    registerSetup,
    registerSynth,
    registerFilter,
    registerPool,
    registerWorker,
    registerServe,
    registerBench,
    registerExport,
  ]) {
    register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    fail(errorMessage(e));
    process.exitCode = e instanceof ClawgymError ? (e.kind === 'usage' ? EXIT.usage : e.kind === 'harness' ? EXIT.harness : EXIT.taskErrors) : EXIT.internal;
  }
}
