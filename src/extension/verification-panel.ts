/**
 * The Verification view: one webview panel per task. State reaches the webview through a ready
 * handshake (the webview asks when it (re)loads), so nothing depends on retainContextWhenHidden.
 * Everything the webview sends is validated; file paths it names must stay inside the workspace.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostMessage, type VerificationState } from '../protocol/verification.js';
import { webviewHtml } from './webview-html.js';

export interface PanelActions {
  /** Re-verify a hand-edited folder (folder sources only). */
  reverify?(): Promise<VerificationState | undefined>;
}

export class VerificationPanels implements vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; state: VerificationState; actions: PanelActions }>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  show(state: VerificationState, actions: PanelActions = {}): vscode.WebviewPanel {
    const existing = this.panels.get(state.taskId);
    if (existing) {
      existing.state = state;
      existing.actions = actions;
      existing.panel.reveal(undefined, true);
      this.post(existing.panel, { type: 'state', state });
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel('clawgym.verification', `Verification: ${state.taskId}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'clawgym.svg');
    const entry = { panel, state, actions };
    this.panels.set(state.taskId, entry);
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((raw) => void this.onMessage(entry, raw));
    panel.onDidDispose(() => this.panels.delete(state.taskId));
    return panel;
  }

  private async onMessage(entry: { panel: vscode.WebviewPanel; state: VerificationState; actions: PanelActions }, raw: unknown): Promise<void> {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.log.warn(`verification view: dropped a malformed message`);
      return;
    }
    const root = entry.state.source.kind === 'trial' ? resolve(entry.state.source.trialDir, 'workspace') : entry.state.source.folder;
    switch (msg.type) {
      case 'ready':
        this.post(entry.panel, { type: 'state', state: entry.state });
        return;
      case 'openFile': {
        const target = resolve(root, msg.path);
        const rel = relative(root, target);
        if (rel.startsWith('..') || isAbsolute(rel)) return void this.log.warn(`verification view: refused to open ${msg.path} (outside the workspace)`);
        await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: true, viewColumn: vscode.ViewColumn.One }).then(undefined, (e) => vscode.window.showWarningMessage(`ClawGym: cannot open ${msg.path}: ${e}`));
        return;
      }
      case 'revealFolder':
        await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(entry.state.source.kind === 'trial' ? entry.state.source.trialDir : root));
        return;
      case 'openTrajectory':
        if (entry.state.source.kind === 'trial') await vscode.commands.executeCommand('clawgym.openTrajectory', vscode.Uri.file(entry.state.source.trialDir));
        return;
      case 'reverify': {
        if (!entry.actions.reverify) return;
        this.post(entry.panel, { type: 'busy', message: 'Verifying…' });
        try {
          const next = await entry.actions.reverify();
          if (next) {
            entry.state = next;
            this.post(entry.panel, { type: 'state', state: next });
          }
        } finally {
          this.post(entry.panel, { type: 'busy', message: null });
        }
      }
    }
  }

  private post(panel: vscode.WebviewPanel, m: HostMessage): void {
    void panel.webview.postMessage(m);
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(webview, this.extensionUri, { name: 'verification', title: 'Verification', root: '<main id="app" aria-live="polite">' });
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}
