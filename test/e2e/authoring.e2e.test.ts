/**
 * A task author's day in a real VS Code (code-server + headless Chromium): first contact (titles,
 * difficulty in words, view welcome content), a task broken while editing stays as an error node
 * and comes back when fixed, sound / unsound states from oracle and nop (a nop scoring 0 stays
 * green), the Verification view following a run made elsewhere, run ids that agree everywhere, a
 * new task from a template that passes `clawgym validate`, and the confirm before accepting a task
 * never run. Steps run in order in one workbench.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { parse } from 'yaml';
import { ROOT } from '../helpers.ts';
import { makeTestWorkspace, type TestWorkspace } from './fixture.ts';
import { keepForReadme, startHarness, type Harness } from './harness.ts';
import { waitFor } from './workbench.ts';

const CLI = join(ROOT, 'dist', 'cli.cjs');
/** Broken and fixed again while the Tasks view and the Test Explorer watch. */
const BROKEN = 'fix-invoice-rounding';
/** Run with oracle and nop: sound. */
const SOUND = 'survey-nps-ranking';
/** Run in the terminal, then again from outside the editor: the Verification view follows. */
const FOLLOW = 'notes-todo-rollup';
const NEW_ID = 'weekly-sales-report';
const NEW_TITLE = 'Total the weekly sales into a JSON report';
const README_SCREENSHOT = join(ROOT, 'media', 'screenshots', 'authoring.png');

let ws: TestWorkspace;
let h: Harness;

const taskYaml = (id: string) => join(ws.tasksDir, id, 'task.yaml');
const titleOf = (id: string) => (parse(readFileSync(taskYaml(id), 'utf8')) as { title: string }).title;

async function waitForDescription(pane: Locator, label: string, want: (d: string) => boolean, what: string, timeoutMs = 60_000): Promise<string> {
  let last = '';
  return waitFor(what, async () => {
    await h.wb.scrollTreeToTop(pane); // the tree is virtualized and may be scrolled past the row
    const row = await h.wb.treeRow(pane, label, true);
    last = await h.wb.rowDescription(row);
    return want(last) ? last : undefined;
  }, timeoutMs).catch((e: Error) => {
    throw new Error(`${e.message}; the row of "${label}" says "${last}"`);
  });
}

/** Type into the open input box and accept it. */
async function answerInput(value: string): Promise<void> {
  const box = h.page.locator('.quick-input-widget .quick-input-box input');
  await box.waitFor({ state: 'visible', timeout: 30_000 });
  await box.fill(value);
  await h.page.keyboard.press('Enter');
}

/** The terminal's rows (the DOM renderer: terminal.integrated.gpuAcceleration is off). */
async function terminalRows(): Promise<string[]> {
  return h.page.locator('.part.panel .xterm-rows > div').allTextContents();
}

function runFolders(): string[] {
  const dir = join(ws.folder, 'runs');
  return existsSync(dir) ? readdirSync(dir).filter((r) => existsSync(join(dir, r, 'run.json'))) : [];
}

