/**
 * The Verification view: one webview panel per task, on the shared panel host (ready handshake,
 * validated messages). File paths the webview names must stay inside the workspace.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { WebviewMessage, type HostMessage, type VerificationState } from '../protocol/verification.js';
import { PanelHost } from './panel-host.js';

export interface PanelActions {
  /** Re-verify a hand-edited folder (folder sources only). */
  reverify?(): Promise<VerificationState | undefined>;
}

interface Entry {
  host: PanelHost<HostMessage, WebviewMessage>;
  state: VerificationState;
  actions: PanelActions;
}

export class VerificationPanels implements vscode.Disposable {
  private readonly panels = new Map<string, Entry>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  show(state: VerificationState, actions: PanelActions = {}): vscode.WebviewPanel {
    const existing = this.panels.get(state.taskId);
    if (existing) {
      existing.state = state;
      existing.actions = actions;
      existing.host.reveal(undefined, true);
      existing.host.post({ type: 'state', state });
      return existing.host.panel;
    }
    const entry = { state, actions } as Entry;
    entry.host = new PanelHost<HostMessage, WebviewMessage>(
      {
        extensionUri: this.extensionUri,
        log: this.log,
        viewType: 'clawgym.verification',
        title: `Verification: ${state.taskId}`,
        column: vscode.ViewColumn.Beside,
        preserveFocus: true,
        page: { name: 'verification', title: 'Verification', root: '<main id="app" aria-live="polite">' },
        messages: WebviewMessage,
        label: 'verification view',
      },
      {
        onReady: () => entry.host.post({ type: 'state', state: entry.state }),
        onMessage: (m) => this.onMessage(entry, m),
        onDispose: () => this.panels.delete(state.taskId),
      },
    );
    this.panels.set(state.taskId, entry);
    return entry.host.panel;
  }

  private async onMessage(entry: Entry, msg: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    const post = (m: HostMessage) => entry.host.post(m);
    const root = entry.state.source.kind === 'trial' ? resolve(entry.state.source.trialDir, 'workspace') : entry.state.source.folder;
    switch (msg.type) {
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
        post({ type: 'busy', message: 'Verifying…' });
        try {
          const next = await entry.actions.reverify();
          if (next) {
            entry.state = next;
            post({ type: 'state', state: next });
          }
        } finally {
          post({ type: 'busy', message: null });
        }
      }
    }
  }

  dispose(): void {
    for (const { host } of this.panels.values()) host.dispose();
    this.panels.clear();
  }
}
