/**
 * The extension in a real VS Code (code-server + headless Chromium), driven as a user would:
 * the Tasks view, the Test Explorer, Run Agent on Task with the Verification view, Open Task
 * Workspace, and escaping of markup in check text. Steps run in order in one workbench.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { parse } from 'yaml';
import { ROOT } from '../helpers.ts';
import { diffFolders } from './files.ts';
import { checkCount, makeTestWorkspace, XSS_TASK, XSS_TEXT, type TestWorkspace } from './fixture.ts';
import { ARTIFACTS, keepForReadme, startHarness, VSIX, type Harness } from './harness.ts';
import { activationMs } from './logs.ts';
import { waitFor } from './workbench.ts';

/** Small, fast, sound examples (oracle 1.0, no rubric, no hidden tests). */
const TEST_EXPLORER_TASK = 'survey-nps-ranking';
const RUN_AGENT_TASK = 'notes-todo-rollup';
const WORKSPACE_TASK = 'notes-todo-rollup';
const README_SCREENSHOT = join(ROOT, 'media', 'screenshots', 'extension.png');
/** The commands the palette must offer, by exact title. */
const COMMANDS = [
  'Open Task Workspace',
  'Run Agent on Task',
  'Verify This Folder',
  'Refresh Tasks',
  'Show Output',
  'Set API Key',
  'Accept Task',
  'Reject Task',
  'Filter by Review Status',
  'Open Run Report',
].map((t) => `ClawGym: ${t}`);
/** The parts of a check in the Verification view, each one element inside its `.check`. */
const CHECK_PARTS = ['.check-id', '.check-score', '.check-message', '.check-expected', '.check-actual'];

let ws: TestWorkspace;
let h: Harness;

/** Run one task with the default Run profile (the row's "Run Test" action) and wait for its final state. */
async function runFromTestExplorer(explorer: Locator, taskId: string, expected: 'Passed' | 'Failed'): Promise<void> {
  const row = await h.wb.treeRow(explorer, taskId, true);
  await row.hover();
  await row.locator('.action-label[aria-label="Run Test"]').click();
  // The row's accessible name ("… (Passed)") and its state icon both carry the result once the
  // run is over; the row is found again each time, since its text changes (a duration appears).
  const icon = `codicon-testing-${expected.toLowerCase()}-icon`;
  let last = '';
  await waitFor(`${taskId} to be marked ${expected} in the Test Explorer`, async () => {
    const r = await h.wb.treeRow(explorer, taskId, true);
    last = (await r.getAttribute('aria-label', { timeout: 2_000 })) ?? '';
    const cls = (await r.locator('.computed-state').getAttribute('class', { timeout: 2_000 })) ?? '';
    return last.includes(`(${expected})`) && cls.includes(icon) ? true : undefined;
  }, 90_000).catch((e: Error) => {
    throw new Error(`${e.message}; the row says "${last}"`);
  });
}

/** Wait until `loc`'s text is `text`, saying what it was when it never became so. */
async function waitForText(loc: Locator, text: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(`text "${text}"`, async () => ((await loc.textContent())?.trim() === text ? true : undefined), timeoutMs).catch(async (e: Error) => {
    throw new Error(`${e.message}; it is "${await loc.textContent().catch(() => '?')}"`);
  });
}

/** The id of the run folder under runs/ holding a trial of `taskId` (the tests run each task by hand once). */
function runOf(taskId: string): string {
  const runsDir = join(ws.folder, 'runs');
  const runs = existsSync(runsDir) ? readdirSync(runsDir).filter((r) => existsSync(join(runsDir, r, 'trials', taskId))) : [];
  assert.equal(runs.length, 1, `one run of ${taskId} under ${runsDir}: ${runs.join(', ')}`);
  return runs[0]!;
}

