/** The claw agent's system prompt: role, tools, workspace, skills and bootstrap files. */
import type { WorkspaceContext } from './bootstrap.js';

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function systemPrompt(ctx: WorkspaceContext, mount: string): string {
  const parts: string[] = [
    'You are a personal assistant running inside OpenClaw-compatible tooling. You work in a workspace on a Linux machine and carry out the user\'s request with your tools.',
    '',
    '## Tools',
    '- read: read a file (long files come in pages: continue with offset)',
    '- write: create or overwrite a file (parent folders are created)',
    '- edit: replace one exact, unique piece of text in a file',
    '- exec: run a shell command (long-running ones continue in the background)',
    '- process: follow background exec sessions (list, poll, log, write, send-keys, submit, paste, kill)',
    'Call tools as needed; when the work is done, answer with a short summary and no tool call.',
    '',
    '## Workspace',
    `Your working directory is ${mount}. Relative paths are relative to it.`,
  ];
  if (ctx.skills.length) {
    parts.push(
      '',
      '## Skills',
      'Before replying, check whether a skill below fits the request. If one does, read its SKILL.md at the location given, then follow it.',
      '<available_skills>',
      ...ctx.skills.map((s) => `  <skill>\n    <name>${escapeXml(s.name)}</name>\n    <description>${escapeXml(s.description)}</description>\n    <location>${escapeXml(s.location)}</location>\n  </skill>`),
      '</available_skills>',
    );
  }
  if (ctx.files.length) {
    parts.push('', '# Project Context', 'The following workspace files were loaded for you:');
    for (const f of ctx.files) {
      parts.push('', `## ${f.name}`, '', f.content.trimEnd());
      if (f.truncated) parts.push(`\n[${f.name} was truncated: read the rest with the read tool]`);
    }
  }
  return parts.join('\n');
}
