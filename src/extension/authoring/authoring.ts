/**
 * Authoring commands: New Task from Template, Duplicate Task, Add Check (with a code action in
 * task.yaml), and Convert to Native Task for tasks in another format. Each registers itself here;
 * activation adds them with one call.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors.js';
import { TASK_TEMPLATES, taskIdProblem, writeTemplateTask } from '../../core/task/templates.js';
import { runCli } from '../cli-process.js';
import { baseFolder } from '../config.js';
import { checkInsertion, checkSnippets, duplicateTaskYaml, insertionSnippet, type CheckSnippet } from '../model/authoring.js';
import { convertArgv, validateArgv, type CliLocation } from '../model/cli.js';
import { taskFileOf, type TaskEntry } from '../model/task-tree.js';
import type { TaskIndex } from '../task-index.js';

export interface AuthoringDeps {
  context: vscode.ExtensionContext;
  index: TaskIndex;
  log: vscode.LogOutputChannel;
  cli: () => CliLocation;
}

const taskOf = (node: unknown): TaskEntry | undefined => ((node as { kind?: string } | undefined)?.kind === 'task' ? (node as { task: TaskEntry }).task : undefined);

/** Where new tasks can go: the pools the index knows, else a `tasks` folder in the workspace. */
function taskFolders(index: TaskIndex): string[] {
  const roots = [...new Set(index.entries().map((e) => dirname(e.source)))];
  return roots.length ? roots.sort() : [join(baseFolder(), 'tasks')];
}

async function askId(prompt: string, value: string, parent: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: prompt,
    prompt: 'The task id: letters, digits, "_", "." or "-"; it names the task folder too',
    value,
    validateInput: (v) => taskIdProblem(v.trim()) ?? (existsSync(join(parent, v.trim())) ? `${join(parent, v.trim())} already exists` : undefined),
  });
}

/** Validate a task folder with the CLI; the problems with positions, or none. */
async function validate(cli: CliLocation, dir: string): Promise<{ ok: boolean; text: string }> {
  const r = await runCli(validateArgv(cli, [dir]), {});
  try {
    const j = JSON.parse(r.stdout) as { valid: number; errors: Array<{ file: string; line?: number; column?: number; message: string }> };
    if (!j.errors.length && j.valid === 1) return { ok: true, text: 'clawgym validate: 1 valid task' };
    return { ok: false, text: j.errors.map((e) => `${e.file}${e.line ? `:${e.line}:${e.column ?? 1}` : ''}: ${e.message}`).join('\n') || `${j.valid} task(s)` };
  } catch {
    return { ok: false, text: r.stderr.trim() || `exit ${r.code}` };
  }
}

async function openTaskYaml(dir: string): Promise<void> {
  await vscode.window.showTextDocument(vscode.Uri.file(join(dir, 'task.yaml')), { preview: false });
}

