/**
 * Planning & Knowledge: rename notes per a rename list → rewrite every link to them (markdown
 * links with anchors, wiki links with labels; the archive stays as it was) → regenerate the
 * index with the project's script → record how many links changed per note.
 */
import type { CheckInput, Family } from '../../family.js';
import { clutter, cmp, json, put, putAll, py, request, say, sh, shortcut, variant, wrong, type ComposedOutput, type Rule } from './kit.js';

const TOPICS = ['Onboarding', 'Release Process', 'On-call Guide', 'Code Review', 'Incident Template', 'Vacation Policy', 'Expense Policy', 'Style Guide', 'Architecture Overview', 'Data Retention', 'Hiring Loop', 'Security Basics', 'Deploy Checklist', 'Meeting Norms', 'Team Rituals', 'Budget Process', 'Vendor List', 'Backup Policy', 'Access Requests', 'Glossary'];
const slugOf = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/g, '-');

interface Link {
  to: number; // note index
  kind: 'md' | 'wiki';
  anchor?: string;
  label?: string;
}
type Skip = 'anchors' | 'labels' | 'archive' | 'index';

export const notesRenameLinks: Family = {
  id: 'notes-rename-links',
  version: 1,
  category: 'Planning & Knowledge',
  subcategory: 'memory and knowledge organization',
  summary: 'Rename knowledge-base notes from a rename list, rewrite markdown and wiki links (anchors, labels) outside the archive, regenerate the index, count changed links per note.',
  generate(ctx): ComposedOutput {
    const { rng, difficulty: d } = ctx;
    const n = Math.min(TOPICS.length, 6 + d * 3);
    const titles = rng.sample(TOPICS, n);
    const slugs = titles.map(slugOf);
    const k = Math.min(n - 2, 2 + d);
    const renamed = rng.sample(titles.map((_, i) => i), k);
    const newSlug = new Map(renamed.map((i) => [i, `${rng.pick(['team', 'eng', 'ops', 'people'])}-${slugs[i]}`]));
    const slugNow = (i: number, after: boolean) => (after && newSlug.has(i) ? newSlug.get(i)! : slugs[i]!);
    // Each note links to a few others; witnesses: an anchored md link and a labelled wiki link to a renamed note.
    const links: Link[][] = titles.map((_, i) => {
      const out: Link[] = [];
      for (const to of rng.sample(titles.map((_, j) => j).filter((j) => j !== i), rng.int(1, 3))) {
        out.push(rng.chance(0.5) ? { to, kind: 'md', anchor: rng.chance(0.3) ? 'details' : undefined } : { to, kind: 'wiki', label: rng.chance(0.3) ? 'see here' : undefined });
      }
      return out;
    });
    const [r0, r1] = renamed;
    const host0 = (r0! + 1) % n;
    const host1 = (r1! + 1) % n;
    links[host0]!.push({ to: r0!, kind: 'md', anchor: 'how-it-works' });
    links[host1]!.push({ to: r1!, kind: 'wiki', label: 'the guide' });
    const blurbs = titles.map(() => rng.pick(['Owner: the platform team.', 'Last reviewed this quarter.', 'Ask in #help if anything is unclear.', 'Draft — comments welcome.']));
    const linkText = (l: Link, after: boolean) =>
      l.kind === 'md' ? `[${titles[l.to]}](${slugNow(l.to, after)}.md${l.anchor ? `#${l.anchor}` : ''})` : `[[${slugNow(l.to, after)}${l.label ? `|${l.label}` : ''}]]`;
    const body = (i: number, after: boolean, skip: ReadonlySet<Skip> = new Set()) => {
      const ls = links[i]!.map((l) => {
        if (!after || !newSlug.has(l.to)) return linkText(l, after);
        if (skip.has('anchors') && l.anchor) return `[${titles[l.to]}](${slugNow(l.to, true)}.md)`;
        if (skip.has('labels') && l.label) return `[[${slugNow(l.to, true)}]]`;
        return linkText(l, true);
      });
      return `# ${titles[i]}\n\n${blurbs[i]}\n\n## How it works\n\nSee ${ls.join(', and ')}.\n\n## Details\n\nNothing else to add yet.\n`;
    };
    const changedCount = (i: number) => links[i]!.filter((l) => newSlug.has(l.to)).length;
    const archive: Array<readonly [string, string]> = renamed.slice(0, 2).map((i, j) => [`notes/archive/${2019 + j}-${slugs[i]}-old.md`, `# ${titles[i]} (old)\n\nSuperseded. See [${titles[i]}](../${slugs[i]}.md) and [[${slugs[i]}]].\n`] as const);
    const indexOf = (after: boolean) => `# Index\n\n${titles.map((t, i) => ({ t, s: slugNow(i, after) })).sort((a, b) => cmp(a.t, b.t)).map((x) => `- [${x.t}](notes/${x.s}.md)`).join('\n')}\n`;
    const files: Record<string, string> = {
      'renames.csv': `old,new\n${renamed.map((i) => `${slugs[i]},${newSlug.get(i)}`).join('\n')}\n`,
      'index.md': indexOf(false),
      'scripts/build_index.py': `#!/usr/bin/env python3
"""Rebuild index.md from the notes' titles (archive excluded). Run from the repository root."""
import glob
import os

entries = []
for path in glob.glob("notes/*.md"):
    with open(path) as f:
        title = next((line[2:].strip() for line in f if line.startswith("# ")), os.path.basename(path))
    entries.append((title, path))
with open("index.md", "w") as out:
    out.write("# Index\\n\\n")
    for title, path in sorted(entries):
        out.write(f"- [{title}]({path})\\n")
`,
      'README.md': 'Team knowledge base. Notes live in notes/, old versions in notes/archive/ (kept as they were, for the record). index.md is generated: `python3 scripts/build_index.py`.\n',
      ...Object.fromEntries(archive),
      ...clutter(rng, Math.max(0, d - 1), 'personal/'),
    };
    titles.forEach((_, i) => (files[`notes/${slugs[i]}.md`] = body(i, false)));
    const reportPath = 'reports/link-changes.json';
    const changed = titles.map((_, i) => i).filter((i) => changedCount(i) > 0);
    const report: Record<string, number> = Object.fromEntries(changed.map((i) => [`notes/${slugNow(i, true)}.md`, changedCount(i)] as const).sort((a, b) => cmp(a[0], b[0])));
    const render = (skip: ReadonlySet<Skip>, o: { indent?: number; noLinks?: boolean } = {}) =>
      sh(
        renamed.map((i) => `mv 'notes/${slugs[i]}.md' 'notes/${newSlug.get(i)}.md'\n`).join(''),
        o.noLinks ? '' : putAll(Object.fromEntries(changed.map((i) => [`notes/${slugNow(i, true)}.md`, body(i, true, skip)]))),
        skip.has('archive') ? putAll(Object.fromEntries(archive.map(([p, b]) => [p, renamed.reduce((acc: string, i) => acc.split(`${slugs[i]}.md`).join(`${newSlug.get(i)}.md`).split(`[[${slugs[i]}]]`).join(`[[${newSlug.get(i)}]]`), b)]))) : '',
        skip.has('index') ? '' : 'python3 scripts/build_index.py\n',
        put(reportPath, json(o.indent ? { ...report, total: Object.values(report).reduce((a, b) => a + b, 0) } : report, o.indent ?? 2)),
      );
    const checks: CheckInput[] = [
      ...renamed.map((i) => ({ id: `renamed_${slugs[i]}`, type: 'file_absent' as const, path: `notes/${slugs[i]}.md`, weight: 0.5 })),
      ...changed.map((i) => ({ id: `links_${slugs[i]}`, type: 'text_equals' as const, path: `notes/${slugNow(i, true)}.md`, text: body(i, true) })),
      ...renamed.filter((i) => !changed.includes(i)).map((i) => ({ id: `moved_${slugs[i]}`, type: 'text_equals' as const, path: `notes/${newSlug.get(i)}.md`, text: body(i, false) })),
      { id: 'index', type: 'text_equals', path: 'index.md', text: indexOf(true) },
      ...Object.entries(report).map(([p, c]) => ({ id: `report_${p.replace(/\W+/g, '_')}`, type: 'json_path' as const, path: reportPath, query: `$['${p}']`, equals: c })),
      {
        id: 'archive_kept',
        type: 'command',
        run: py(`assert os.path.exists(${JSON.stringify(`notes/${newSlug.get(r0!)}.md`)}), "not renamed"\nfor p, b in json.loads(${JSON.stringify(JSON.stringify(archive))}):\n    assert open(p).read() == b, p + " changed"`),
        description: 'the notes were renamed and the archive kept as it was',
      },
    ];
    const rules: Rule[] = [
      { id: 'anchors', text: 'A link to a section (#anchor) keeps its anchor.' },
      { id: 'labels', text: 'A wiki link with a label ([[note|label]]) keeps its label.' },
      { id: 'archive', text: 'notes/archive/ is kept exactly as it was, old links included.' },
      { id: 'index', text: 'index.md is regenerated with scripts/build_index.py after the renames.' },
    ];
    const ask = say(rng, [
      'We are reorganising the knowledge base by team. Could you apply the renames in `renames.csv` to the notes in `notes/` without breaking any links?',
      'I want the notes renamed as listed in `renames.csv` (old slug → new slug), with every link that points at them fixed.',
    ]);
    const paragraphs = [
      say(rng, [
        'Notes link to each other two ways: markdown links like `[Title](slug.md)` or `[Title](slug.md#section)`, and wiki links like `[[slug]]` or `[[slug|label]]`. Point them at the new names and keep anchors and labels as they are. `notes/archive/` is a record of old versions — leave those files exactly as they are, old links and all.',
        'Rename the files in `notes/` and update links to them: `[Title](slug.md)`, `[Title](slug.md#anchor)` (keep the anchor), `[[slug]]` and `[[slug|label]]` (keep the label). Don\'t change anything in `notes/archive/`, not even the links — it\'s kept for the record.',
      ]),
      say(rng, [
        `Then regenerate \`index.md\` with \`python3 scripts/build_index.py\`, and write \`${reportPath}\`: for every note whose links you changed, its path after the renames (e.g. \`notes/<slug>.md\`) → the number of links you rewrote in it.`,
        `After that, rebuild \`index.md\` (\`python3 scripts/build_index.py\`) and save \`${reportPath}\` as an object mapping each note you edited (path after renaming, like \`notes/<slug>.md\`) to how many of its links changed.`,
      ]),
    ];
    const mutants = [
      ...rules.map((r) => wrong(`ignore-${r.id}`, r.id, `the oracle with "${r.text}" ignored`, render(new Set([r.id as Skip])))),
      shortcut('rename-only', 'renames the files but updates no links', render(new Set(), { noLinks: true })),
      variant('report-total', 'the report indented with 4 spaces and an extra `total` key', render(new Set(), { indent: 4 })),
    ];
    return {
      title: 'Rename notes and fix their links',
      instruction: request(ctx, ask, paragraphs),
      workspace: files,
      solution: render(new Set()),
      checks,
      rules,
      mutants,
      operations: ['rename or move files', 'edit text files in place', 'run scripts or commands', 'write structured JSON output'],
      tags: ['composed', 'markdown', 'links'],
    };
  },
};
