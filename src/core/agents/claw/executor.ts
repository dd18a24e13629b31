/**
 * Runs one tool call from the model. Whatever goes wrong — an unknown tool, arguments that are not
 * JSON, a failing tool — becomes an error observation the model can react to, never a crash.
 */
import { ClawgymError, errorMessage } from '../../errors.js';
import type { ToolProfile } from '../spec.js';
import { editTool, lsTool, readTool, writeTool, type ToolOutput } from './fs-tools.js';
import { applyPatchTool } from './patch-tool.js';
import { ProcessSessions } from './processes.js';
import type { ToolEnv } from './tool-env.js';
import { isToolName, normaliseArgs, parseArguments, profileToolNames, ToolInputError } from './tools.js';

export interface ToolCallResult extends ToolOutput {
  /** The arguments as parsed (the raw text when they were not a JSON object). */
  arguments: Record<string, unknown> | string;
  /** The call never reached a tool: no such tool, or arguments it cannot take. */
  problem?: 'tool_not_found' | 'invalid_args';
}

export class ToolExecutor {
  readonly sessions: ProcessSessions;

  constructor(
    readonly env: ToolEnv,
    readonly profile?: ToolProfile,
  ) {
    this.sessions = new ProcessSessions(env);
  }

  async call(name: string, rawArguments: string): Promise<ToolCallResult> {
    let args: Record<string, unknown>;
    try {
      args = parseArguments(rawArguments);
    } catch (e) {
      return { text: `Error: ${errorMessage(e)}`, isError: true, arguments: rawArguments, problem: 'invalid_args' };
    }
    if (!isToolName(name, this.profile)) {
      return { text: `Error: there is no tool "${name}". Available tools: ${profileToolNames(this.profile).join(', ')}.`, isError: true, arguments: args, problem: 'tool_not_found' };
    }
    try {
      const t = normaliseArgs(name, args);
      let out: ToolOutput;
      switch (t.tool) {
        case 'read':
          out = await readTool(this.env, t.args);
          break;
        case 'write':
          out = await writeTool(this.env, t.args);
          break;
        case 'edit':
          out = await editTool(this.env, t.args);
          break;
        case 'exec':
          out = await this.sessions.exec(t.args);
          break;
        case 'process':
          out = await this.sessions.process(t.args);
          break;
        case 'ls':
          out = await lsTool(this.env, t.args);
          break;
        case 'apply_patch':
          out = await applyPatchTool(this.env, t.args);
          break;
      }
      return { ...out, arguments: args };
    } catch (e) {
      if (e instanceof ToolInputError) return { text: `Error: ${e.message}`, isError: true, arguments: args, problem: 'invalid_args' };
      if (e instanceof ClawgymError && e.kind === 'harness') throw e; // our sandbox broke: retry the trial
      // A tool that failed in a way we did not foresee: the model hears it, the run goes on.
      return { text: `Error: ${name} failed: ${errorMessage(e)}`, isError: true, arguments: args, mutated: true };
    }
  }

  close(): Promise<void> {
    return this.sessions.closeAll();
  }
}
