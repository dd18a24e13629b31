/**
 * The task.yaml language server (bundled to dist/server.cjs; the extension starts it over node IPC,
 * any LSP client can start it with --stdio). Only wiring lives here: each feature is a pure function
 * of a parsed document and a file-system view (see analysis.ts, completion.ts, navigation.ts,
 * quick-fixes.ts), unit-tested without a server.
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnose, parseTaskDocument, type TaskDocument } from './analysis.js';
import { complete } from './completion.js';
import { nodeFs } from './fs-view.js';
import { definition, hover } from './navigation.js';
import { quickFixes } from './quick-fixes.js';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let canRegisterWatchers = false;

// One parse per document version, shared by every request on it.
const parsed = new Map<string, { version: number; td: TaskDocument }>();
function taskDocument(uri: string): TaskDocument | undefined {
  const doc = documents.get(uri);
  if (!doc) return undefined;
  const hit = parsed.get(uri);
  if (hit?.version === doc.version) return hit.td;
  const td = parseTaskDocument(doc);
  parsed.set(uri, { version: doc.version, td });
  return td;
}

connection.onInitialize((params): InitializeResult => {
  canRegisterWatchers = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: [' ', '/'] },
      hoverProvider: true,
      definitionProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'clawgym-task' },
  };
});

connection.onInitialized(() => {
  // Path warnings depend on the files beside task.yaml: watch them (clients that cannot register
  // watchers still get fresh results on every edit).
  if (canRegisterWatchers) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/workspace/**' }, { globPattern: '**/tests/**' }] });
  }
});

function validate(uri: string): void {
  const td = taskDocument(uri);
  if (td) void connection.sendDiagnostics({ uri, version: td.doc.version, diagnostics: diagnose(td, nodeFs) });
}

documents.onDidChangeContent((e) => validate(e.document.uri));
documents.onDidClose((e) => {
  parsed.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});
connection.onDidChangeWatchedFiles(() => documents.keys().forEach(validate));

connection.onCompletion((p) => {
  const td = taskDocument(p.textDocument.uri);
  return td ? complete(td, p.position, nodeFs, p.context?.triggerCharacter) : null;
});
connection.onHover((p) => {
  const td = taskDocument(p.textDocument.uri);
  return td ? hover(td, p.position) : null;
});
connection.onDefinition((p) => {
  const td = taskDocument(p.textDocument.uri);
  return td ? definition(td, p.position, nodeFs) : null;
});
connection.onCodeAction((p) => quickFixes(p.textDocument.uri, p.context.diagnostics));

documents.listen(connection);
connection.listen();
