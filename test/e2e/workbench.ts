/**
 * Driving the VS Code workbench in the page the way a user does: the command palette, quick
 * picks, activity-bar containers, tree views, editor tabs and webviews. Selectors are VS Code
 * 1.100's DOM; everything waits for a condition rather than sleeping.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** Poll `probe` until it returns a value that is not undefined, or fail after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message.split('\n')[0]})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A RegExp matching exactly `text`. */
export function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** What a tree row shows: its label, its description, and all the text of its label element. */
export interface RowText {
  label: string;
  description: string;
  /** The label element's whole text (the Test Explorer adds description and duration inside it). */
  text: string;
}

/**
 * The rendered rows of a tree: custom tree views and the Explorer use icon labels (label and
 * description apart); the Test Explorer has one element with the label text, then spans.
 */
function renderedRows(pane: Locator): Promise<RowText[]> {
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((r) => {
      const named = r.querySelector('.monaco-icon-label .label-name');
      if (named) {
        const label = named.textContent?.trim() ?? '';
        return { label, description: r.querySelector('.monaco-icon-label .label-description')?.textContent?.trim() ?? '', text: label };
      }
      const el = r.querySelector('.testing-stdtree-container > .label');
      const own = el ? Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('') : '';
      return { label: own.trim(), description: el?.querySelector('.test-label-description')?.textContent?.trim() ?? '', text: el?.textContent?.trim() ?? '' };
    }),
  );
}

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {}

  /** The workbench is interactive: activity bar and status bar are laid out. */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: timeoutMs });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: timeoutMs });
  }

  private get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  private get quickInputBox(): Locator {
    return this.quickInput.locator('.quick-input-box input');
  }

  /** Open the command palette (F1), closing any other picker first. */
  private async openPalette(): Promise<void> {
    await waitFor('the command palette to open', async () => {
      if (await this.quickInputBox.isVisible()) {
        if ((await this.quickInputBox.inputValue()).startsWith('>')) return true;
        await this.page.keyboard.press('Escape'); // another picker is open
      }
      await this.page.keyboard.press('F1');
      await this.quickInputBox.waitFor({ state: 'visible', timeout: 2_000 });
      return undefined;
    }, 15_000, 100);
  }

  /** The palette row of a command; rows are labelled with the full "Category: Title". */
  private commandRow(title: string): Locator {
    return this.quickInput.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exactly(title) }) }).first();
  }

  /** Run a command from the palette by its exact title, e.g. "ClawGym: Refresh Tasks". */
  async runCommand(title: string): Promise<void> {
    // The palette lists the commands known when it opened: reopen it until the command is there.
    await waitFor(`the command "${title}" in the palette`, async () => {
      await this.openPalette();
      await this.quickInputBox.fill(`>${title}`);
      if (await this.commandRow(title).waitFor({ timeout: 3_000 }).then(() => true, () => false)) return true;
      await this.page.keyboard.press('Escape');
      return undefined;
    }, 30_000, 100);
    await this.commandRow(title).click();
    await this.quickInputHidden(title);
  }

  /** Whether the palette offers a command titled exactly `title` (the palette is closed again). */
  async hasCommand(title: string): Promise<boolean> {
    await this.openPalette();
    await this.quickInputBox.fill(`>${title}`);
    const row = this.commandRow(title);
    const found = await row.waitFor({ timeout: 5_000 }).then(() => true, () => false);
    await this.page.keyboard.press('Escape');
    await this.quickInputBox.waitFor({ state: 'hidden' });
    return found;
  }

  /**
   * Run a context-menu entry. A click that lands while the menu is still animating in highlights
   * the entry without running it (the menu stays open): the highlighted entry then runs with
   * Enter, as a keyboard user would.
   */
  async clickMenuEntry(entry: Locator): Promise<void> {
    await entry.waitFor({ timeout: 15_000 });
    await entry.click();
    const menu = this.page.locator('.context-view .monaco-menu').first();
    const closed = await menu.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false);
    if (!closed) {
      await entry.hover();
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: 15_000 });
    }
  }

  /** Choose the quick-pick item whose label is exactly `label`, filtering the list by typing it. */
  async pickQuickItem(label: string, timeoutMs = 30_000): Promise<void> {
    await this.quickInputBox.waitFor({ state: 'visible', timeout: timeoutMs });
    const row = this.quickInput
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.monaco-icon-label-container .label-name', { hasText: exactly(label) }) })
      .first();
    // Filtering keeps the row rendered however long the list is (the list is virtualized).
    await this.quickInputBox.fill(label);
    await row.click({ timeout: timeoutMs });
    await this.quickInputHidden(label);
  }

  /** The accepted row is gone: the picker closed or was replaced by the next one. */
  private async quickInputHidden(label: string): Promise<void> {
    await waitFor(`the quick pick to close after choosing "${label}"`, async () => {
      if (!(await this.quickInput.isVisible())) return true;
      const labels = await this.quickInput.locator('.monaco-list-row .label-name').allTextContents();
      return labels.includes(label) ? undefined : true;
    }, 15_000, 100);
  }

  /** Open an activity-bar view container by its title ("ClawGym", "Testing", "Explorer"). */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page.locator('.part.activitybar li.action-item').filter({
      has: this.page.locator(`a.action-label[aria-label="${title}"], a.action-label[aria-label^="${title} ("]`),
    });
    await item.first().waitFor({ timeout: 30_000 });
    // Clicking the active container would collapse the side bar.
    if ((await item.first().getAttribute('aria-selected')) !== 'true') await item.first().click();
    await waitFor(`the "${title}" container to be shown`, async () =>
      (await item.first().getAttribute('aria-selected')) === 'true' ? true : undefined,
    );
  }

  /** A view pane in the side bar, by its name ("Tasks", "Runs", "Test Explorer"); expanded if collapsed. */
  async viewPane(name: string): Promise<Locator> {
    const pane = this.page.locator('.part.sidebar .pane').filter({
      has: this.page.locator('.pane-header').filter({ has: this.page.locator('h3.title', { hasText: exactly(name) }) }),
    });
    await pane.first().waitFor({ timeout: 30_000 });
    const header = pane.first().locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return pane.first();
  }

  /**
   * The rows of a tree by label, until `done` holds for the rows seen so far or the
   * whole tree was seen. The list is virtualized, so it is scrolled; with `expand`, collapsed rows
   * are expanded on the way (the Test Explorer starts collapsed below its roots).
   */
  async treeLabels(pane: Locator, done: (seen: ReadonlyMap<string, RowText>) => boolean = () => false, expand = false): Promise<Map<string, RowText>> {
    const seen = new Map<string, RowText>();
    const list = pane.locator('.monaco-list').first();
    // An empty tree is hidden behind a message ("No tests have been found…"): report that text.
    await list.waitFor({ timeout: 30_000 }).catch(async () => {
      const shown = (await pane.locator('.pane-body').first().innerText().catch(() => '')).trim();
      throw new Error(`the tree shows no rows${shown ? `, only: "${shown.replace(/\s+/g, ' ')}"` : ''}`);
    });
    let unchanged = 0;
    while (unchanged < 3) {
      const before = seen.size;
      for (const r of await renderedRows(pane)) seen.set(r.label, r);
      if (done(seen)) break;
      const collapsed = pane.locator('.monaco-list-row[aria-expanded="false"] .monaco-tl-twistie.collapsible');
      if (expand && (await collapsed.count()) > 0) {
        await collapsed.first().click();
        unchanged = 0;
        continue;
      }
      unchanged = seen.size === before ? unchanged + 1 : 0;
      await list.hover();
      await this.page.mouse.wheel(0, 200);
      await this.page.waitForTimeout(100); // let the list render the rows scrolled in
    }
    return seen;
  }

  /**
   * The tree row in `pane` labelled exactly `label`, scrolled (and with `expand`, expanded) into
   * view. The locator holds the row's text as it is now: resolve the row again after it changes
   * (a Test Explorer row gains its duration when a run ends).
   */
  async treeRow(pane: Locator, label: string, expand = false): Promise<Locator> {
    const seen = await this.treeLabels(pane, (s) => s.has(label), expand);
    const found = seen.get(label);
    if (!found) throw new Error(`no row labelled "${label}"; rows: ${[...seen.keys()].join(', ')}`);
    const labelled = this.page
      .locator('.monaco-icon-label .label-name', { hasText: exactly(label) })
      .or(this.page.locator('.testing-stdtree-container > .label', { hasText: exactly(found.text) }));
    const row = pane.locator('.monaco-list-row').filter({ has: labelled }).first();
    await row.scrollIntoViewIfNeeded();
    return row;
  }

  /** The description VS Code shows next to a tree row's label. */
  async rowDescription(row: Locator): Promise<string> {
    return ((await row.locator('.label-description, .test-label-description').first().textContent()) ?? '').trim();
  }

  /** Expand a collapsed tree row (clicking it could also run its command). */
  async expandRow(row: Locator): Promise<void> {
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    await waitFor('the row to expand', async () => ((await row.getAttribute('aria-expanded')) === 'true' ? true : undefined), 10_000);
  }

  /** Collapse a side-bar view pane, giving its neighbours the room. */
  async collapsePane(pane: Locator): Promise<void> {
    const header = pane.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
  }

  /** Scroll a tree back to its first row (Home on the focused tree). */
  async scrollTreeToTop(pane: Locator): Promise<void> {
    const list = pane.locator('.monaco-list').first();
    await list.focus();
    await this.page.keyboard.press('Home');
    await waitFor('the first row to show', async () => ((await list.locator('.monaco-list-row[data-index="0"]').count()) > 0 ? true : undefined), 5_000);
  }

  /** The editor tab titled exactly `title`. */
  editorTab(title: string): Locator {
    return this.page.locator('.part.editor .tab').filter({ has: this.page.locator('.label-name', { hasText: exactly(title) }) }).first();
  }

  /**
   * The content frame of the webview whose `selector` has text `text` (several webviews can be
   * open; each is an `iframe.webview` hosting the extension's page in `#active-frame`).
   */
  async webviewWith(selector: string, text: string, timeoutMs = 60_000): Promise<FrameLocator> {
    const frames = this.page.locator('iframe.webview.ready');
    return waitFor(`a webview showing ${selector} = "${text}"`, async () => {
      const n = await frames.count();
      for (let i = 0; i < n; i++) {
        const inner = frames.nth(i).contentFrame().locator('#active-frame').contentFrame();
        const el = inner.locator(selector);
        if ((await el.count()) > 0 && (await el.first().textContent({ timeout: 1_000 }))?.trim() === text) return inner;
      }
      return undefined;
    }, timeoutMs, 500);
  }

  /** A terminal named `name` exists (tab list or single-terminal title). */
  async waitForTerminal(name: string, timeoutMs = 30_000): Promise<void> {
    await waitFor(`a terminal named "${name}"`, async () => {
      const names = await this.page
        .locator('.part.panel .terminal-tabs-entry .label-name, .part.panel .single-terminal-tab .label-name, .part.panel .single-terminal-tab')
        .allTextContents();
      // Multi-root windows add " - <folder>" to terminal titles.
      return names.some((n) => n.trim() === name || n.trim().startsWith(`${name} - `)) ? true : undefined;
    }, timeoutMs, 250);
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(this.screenshotDir, { recursive: true });
    const path = join(this.screenshotDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}
