/**
 * Code actions from the fixes a diagnostic carries in its `data` (computed with the diagnostic, as
 * vscode-eslint does, so a code-action request needs no new analysis). The data comes back from the
 * client, so it is parsed before use.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node.js';
import { DiagnosticData } from '../protocol/task-language.js';

export function quickFixes(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  return diagnostics.flatMap((d) => {
    const data = DiagnosticData.safeParse(d.data);
    if (!data.success) return [];
    return data.data.fixes.map((f) => ({
      title: f.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: data.data.fixes.length === 1,
      edit: { changes: { [uri]: [{ range: f.range, newText: f.newText }] } },
    }));
  });
}