export function registerAuthoring(d: AuthoringDeps): vscode.Disposable[] {
  const { index, log } = d;
  let snippets: CheckSnippet[] | undefined;
  const loadSnippets = (): CheckSnippet[] => (snippets ??= checkSnippets(readFileSync(d.context.asAbsolutePath(join('snippets', 'task-checks.code-snippets')), 'utf8')));

  const newTask = async (): Promise<void> => {
    await index.ready();
    const template = await vscode.window.showQuickPick(
      TASK_TEMPLATES.map((t) => ({ label: t.label, description: t.name, detail: t.description, t })),
      { title: 'ClawGym: New Task from Template', placeHolder: 'A starting point: files, checks and an oracle that passes them' },
    );
    if (!template) return;
    const folders = taskFolders(index);
    const browse = { label: '$(folder-opened) Choose a folder…', dir: '' };
    const where = folders.length === 1 ? { dir: folders[0]! } : await vscode.window.showQuickPick([...folders.map((f) => ({ label: relative(baseFolder(), f) || f, description: f, dir: f })), browse], { placeHolder: 'The pool (folder) the new task goes into' });
    if (!where) return;
    let parent = where.dir;
    if (!parent) {
      parent = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Create Task Here' }))?.[0]?.fsPath ?? '';
      if (!parent) return;
    }
    const id = (await askId('New task: id', `${template.t.name}-task`, parent))?.trim();
    if (!id) return;
    const title = await vscode.window.showInputBox({ title: 'New task: title', prompt: 'A short human-readable title (shown in the Tasks view)', value: template.t.label });
    if (title === undefined) return;
    try {
      const dir = await writeTemplateTask(template.t, parent, { id, title });
      const v = await validate(d.cli(), dir);
      log.info(`new task ${id} from template ${template.t.name} in ${dir}: ${v.text}`);
      await index.reload();
      await openTaskYaml(dir);
      if (v.ok) void vscode.window.showInformationMessage(`ClawGym: created ${id} (${v.text}). Run the oracle and nop to check it is sound.`, 'Run Agent on Task').then((c) => c && vscode.commands.executeCommand('clawgym.runAgent', { kind: 'task', task: index.byId(id)[0]?.entry }));
      else void vscode.window.showWarningMessage(`ClawGym: created ${id}, but clawgym validate reports: ${v.text}`);
    } catch (e) {
      void vscode.window.showErrorMessage(`ClawGym: ${errorMessage(e)}`);
    }
  };

  const duplicateTask = async (node?: unknown): Promise<void> => {
    await index.ready();
    const t = taskOf(node) ?? (await vscode.window.showQuickPick(index.entries().filter((e) => e.format === 'native').map((e) => ({ label: e.id, description: e.title, e })), { placeHolder: 'Task to duplicate' }))?.e;
    if (!t) return;
    if (t.format !== 'native') return void offerConvert(t, 'duplicate it');
    const parent = dirname(t.source);
    const id = (await askId(`Duplicate ${t.id}: id of the copy`, `${t.id}-copy`, parent))?.trim();
    if (!id) return;
    const dest = join(parent, id);
    try {
      const text = duplicateTaskYaml(await readFile(taskFileOf(t), 'utf8'), id);
      await cp(t.source, dest, { recursive: true, errorOnExist: true, force: false });
      await writeFile(join(dest, 'task.yaml'), text);
      log.info(`duplicated ${t.id} as ${id} in ${dest}`);
      await index.reload();
      await openTaskYaml(dest);
    } catch (e) {
      void vscode.window.showErrorMessage(`ClawGym: ${errorMessage(e)}`);
    }
  };

  const addCheck = async (arg?: unknown): Promise<void> => {
    let editor = vscode.window.activeTextEditor;
    const t = taskOf(arg);
    if (t) {
      if (t.format !== 'native') return void offerConvert(t, 'add checks to its task.yaml');
      editor = await vscode.window.showTextDocument(vscode.Uri.file(taskFileOf(t)));
    } else if (arg instanceof vscode.Uri) editor = await vscode.window.showTextDocument(arg);
    if (!editor || basename(editor.document.fileName) !== 'task.yaml') {
      void vscode.window.showInformationMessage('ClawGym: Add Check works in a task.yaml editor (or on a task in the Tasks view).');
      return;
    }
    const pick = await vscode.window.showQuickPick(
      loadSnippets().map((s) => ({ label: s.type, description: s.name.replace(/^Check: /, ''), detail: s.description, s })),
      { placeHolder: 'Check to add to verify.checks', matchOnDetail: true },
    );
    if (!pick) return;
    const doc = editor.document;
    const ins = checkInsertion(doc.getText());
    const snippet = new vscode.SnippetString(insertionSnippet(ins, pick.s.body));
    const at = ins.line >= doc.lineCount ? new vscode.Position(doc.lineCount, 0) : new vscode.Position(ins.line, 0);
    // A document without a final newline gets one before the check.
    if (ins.line >= doc.lineCount && doc.lineAt(doc.lineCount - 1).text !== '') {
      await editor.edit((e) => e.insert(doc.lineAt(doc.lineCount - 1).range.end, '\n'));
    }
    const range = ins.replaceLine ? doc.lineAt(ins.line).rangeIncludingLineBreak : new vscode.Range(at, at);
    await editor.insertSnippet(snippet, range, { keepWhitespace: true, undoStopBefore: true, undoStopAfter: true });
  };

  /** Convert a task of another format into a native one beside its pool; open the result. */
  const convert = async (t: TaskEntry): Promise<string | undefined> => {
    const out = `${dirname(t.source)}-native`;
    const dest = join(out, t.id);
    if (existsSync(dest)) {
      const c = await vscode.window.showWarningMessage(`${relative(baseFolder(), dest)} already exists.`, { modal: true }, 'Open It');
      if (c) await openTaskYaml(dest);
      return c ? dest : undefined;
    }
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ClawGym: converting ${t.id} to a native task…` }, () => runCli(convertArgv(d.cli(), t.source, out), {}));
    if (r.code !== 0 || !existsSync(join(dest, 'task.yaml'))) {
      log.error(`convert ${t.source}: exit ${r.code}: ${r.stderr.trim()}`);
      void vscode.window.showErrorMessage(`ClawGym: converting ${t.id} failed: ${r.stderr.trim().split('\n').at(-1) ?? `exit ${r.code}`}`);
      return undefined;
    }
    log.info(`converted ${t.id} (${t.format}) into ${dest}`);
    await index.reload();
    await openTaskYaml(dest);
    void vscode.window.showInformationMessage(`ClawGym: ${t.id} is now also a native task in ${relative(baseFolder(), dest)}; review and edit it there.`);
    return dest;
  };

  const offerConvert = (t: TaskEntry, why: string) => offerNativeConversion(t, `its format has no task.yaml to ${why}`);

  // Add Check as a code action wherever the cursor is in task.yaml (the lightbulb's "More Actions…").
  const actions: vscode.CodeActionProvider = {
    provideCodeActions(document) {
      if (basename(document.fileName) !== 'task.yaml') return [];
      const a = new vscode.CodeAction('Add a check to verify.checks…', vscode.CodeActionKind.Refactor.append('clawgym.addCheck'));
      a.command = { command: 'clawgym.addCheck', title: 'Add Check', arguments: [document.uri] };
      return [a];
    },
  };

  const reg = vscode.commands.registerCommand;
  return [
    reg('clawgym.newTask', newTask),
    reg('clawgym.duplicateTask', duplicateTask),
    reg('clawgym.addCheck', addCheck),
    reg('clawgym.convertToNative', async (node?: unknown) => {
      const t = taskOf(node) ?? (await vscode.window.showQuickPick(index.entries().filter((e) => e.format !== 'native').map((e) => ({ label: e.id, description: `${e.format} · ${e.title}`, e })), { placeHolder: 'Task to convert to the native format' }))?.e;
      if (t) await convert(t);
    }),
    vscode.languages.registerCodeActionsProvider({ language: 'clawgym-task' }, actions, { providedCodeActionKinds: [vscode.CodeActionKind.Refactor] }),
  ];
}

/**
 * A task in another format (ClawGym's data_entry.json, Harbor, PinchBench) asked for something only
 * a task.yaml holds: say so and offer `clawgym convert --to native` (the copy goes beside its pool).
 */
export async function offerNativeConversion(t: TaskEntry, reason: string): Promise<boolean> {
  const c = await vscode.window.showInformationMessage(
    `ClawGym: ${t.id} is a ${t.format} task (${basename(taskFileOf(t))}); ${reason}. Convert it to a native task (clawgym convert --to native) beside its pool?`,
    { modal: true },
    'Convert to Native',
  );
  if (!c) return false;
  await vscode.commands.executeCommand('clawgym.convertToNative', { kind: 'task', task: t });
  return true;
}
