/** Planning & Knowledge: audit a markdown knowledge base for broken relative links and orphan pages. */
import type { Family } from '../family.js';
import { voiced } from '../family.js';
import { cmp } from './common.js';
import { TEAM_NAMES } from './names.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const SECTIONS: Record<string, string[]> = {
  runbooks: ['deploy', 'rollback', 'db-failover', 'cache-flush', 'cert-rotation', 'on-call', 'incident-comms'],
  teams: ['platform', 'payments', 'growth', 'data', 'mobile', 'support'],
  howto: ['local-setup', 'code-review', 'release-notes', 'feature-flags', 'secrets', 'logging'],
  policies: ['access', 'vacations', 'expenses', 'security', 'retention'],
  decisions: ['use-postgres', 'monorepo', 'graphql-gateway', 'kafka-events'],
};
const ROOT_PAGES = ['glossary', 'faq', 'contacts', 'tools', 'architecture', 'roadmap'];
const FILLER = [
  'This page is maintained by the {team} team.',
  'Last reviewed during the {team} quarterly cleanup.',
  'Ask in #{team}-help if something is out of date.',
  'Most of this was migrated from the old wiki.',
  'Please keep examples short and copy-pasteable.',
];

const title = (p: string) => p.replace(/\.md$/, '').split('/').pop()!.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');

