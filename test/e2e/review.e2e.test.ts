/**
 * Task Review in a real VS Code (code-server + headless Chromium), driven as a reviewer would:
 * ClawGym: Review Tasks opens the first task of the queue; the panel shows the task; Run oracle
 * and Run nop run in the terminal and fill the side-by-side results; Accept with a note writes
 * the review block into task.yaml and nothing else; j / Previous move in the queue; a task.yaml
 * changed on disk is announced, a decision on it refused, and Reload clears it.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Locator } from 'playwright-core';
import { parse } from 'yaml';
import { ROOT } from '../helpers.ts';
import { listFiles } from './files.ts';
import { checkCount, makeTestWorkspace, XSS_TASK, type TestWorkspace } from './fixture.ts';
import { keepForReadme, startHarness, type Harness } from './harness.ts';
import { waitFor } from './workbench.ts';

/** Two examples put back to review (status pending) in the test folder. */
const PENDING = ['survey-nps-ranking', 'notes-todo-rollup'];
/**
 * The queue under the default filter "all": pending first (xss-probe has no review block, so it is
 * pending too), each status in the Tasks view's order — category, then id: Analysis & Reasoning
 * (survey-nps-ranking), Harness Probes (xss-probe), Planning & Knowledge (notes-todo-rollup).
 */
const QUEUE_HEAD = ['survey-nps-ranking', XSS_TASK, 'notes-todo-rollup'];
const REVIEW_TASK = QUEUE_HEAD[0]!;
const NOTE = 'Oracle 1, nop 0. Wording is clear — keeps <b>markup</b> & "quotes" as text.';
const SECOND_NOTE = 'On second thought: the instruction should name the output file.';
const README_SCREENSHOT = join(ROOT, 'media', 'screenshots', 'review.png');

let ws: TestWorkspace;
let h: Harness;

/** task.yaml without its top-level review block (the lines from `review:` to the next top-level key). */
function withoutReview(text: string): string {
  return text.replace(/^review:\n(?:[ \t]+.*\n|\n)*/m, '');
}

const taskFile = (id: string) => join(ws.tasksDir, id, 'task.yaml');

async function textOf(loc: Locator): Promise<string> {
  return ((await loc.first().textContent({ timeout: 5_000 })) ?? '').trim();
}

async function waitForText(what: string, loc: Locator, want: (t: string) => boolean, timeoutMs = 30_000): Promise<string> {
  let last = '';
  return waitFor(what, async () => {
    last = await textOf(loc).catch(() => '');
    return want(last) ? last : undefined;
  }, timeoutMs).catch((e: Error) => {
    throw new Error(`${e.message}; it shows "${last}"`);
  });
}

/** The Review webview showing `id` (its #task-id), once the panel's tab is there. */
async function reviewView(id: string): Promise<FrameLocator> {
  await h.wb.editorTab(`Review: ${id}`).waitFor({ timeout: 60_000 });
  return h.wb.webviewWith('#task-id', id);
}