describe('A task author in VS Code (code-server)', { concurrency: 1 }, () => {
  before(async () => {
    ws = makeTestWorkspace();
    // Terminal text in the DOM (the run id the CLI prints is read from it).
    const settingsFile = join(ws.folder, '.vscode', 'settings.json');
    const s = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(settingsFile, JSON.stringify({ ...s, 'terminal.integrated.gpuAcceleration': 'off' }, null, 2) + '\n');
    h = await startHarness({ folder: ws.folder });
  });

  after(async () => {
    await h?.stop();
    if (ws) rmSync(ws.folder, { recursive: true, force: true });
  });

  it('first contact: rows show titles, the id and the difficulty in words; the empty Runs view says what to do', async () => {
    await h.step('first-contact', async () => {
      await h.wb.openViewContainer('ClawGym');
      const runs = await h.wb.viewPane('Runs');
      await waitFor('the Runs view welcome text', async () => ((await runs.locator('.welcome-view-content').innerText().catch(() => '')).includes('No runs yet') ? true : undefined), 30_000);
      assert.ok(await runs.locator('.welcome-view-content .monaco-button').filter({ hasText: 'Run Agent on Task' }).count(), 'the welcome offers Run Agent on Task');
      await h.wb.collapsePane(await h.wb.viewPane('Bench'));
      const tasks = await h.wb.viewPane('Tasks');
      const desc = await waitForDescription(tasks, titleOf(SOUND), (d) => d.length > 0, `the row titled "${titleOf(SOUND)}"`);
      assert.equal(desc, `${SOUND} · easy · accepted`, 'the description: id, difficulty in words, review status');
      assert.doesNotMatch(desc, /\bd\d\b/, 'no bare "d2"');
    });
  });

  it('a task broken while editing stays as an error node with its problems, and comes back when fixed', async () => {
    await h.step('broken-task', async () => {
      const file = taskYaml(BROKEN);
      const good = readFileSync(file, 'utf8');
      const lines = good.split('\n');
      const at = lines.findIndex((l) => /^\s+type: [a-z_]+$/.test(l));
      assert.ok(at > 0, 'a check type line to break');
      const column = lines[at]!.indexOf('type:') + 'type: '.length + 1;
      lines[at] = lines[at]!.replace(/type: [a-z_]+$/, 'type: json_path2');
      writeFileSync(file, lines.join('\n'));
      const title = titleOf(BROKEN);
      const tasks = await h.wb.viewPane('Tasks');
      await waitForDescription(tasks, title, (d) => d === `${BROKEN} · 1 problem`, 'the broken task as an error node');
      const problem = `${at + 1}:${column} verify.checks`;
      let rows: string[] = [];
      const label = await waitFor(`a child row "${problem}…"`, async () => {
        await h.wb.scrollTreeToTop(tasks);
        rows = [...(await h.wb.treeLabels(tasks, (s) => [...s.keys()].some((k) => k.startsWith(problem)), true)).keys()];
        return rows.find((k) => k.startsWith(problem));
      }, 30_000).catch((e: Error) => {
        throw new Error(`${e.message}; rows: ${rows.join(' | ')}`);
      });
      // The Test Explorer keeps it too, with its error.
      await h.wb.openViewContainer('Testing');
      const explorer = await h.wb.viewPane('Test Explorer');
      await waitForDescription(explorer, BROKEN, (d) => d.includes('1 problem'), 'the broken task in the Test Explorer');
      await h.wb.screenshot('broken-test-explorer');
      // Clicking the problem opens task.yaml there.
      await h.wb.openViewContainer('ClawGym');
      await (await h.wb.treeRow(await h.wb.viewPane('Tasks'), label)).click();
      await h.wb.editorTab('task.yaml').waitFor({ timeout: 30_000 });
      await waitFor('the cursor on the problem line', async () => ((await h.page.locator('.statusbar-item[id="status.editor.selection"]').innerText().catch(() => '')).includes(`Ln ${at + 1}, Col ${column}`) ? true : undefined), 15_000);
      const shot = await h.wb.screenshot('broken-task');
      keepForReadme(shot, README_SCREENSHOT);
      // Fixed on disk: the same row is a normal task again.
      writeFileSync(file, good);
      await waitForDescription(await h.wb.viewPane('Tasks'), title, (d) => d === `${BROKEN} · medium · accepted`, 'the task back as a normal node');
      await h.wb.runCommand('View: Close All Editors');
    });
  });

  it('oracle then nop from the Test Explorer: both green, and the task is shown sound', async () => {
    await h.step('sound', async () => {
      await h.wb.openViewContainer('Testing');
      const explorer = await h.wb.viewPane('Test Explorer');
      const runWith = async (profile: 'Oracle' | 'Nop') => {
        const row = await h.wb.treeRow(explorer, SOUND, true);
        await row.click({ button: 'right' });
        await h.wb.clickMenuEntry(h.page.locator('.context-view .action-label', { hasText: /^Execute Using Profile/ }).first());
        await h.wb.pickQuickItem(profile);
      };
      const stateIs = async (state: 'Passed' | 'Failed') => {
        let last = '';
        await waitFor(`${SOUND} marked ${state}`, async () => {
          const r = await h.wb.treeRow(explorer, SOUND, true);
          last = (await r.getAttribute('aria-label', { timeout: 2_000 })) ?? '';
          return last.includes(`(${state})`) ? true : undefined;
        }, 120_000).catch((e: Error) => {
          throw new Error(`${e.message}; the row says "${last}"`);
        });
      };
      await runWith('Oracle');
      await stateIs('Passed');
      await waitForDescription(explorer, SOUND, (d) => d.startsWith('untested'), 'untested after the oracle alone');
      await runWith('Nop');
      // nop scores 0: that is its goal, so the item stays green.
      await waitFor('the nop run to be recorded', async () => (runFolders().some((r) => r.includes('-nop-')) ? true : undefined), 120_000);
      await stateIs('Passed');
      await waitForDescription(explorer, SOUND, (d) => d.startsWith('sound'), 'sound after oracle and nop');
      await h.wb.screenshot('sound-test-explorer');
      await h.wb.openViewContainer('ClawGym');
      await waitForDescription(await h.wb.viewPane('Tasks'), titleOf(SOUND), (d) => d.endsWith('· sound'), 'sound in the Tasks view');
    });
  });

  it('a terminal run: the id it prints, run.json, the folder, the Runs view and the Verification view agree', async () => {
    await h.step('run-ids', async () => {
      const before = new Set(runFolders());
      await h.wb.runCommand('ClawGym: Run Agent on Task');
      await h.wb.pickQuickItem(FOLLOW);
      await h.wb.pickQuickItem('oracle');
      await h.wb.waitForTerminal(`ClawGym: ${FOLLOW}`);
      const view = await h.wb.webviewWith('#task-id', FOLLOW, 120_000);
      const folder = runFolders().find((r) => !before.has(r));
      assert.ok(folder, 'a new run folder');
      const manifest = JSON.parse(readFileSync(join(ws.folder, 'runs', folder, 'run.json'), 'utf8')) as { run_id: string };
      assert.equal(manifest.run_id, folder, "run.json's run_id is the folder's name");
      const printed = await waitFor('the CLI to print the run id in the terminal', async () => (await terminalRows()).map((r) => /^run (\S+)$/.exec(r.trim())?.[1]).find(Boolean), 60_000);
      assert.equal(printed, folder, 'the id printed in the terminal');
      // The command line's --out (the terminal has scrolled past it by now: the log names it).
      assert.ok(h.log().includes(`run ${folder}: ${FOLLOW} with oracle in the terminal`), 'the run the extension started is the folder');
      const source = await waitFor('the Verification view to name the run', async () => {
        const t = (await view.locator('header p.muted').first().textContent().catch(() => '')) ?? '';
        return t.startsWith('run ') ? t : undefined;
      });
      assert.ok(source.startsWith(`run ${folder} ·`), `the Verification view says "${source}"`);
      await h.wb.openViewContainer('ClawGym');
      await h.wb.treeRow(await h.wb.viewPane('Runs'), folder);
    });
  });

  it('the Verification view follows a run made outside the editor; failing checks first, linked to task.yaml', async () => {
    await h.step('follow', async () => {
      let view = await h.wb.webviewWith('#task-id', FOLLOW);
      const out = join(ws.folder, 'runs', `outside-nop-${Date.now()}`);
      execFileSync(process.execPath, [CLI, 'run', join(ws.tasksDir, FOLLOW), '--agent', 'nop', '--out', out], { cwd: ws.folder, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
      view = await waitFor('the view to show the new run', async () => {
        const v = await h.wb.webviewWith('#task-id', FOLLOW);
        const t = (await v.locator('header p.muted').first().textContent().catch(() => '')) ?? '';
        return t.startsWith(`run ${basename(out)} ·`) ? v : undefined;
      }, 60_000);
      assert.equal((await view.locator('#status').textContent())?.trim(), 'failed');
      const states = await view.locator('.check').evaluateAll((els) => els.map((e) => (e.classList.contains('passed') ? 'passed' : 'not')));
      assert.deepEqual(states, [...states].sort((a, b) => (a === b ? 0 : a === 'not' ? -1 : 1)), 'failing checks come first');
      // Each check links to its line in task.yaml.
      const text = readFileSync(taskYaml(FOLLOW), 'utf8').split('\n');
      const links = await view.locator('.check').evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-check-id'), link: e.querySelector('.check-link')?.textContent ?? '' })));
      for (const l of links) {
        const n = Number(/^task\.yaml:(\d+)$/.exec(l.link)?.[1]);
        assert.ok(n > 0 && text[n - 1]!.includes(`id: ${l.id}`), `check ${l.id} links to its line (${l.link})`);
      }
      await view.locator('.check-link').first().click();
      await h.wb.editorTab('task.yaml').waitFor({ timeout: 30_000 });
      await h.wb.screenshot('verification-follows');
      await h.wb.runCommand('View: Close All Editors');
    });
  });

  it('New Task from Template writes a task that passes clawgym validate; accepting it unrun asks first', async () => {
    await h.step('new-task', async () => {
      await h.wb.runCommand('ClawGym: New Task from Template');
      await h.wb.pickQuickItem('Report as JSON from a CSV');
      await answerInput(NEW_ID);
      await answerInput(NEW_TITLE);
      const dir = join(ws.tasksDir, NEW_ID);
      await waitFor(`${dir}/task.yaml`, async () => (existsSync(join(dir, 'task.yaml')) ? true : undefined), 30_000);
      await h.wb.editorTab('task.yaml').waitFor({ timeout: 30_000 });
      const out = execFileSync(process.execPath, [CLI, 'validate', dir], { encoding: 'utf8' });
      assert.match(out, /^1 valid task\(s\), 0 with errors$/m);
      await h.page.locator('.notifications-toasts').filter({ hasText: 'clawgym validate: 1 valid task' }).first().waitFor({ timeout: 30_000 });
      await waitForDescription(await h.wb.viewPane('Tasks'), NEW_TITLE, (d) => d.startsWith(NEW_ID), 'the new task in the Tasks view');

      // Accept without any run: a modal says so; cancelling writes nothing.
      const before = readFileSync(join(dir, 'task.yaml'), 'utf8');
      await h.wb.runCommand('ClawGym: Accept Task');
      await h.wb.pickQuickItem(NEW_ID);
      const dialog = h.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 30_000 });
      assert.match(await dialog.innerText(), /never run/);
      await h.wb.screenshot('accept-unrun');
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal(readFileSync(join(dir, 'task.yaml'), 'utf8'), before, 'nothing written');
    });
  });
});