describe('ClawGym extension in VS Code (code-server)', { concurrency: 1 }, () => {
  before(async () => {
    ws = makeTestWorkspace();
    h = await startHarness({ folder: ws.folder });
  });

  after(async () => {
    await h?.stop();
    if (ws) rmSync(ws.folder, { recursive: true, force: true });
  });

  it('(a) the Tasks view lists the bundled examples and the extra task, by title', async () => {
    await h.step('tasks-view', async () => {
      await h.wb.openViewContainer('ClawGym');
      for (const view of ['Bench', 'Runs']) await h.wb.viewPane(view);
      const tasks = await h.wb.viewPane('Tasks');
      // Rows are labelled with the task's title (its id is in the description).
      const wanted = [...ws.exampleIds, XSS_TASK].map((id) => (parse(readFileSync(join(ws.tasksDir, id, 'task.yaml'), 'utf8')) as { title: string }).title);
      // No row is expanded by hand: pools and categories start expanded.
      const seen = await h.wb.treeLabels(tasks, (s) => wanted.every((t) => s.has(t)));
      assert.deepEqual(wanted.filter((t) => !seen.has(t)), [], `task titles missing from the Tasks view; seen: ${[...seen.keys()].join(', ')}`);
      assert.ok(seen.has('tasks'), 'the pool (task root folder "tasks") is a row');
      assert.ok(seen.has('Harness Probes'), "xss-probe's category is a row");
      await h.wb.screenshot('a-tasks-view');
    });
  });

  it('the command palette offers the ClawGym commands', async () => {
    await h.step('palette', async () => {
      const missing: string[] = [];
      for (const title of COMMANDS) if (!(await h.wb.hasCommand(title))) missing.push(title);
      assert.deepEqual(missing, [], 'commands missing from the palette');
    });
  });

  it('(b) the Test Explorer runs the oracle on an example and marks it passed', async () => {
    await h.step('test-explorer', async () => {
      await h.wb.openViewContainer('Testing');
      const explorer = await h.wb.viewPane('Test Explorer');
      await runFromTestExplorer(explorer, TEST_EXPLORER_TASK, 'Passed');
      await h.wb.screenshot('b-test-explorer-passed');
      // A failing task: failed, with its failing check among the test messages (Test Results).
      await runFromTestExplorer(explorer, XSS_TASK, 'Failed');
      await h.wb.runCommand('Test Results: Focus on Test Results View');
      await h.page.locator('.part.panel .monaco-list-row').filter({ hasText: 'markup_text' }).first().waitFor({ timeout: 30_000 });
      await h.wb.screenshot('b-test-explorer-failed');
    });
  });

  it('(c) Run Agent on Task runs the oracle in a terminal and opens the Verification view', async () => {
    await h.step('run-agent', async () => {
      await h.wb.runCommand('ClawGym: Run Agent on Task');
      await h.wb.pickQuickItem(RUN_AGENT_TASK);
      await h.wb.pickQuickItem('oracle');
      await h.wb.waitForTerminal(`ClawGym: ${RUN_AGENT_TASK}`);
      await h.wb.editorTab(`Verification: ${RUN_AGENT_TASK}`).waitFor({ timeout: 90_000 });
      const view = await h.wb.webviewWith('#task-id', RUN_AGENT_TASK);
      await waitForText(view.locator('#status'), 'passed');
      const score = (await view.locator('#score').textContent())?.trim();
      assert.equal(score, '1.00');
      const expected = checkCount(join(ws.tasksDir, RUN_AGENT_TASK));
      assert.equal(await view.locator('.check').count(), expected, `one .check per check in ${RUN_AGENT_TASK}/task.yaml`);
      const checks = await view.locator('.check').evaluateAll((els, parts) =>
        els.map((e) => ({
          id: e.getAttribute('data-check-id'),
          parts: Object.fromEntries(parts.map((p) => [p, e.querySelectorAll(p).length])),
          text: e.querySelector('.check-id')?.textContent,
          score: e.querySelector('.check-score')?.textContent?.trim(),
        })), CHECK_PARTS);
      for (const c of checks) {
        assert.deepEqual(c.parts, Object.fromEntries(CHECK_PARTS.map((p) => [p, 1])), `the parts of check ${c.id}`);
        assert.equal(c.text, c.id, 'data-check-id is the .check-id text');
        assert.equal(Number(c.score), 1, `check ${c.id} scores 1 under the oracle`);
      }
      await h.wb.screenshot('c-verification');

      // The run is on disk under runs/, and the Runs view lists it with the trial and its reward.
      const runId = runOf(RUN_AGENT_TASK);
      await h.wb.openViewContainer('ClawGym');
      await h.wb.collapsePane(await h.wb.viewPane('Bench'));
      const runsPane = await h.wb.viewPane('Runs');
      await h.wb.expandRow(await h.wb.treeRow(runsPane, runId));
      const trial = await h.wb.treeRow(runsPane, RUN_AGENT_TASK);
      assert.ok((await h.wb.rowDescription(trial)).startsWith(score), `the trial's description shows the reward ${score}`);

      // Clicking the trial opens its Verification view again.
      await h.wb.runCommand('View: Close All Editors');
      await h.wb.editorTab(`Verification: ${RUN_AGENT_TASK}`).waitFor({ state: 'detached' });
      await trial.click();
      await h.wb.editorTab(`Verification: ${RUN_AGENT_TASK}`).waitFor();
      await waitForText((await h.wb.webviewWith('#task-id', RUN_AGENT_TASK)).locator('#status'), 'passed');

      // The README picture: the Verification view next to the ClawGym tree.
      await h.wb.scrollTreeToTop(await h.wb.viewPane('Tasks'));
      // Wider side bar (it has the focus now), so that rows show their descriptions.
      for (let i = 0; i < 3; i++) await h.wb.runCommand('Increase Current View Size');
      await h.page.mouse.move(800, 500); // no hover highlight in the picture
      const shot = await h.wb.screenshot('c-verification-with-tree');
      keepForReadme(shot, README_SCREENSHOT);
    });
  });

  it('(d) Open Task Workspace materializes the task workspace as a real folder and shows it', async () => {
    const loads = h.navigations.length;
    try {
      await h.step('open-workspace', async () => {
        const target = join(ws.folder, '.clawgym', 'workspaces', WORKSPACE_TASK);
        const source = join(ws.tasksDir, WORKSPACE_TASK, 'workspace');
        await h.wb.runCommand('ClawGym: Open Task Workspace');
        await h.wb.pickQuickItem(WORKSPACE_TASK);
        // Written by the extension host; equal once every file is there.
        const diff = await waitFor(`${target} to hold the task's workspace files`, async () => {
          if (!existsSync(target)) return undefined;
          return diffFolders(source, target).length === 0 ? [] : undefined;
        }, 30_000).catch(() => (existsSync(target) ? diffFolders(source, target) : [`${target} does not exist`]));
        assert.deepEqual(diff, [], `the materialized folder differs from ${source}`);

        // In VS Code for the Web a single-folder window is not turned into an untitled workspace
        // (the page reload can lose it): the folder, inside this one, is revealed in the Explorer.
        await waitFor('the materialized folder revealed in the Explorer', async () => {
          // Compact folders render a chain (.clawgym/workspaces/<task>/notes) as one row of segments.
          const rows = await h.page.locator('.part.sidebar .explorer-folders-view .monaco-list-row').allTextContents();
          return rows.some((r) => r.split('/').map((x) => x.trim()).includes(WORKSPACE_TASK)) ? true : undefined;
        }, 30_000);
        const reloaded = await waitFor('a reload', async () => (h.navigations.length > loads ? true : undefined), 3_000).catch(() => false);
        assert.equal(reloaded, false, `the window reloaded into ${h.navigations.slice(loads).join(', ')}`);
        await h.wb.screenshot('d-task-workspace');
      });
    } finally {
      // Later steps need the test folder open, whatever happened here.
      if (h.navigations.length > loads) await h.reopenFolder();
    }
  });

  it('(e) markup in a check message is shown as text in the Verification view', async () => {
    await h.step('xss-probe', async () => {
      const dialogsBefore = h.dialogs.length;
      await h.wb.runCommand('ClawGym: Run Agent on Task');
      await h.wb.pickQuickItem(XSS_TASK);
      await h.wb.pickQuickItem('oracle');
      await h.wb.waitForTerminal(`ClawGym: ${XSS_TASK}`);
      const view = await h.wb.webviewWith('#task-id', XSS_TASK, 90_000);
      await waitForText(view.locator('#status'), 'failed');
      const texts = await view.locator('.check .check-message, .check .check-expected').allTextContents();
      assert.ok(texts.some((t) => t.includes(XSS_TEXT)), `the markup appears literally; texts: ${JSON.stringify(texts)}`);
      assert.equal(await view.locator('img').count(), 0, 'no <img> element in the Verification view');
      await h.wb.screenshot('e-xss-probe');
      assert.deepEqual(h.dialogs.slice(dialogsBefore), [], 'no dialog opened');
    });
  });

  it('logs its activation time; metrics are written', async () => {
    await h.step('metrics', async () => {
      const ms = await waitFor('"activated in <N> ms" in the ClawGym log', async () => activationMs(h.log()), 10_000);
      assert.ok(Number.isFinite(ms) && ms >= 0);
      // Merged into what other suites recorded (the trajectory debugger's first render).
      const file = join(ARTIFACTS, 'e2e-metrics.json');
      const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
      const metrics = { ...earlier, activation_ms: ms, vsix_bytes: statSync(VSIX).size, measured_at: new Date().toISOString() };
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(file, JSON.stringify(metrics, null, 2) + '\n');
    });
  });
});