describe('Task Review panel in VS Code (code-server)', { concurrency: 1 }, () => {
  before(async () => {
    ws = makeTestWorkspace();
    for (const id of PENDING) {
      const f = taskFile(id);
      const text = readFileSync(f, 'utf8');
      assert.match(text, /^review:\n {2}status: accepted\n/m, `${id} ships accepted`);
      writeFileSync(f, text.replace(/^review:\n {2}status: accepted\n/m, 'review:\n  status: pending\n'));
    }
    h = await startHarness({ folder: ws.folder });
  });

  after(async () => {
    await h?.stop();
    if (ws) rmSync(ws.folder, { recursive: true, force: true });
  });

  it('Review Tasks opens the first task of the queue with its instruction, workspace, checks and queue place', async () => {
    await h.step('open-review', async () => {
      await h.wb.openViewContainer('ClawGym');
      await h.wb.viewPane('Tasks');
      await h.wb.runCommand('ClawGym: Review Tasks');
      const view = await reviewView(REVIEW_TASK);
      const spec = parse(readFileSync(taskFile(REVIEW_TASK), 'utf8')) as { instruction: string; title: string };
      assert.equal(await view.locator('#instruction').textContent(), spec.instruction, 'the instruction, verbatim');
      assert.equal(await textOf(view.locator('#task-title')), spec.title);
      assert.equal(await textOf(view.locator('#review-status')), 'pending');
      assert.equal(await view.locator('#checks tr.check').count(), checkCount(join(ws.tasksDir, REVIEW_TASK)), 'one row per check');
      const files = listFiles(join(ws.tasksDir, REVIEW_TASK, 'workspace'));
      const shown = await view.locator('#workspace .ws-file').evaluateAll((els) => els.map((e) => e.getAttribute('data-file')));
      assert.deepEqual([...shown].sort(), files, 'the workspace tree lists the workspace files');
      assert.match(await textOf(view.locator('#queue-position')), new RegExp(`^1 of ${ws.exampleIds.length + 1} · review filter: all$`));
      // No run yet: the three result columns say so.
      assert.deepEqual(await view.locator('#results th.result-head').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))), ['oracle', 'nop', 'model']);
      assert.equal(await view.locator('#results th.result-head').filter({ hasText: 'no run yet' }).count(), 3);
    });
  });

  it('Run oracle and Run nop run in the terminal and fill the side-by-side results', async () => {
    await h.step('run-sanity-agents', async () => {
      let view = await reviewView(REVIEW_TASK);
      await view.locator('#run-oracle').click();
      await h.wb.waitForTerminal(`ClawGym: ${REVIEW_TASK}`);
      view = await reviewView(REVIEW_TASK);
      await waitForText('the oracle column to show reward 1.00', view.locator('#results th.result-head[data-kind="oracle"] .reward'), (t) => t === '1.00', 120_000);
      await waitFor('Run nop to be enabled again', async () => ((await view.locator('#run-nop').getAttribute('disabled')) === null ? true : undefined), 30_000);
      await view.locator('#run-nop').click();
      await waitForText('the nop column to show reward 0.00', view.locator('#results th.result-head[data-kind="nop"] .reward'), (t) => t === '0.00', 120_000);
      // Per-check scores side by side: every check 1.00 under the oracle, 0.00 under nop.
      const cells = await view.locator('#results tr.result-row').evaluateAll((rows) =>
        rows.map((r) => ({
          id: r.getAttribute('data-check-id'),
          oracle: r.querySelector('td[data-kind="oracle"]')?.textContent,
          nop: r.querySelector('td[data-kind="nop"]')?.textContent,
          model: r.querySelector('td[data-kind="model"]')?.textContent,
        })),
      );
      assert.equal(cells.length, checkCount(join(ws.tasksDir, REVIEW_TASK)));
      for (const c of cells) assert.deepEqual([c.oracle, c.model], ['1.00', '—'], `check ${c.id}`);
      assert.ok(cells.some((c) => c.nop === '0.00'), 'nop fails at least one check');
    });
  });

  it('Accept with a note writes the review block into task.yaml and nothing else', async () => {
    await h.step('accept', async () => {
      const before = readFileSync(taskFile(REVIEW_TASK), 'utf8');
      const view = await reviewView(REVIEW_TASK);
      await view.locator('#note textarea').fill(NOTE);
      await view.locator('#accept').click();
      await waitForText('the status badge to say accepted', view.locator('#review-status'), (t) => t === 'accepted');
      await waitForText('the saved notice', view.locator('#notice'), (t) => t.includes('accepted with a note'));
      const afterText = readFileSync(taskFile(REVIEW_TASK), 'utf8');
      const review = (parse(afterText) as { review?: Record<string, unknown> }).review;
      assert.equal(review?.status, 'accepted');
      assert.equal(review?.notes, NOTE);
      assert.equal(typeof review?.reviewer, 'string');
      assert.ok(!Number.isNaN(Date.parse(String(review?.updated))), 'review.updated is a timestamp');
      assert.equal(withoutReview(afterText), withoutReview(before), 'everything outside the review block is unchanged, byte for byte');
      assert.notEqual(withoutReview(before), before, 'the comparison removed a block (the test is not vacuous)');
      assert.equal(await view.locator('b').count(), 0, 'the note is shown as text, never as markup');
      assert.match(await textOf(view.locator('#review-last')), /^last: accepted by /);

      // The README picture: the panel with results, beside the ClawGym views.
      for (const title of ['View: Hide Panel', 'View: Close Panel']) {
        if (await h.wb.hasCommand(title)) {
          await h.wb.runCommand(title);
          break;
        }
      }
      await h.page.mouse.move(5, 500);
      const shot = await h.wb.screenshot('review');
      keepForReadme(shot, README_SCREENSHOT);
    });
  });

  it('j moves to the next task in the queue, Previous back; the saved note is shown again', async () => {
    await h.step('next-previous', async () => {
      let view = await reviewView(REVIEW_TASK);
      await view.locator('h1').click(); // focus the webview outside the note, where keys are shortcuts
      await h.page.keyboard.press('j');
      view = await reviewView(QUEUE_HEAD[1]!);
      assert.match(await textOf(view.locator('#queue-position')), /^2 of /);
      assert.equal(await textOf(view.locator('#review-status')), 'pending');
      await h.wb.editorTab(`Review: ${REVIEW_TASK}`).waitFor({ state: 'detached' }); // the same panel moved on
      await view.locator('#next').click();
      view = await reviewView(QUEUE_HEAD[2]!);
      assert.match(await textOf(view.locator('#queue-position')), /^3 of /);
      await view.locator('#prev').click();
      view = await reviewView(QUEUE_HEAD[1]!);
      await view.locator('#prev').click();
      view = await reviewView(REVIEW_TASK);
      // The accepted task keeps its place (statuses are pinned for the session).
      assert.match(await textOf(view.locator('#queue-position')), /^1 of /);
      assert.equal(await textOf(view.locator('#review-status')), 'accepted');
      assert.equal(await view.locator('#note textarea').inputValue(), NOTE);
    });
  });

  it('a task.yaml changed on disk is announced, a decision on it refused, and Reload clears it', async () => {
    await h.step('stale', async () => {
      const view = await reviewView(REVIEW_TASK);
      appendFileSync(taskFile(REVIEW_TASK), '# edited in another editor\n');
      const edited = readFileSync(taskFile(REVIEW_TASK), 'utf8');
      await waitForText('the changed-on-disk banner', view.locator('#stale'), (t) => t.includes('changed on disk'));
      await view.locator('#note textarea').fill(SECOND_NOTE);
      await view.locator('#reject').click();
      await waitForText('the refusal', view.locator('#notice'), (t) => t.includes('not saved'));
      assert.equal(readFileSync(taskFile(REVIEW_TASK), 'utf8'), edited, 'the file on disk is left as the other editor wrote it');
      await h.wb.screenshot('review-stale');
      await view.locator('#reload').click();
      await waitFor('the banner to go', async () => ((await view.locator('#stale').count()) === 0 ? true : undefined), 15_000);
      // Now a decision goes through, on top of the other editor's change; the note typed before
      // the reload is still there.
      assert.equal(await view.locator('#note textarea').inputValue(), SECOND_NOTE);
      await view.locator('#needs-edit').click();
      await waitForText('the status badge to say needs edit', view.locator('#review-status'), (t) => t === 'needs edit');
      const text = readFileSync(taskFile(REVIEW_TASK), 'utf8');
      assert.ok(text.includes('# edited in another editor'), 'the other change is kept');
      const review = (parse(text) as { review?: Record<string, unknown> }).review;
      assert.deepEqual([review?.status, review?.notes], ['needs_edit', SECOND_NOTE]);
    });
  });
});