function rel(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

export const kbLinkAudit: Family = {
  id: 'kb-link-audit',
  version: 1,
  category: 'Planning & Knowledge',
  subcategory: 'memory and knowledge organization',
  summary: 'Find broken relative links and orphan pages in a markdown knowledge base; report JSON.',
  domains: ['content', 'software', 'it-ops'],
  generate(ctx) {
    const { rng, difficulty } = ctx;
    const team = rng.pick(TEAM_NAMES);
    const kb = rng.pick(['kb', 'wiki', 'docs/handbook', 'notes/kb']);
    const pages = new Set<string>(['index.md']);
    const nRoot = difficulty >= 2 ? rng.int(1, 2) : 4 + difficulty;
    for (const p of rng.sample(ROOT_PAGES, nRoot)) pages.add(`${p}.md`);
    if (difficulty >= 2) {
      for (const sec of rng.sample(Object.keys(SECTIONS), Math.min(4, difficulty))) for (const p of rng.sample(SECTIONS[sec]!, rng.int(2, 1 + difficulty))) pages.add(`${sec}/${p}.md`);
    }
    const list = [...pages].sort(cmp);
    const others = list.filter((p) => p !== 'index.md');
    const orphans = new Set(rng.sample(others, Math.min(others.length - 2, rng.int(1, 2))));
    const linked = others.filter((p) => !orphans.has(p));
    const incoming = new Map<string, number>();
    const broken: Array<{ page: string; target: string }> = [];
    const body = new Map<string, string[]>(list.map((p) => [p, [`# ${p === 'index.md' ? `${team[0]!.toUpperCase()}${team.slice(1)} knowledge base` : title(p)}`, '']]));
    const link = (src: string, dst: string) => {
      let target = rel(src, dst);
      if (difficulty >= 5 && !target.startsWith('..') && rng.chance(0.4)) target = `./${target}`;
      if (difficulty >= 3 && rng.chance(0.3)) target += `#${rng.pick(['overview', 'steps', 'contacts', 'faq', 'history'])}`;
      return `[${title(dst)}](${target})`;
    };
    // Every non-orphan page gets at least one incoming link from some other page.
    for (const dst of linked) {
      const src = rng.pick(list.filter((p) => p !== dst && p !== dst));
      body.get(src)!.push(`See ${link(src, dst)} for details.`);
      incoming.set(dst, (incoming.get(dst) ?? 0) + 1);
    }
    for (const src of list) {
      const lines = body.get(src)!;
      lines.splice(2, 0, say(rng, FILLER, { team }));
      for (let k = 0; k < rng.int(0, 2); k++) {
        const dst = rng.pick(linked);
        if (dst !== src) lines.push(`Related: ${link(src, dst)}.`);
      }
      if (rng.chance(0.35)) lines.push(`External reference: [${rng.pick(['RFC 9110', 'the vendor docs', 'status page'])}](https://${rng.pick(['example.com', 'docs.example.org', 'status.example.net'])}/${rng.int(1, 99)}).`);
      if (difficulty >= 3 && rng.chance(0.3)) lines.push(`Jump to [the steps](#steps) below.`, '', '## Steps', '', '1. Read the whole page first.');
    }
    // Broken links.
    const nBroken = 1 + rng.int(0, Math.floor(difficulty / 2));
    for (let k = 0; k < nBroken; k++) {
      const src = rng.pick(list);
      const real = rng.pick(others);
      const kind = rng.next();
      const missing = kind < 0.5 ? real.replace(/([a-z])([a-z])(?=[a-z]*\.md$)/, '$2$1') : kind < 0.8 ? `${real.replace(/\.md$/, '')}-old.md` : `archive/${rng.pick(['2019', 'legacy', 'old'])}-${real.split('/').pop()}`;
      if (pages.has(missing)) continue;
      const target = rel(src, missing);
      body.get(src)!.push(`Older notes: [${title(missing)}](${target}${difficulty >= 3 && rng.chance(0.3) ? '#top' : ''}).`);
      if (!broken.some((b) => b.page === src && b.target === target)) broken.push({ page: src, target });
    }
    if (!broken.length) {
      body.get('index.md')!.push('Legacy: [Old Setup](setup-old.md).');
      broken.push({ page: 'index.md', target: 'setup-old.md' });
    }
    if (difficulty >= 4) {
      // Links inside fenced code blocks and images are not navigation links.
      const src = rng.pick(list);
      body.get(src)!.push('', 'Template for new pages:', '', '```markdown', `See [Missing page](${rng.pick(['todo.md', 'draft/new-page.md', 'fill-me-in.md'])}) and [${title(rng.pick(others))}](${rng.pick(others)})`, '```');
      body.get(rng.pick(list))!.push('', `![Diagram](${rng.pick(['img/flow.png', 'assets/arch.svg'])})`);
    }
    broken.sort((a, b) => cmp(a.page, b.page) || cmp(a.target, b.target));
    const orphanList = [...orphans].sort(cmp);
    // Orphans must not be linked by anything we added at random.
    for (const o of orphanList) if (incoming.has(o)) throw new Error('kb-link-audit: orphan got a link');
    const workspace: Record<string, string> = {};
    for (const p of list) workspace[`${kb}/${p}`] = body.get(p)!.join('\n') + '\n';
    const out = `reports/${kb.replace(/\//g, '-')}-link-audit.json`;

    const ask = say(rng, [
      'Our {team} knowledge base in `{kb}/` has rotted a bit. Can you find the broken links and the pages nothing links to?',
      'Please run a link audit over the markdown pages in `{kb}/` ({n} pages).',
      'Before the {team} docs sprint, I need a list of dead internal links and orphaned pages in `{kb}/`.',
      'Could you check every relative link in `{kb}/` and tell me which ones point nowhere, plus which pages are unreachable?',
      'Wiki hygiene for {team}: audit `{kb}/` — broken links and orphans, please.',
    ], { team, kb, n: list.length }) + ' ' + say(rng, [
      'There are {n} pages, e.g. `{ex}` and `{ex2}`.',
      'Someone noticed a dead link on `{ex}` last week.',
      'I suspect `{ex2}` is no longer reachable from anywhere.',
      '{n} markdown files, with `index.md` as the landing page.',
      'The {team} folks last touched `{ex}` and `{ex2}`.',
    ], { n: list.length, ex: rng.pick(list), ex2: rng.pick(others), team });
    const b = rng.pick(['- ', '* ']);
    const details = [
      b + say(rng, ['Write `{out}` with `pages` (how many .md files), `broken_links` and `orphans`.', 'Report to `{out}`: `pages` (count), `broken_links`, `orphans`.', 'The JSON at `{out}` needs `pages`, `broken_links` and `orphans`.'], { out }),
      b + say(rng, ['`broken_links`: objects `{"page": …, "target": …}` — the page (path relative to `{kb}/`) and the link target exactly as written minus any `#anchor` — for relative links whose file does not exist; sorted by page then target, no duplicates.', 'Each broken link is `{"page": "<path under {kb}/>", "target": "<link target as written, without #fragment>"}`; sort by page, then target.', '`broken_links` is a sorted list of `{"page", "target"}` pairs: page relative to `{kb}/`, target as written (drop the `#…` part).'], { kb }),
      b + say(rng, ['`orphans`: pages (relative to `{kb}/`) that no other page links to with a working link, except `index.md`; sorted.', '`orphans` — sorted pages that receive no working link from any other page (`index.md` is the entry point, never an orphan).'], { kb }),
      b + say(rng, ['External `http(s)` links and same-page `#anchors` are out of scope.', 'Ignore web links and in-page anchors.']),
    ];
    if (difficulty >= 4) details.push(b + say(rng, ['Links inside fenced code blocks and image embeds (`![…](…)`) do not count.', 'Skip anything inside ``` fences, and images.']));
    const instruction = voiced(ctx, ask, details);

    const solution = pyOracle(String.raw`
kb = ${JSON.stringify(kb)}
pages = sorted(os.path.relpath(os.path.join(d, f), kb) for d, _, fs in os.walk(kb) for f in fs if f.endswith(".md"))
broken, incoming = set(), {}
for p in pages:
    fence = False
    for line in open(os.path.join(kb, p)):
        if line.strip().startswith("` + '```' + String.raw`"):
            fence = not fence
            continue
        if fence:
            continue
        for t in re.findall(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)", line):
            if re.match(r"^(https?:|mailto:|#)", t):
                continue
            t = t.split("#")[0]
            dest = os.path.normpath(os.path.join(os.path.dirname(p), t))
            if dest in pages:
                if dest != p:
                    incoming[dest] = incoming.get(dest, 0) + 1
            else:
                broken.add((p, t))
rep = {"pages": len(pages), "broken_links": [{"page": a, "target": b} for a, b in sorted(broken)], "orphans": sorted(p for p in pages if p != "index.md" and not incoming.get(p))}
os.makedirs("reports", exist_ok=True)
json.dump(rep, open(${JSON.stringify(out)}, "w"), indent=2)
`);
    return {
      title: `Link audit of ${kb}/`,
      instruction,
      workspace,
      solution,
      checks: [
        { id: 'pages', type: 'json_path', path: out, query: '$.pages', equals: list.length },
        { id: 'broken_links', type: 'json_path', path: out, query: '$.broken_links', equals: broken },
        { id: 'orphans', type: 'json_path', path: out, query: '$.orphans', equals: orphanList },
      ],
      operations: ['inspect files and directories', 'extract structured data from files or web content', 'write structured results to local files'],
      tags: ['markdown', 'knowledge-base'],
    };
  },
};
