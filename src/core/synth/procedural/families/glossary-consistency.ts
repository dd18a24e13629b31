/** Content & Domain: apply a style guide's glossary (preferred term ← variants) to markdown drafts, with a change report. */
import type { CheckInput, Family, FamilyOutput } from '../family.js';
import { voiced } from '../family.js';
import { q } from './json-path.js';
import { jsonRelayout, on, ruleMutants, shortcutMutant, variantMutant, type KitExtras, type KitRule } from './mutant-kit.js';
import { say, slug } from './phrasing.js';
import { pyData, pyOracle } from './py-oracle.js';

type Term = [string, string[]];
const DOMAINS: Record<string, { terms: Term[]; docs: string[] }> = {
  'product documentation': {
    terms: [['email', ['e-mail']], ['website', ['web site', 'web-site']], ['dataset', ['data set']], ['backend', ['back-end', 'back end']], ['username', ['user name']], ['checkbox', ['check box']], ['Wi-Fi', ['wifi', 'WiFi']], ['frontend', ['front-end']], ['toolbar', ['tool bar']], ['add-on', ['addon']]],
    docs: ['Getting started', 'Account settings', 'Troubleshooting', 'Release notes', 'Admin guide', 'FAQ'],
  },
  'food and recipes': {
    terms: [['barbecue', ['barbeque', 'BBQ']], ['doughnut', ['donut']], ['stir-fry', ['stir fry']], ['yogurt', ['yoghurt']], ['chili', ['chilli']], ['whole grain', ['wholegrain', 'whole-grain']], ['sourdough', ['sour dough']], ['gluten-free', ['gluten free']]],
    docs: ['Summer menu', 'Weekend specials', 'Catering guide', 'Kids menu', 'Seasonal newsletter'],
  },
  healthcare: {
    terms: [['health care', ['healthcare', 'health-care']], ['follow-up', ['followup', 'follow up']], ['e-prescription', ['eprescription']], ['aftercare', ['after-care', 'after care']], ['telehealth', ['tele-health']], ['check-in', ['checkin']], ['caregiver', ['care giver', 'care-giver']]],
    docs: ['Patient leaflet', 'Clinic handbook', 'Visit preparation', 'Discharge notes', 'Staff bulletin'],
  },
  finance: {
    terms: [['cash flow', ['cashflow', 'cash-flow']], ['year-end', ['year end', 'yearend']], ['timeframe', ['time frame', 'time-frame']], ['payroll', ['pay-roll']], ['bookkeeping', ['book-keeping', 'book keeping']], ['percent', ['per cent']], ['write-off', ['writeoff']]],
    docs: ['Quarterly memo', 'Budget guidelines', 'Audit checklist', 'Investor update', 'Policy handbook'],
  },
};
const SLOTS = [
  'Check the {T} section before you publish.', 'We updated our {T} guidance last week.', 'Questions about {T} go to the team channel.', 'Most readers ask about {T} first.',
  'The {T} notes below were reviewed in March.', 'There is a short video on {T} as well.', 'Please keep the {T} wording consistent.', 'Our {T} policy changed this year.',
  'See the appendix for {T} examples.', 'Nobody has complained about {T} so far.',
];
const STARTS = ['{T} is covered in the next section.', '{T} questions are answered below.', '{T} comes up in almost every ticket.'];
const FILLER = [
  'This page is maintained by the content team.', 'Feedback is always welcome.', 'The previous version is archived.', 'Screenshots will be refreshed soon.',
  'Keep sentences short and direct.', 'Links open in a new tab.', 'Thanks to everyone who sent comments.', 'Dates use the ISO format.',
];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the oracle does (word-bounded replacement outside backticks), to check generated sentences. */
function apply(text: string, terms: Term[], codeAware: boolean, counts?: Record<string, number>): string {
  const parts = codeAware ? text.split('`') : [text];
  return parts
    .map((p, i) => {
      if (i % 2 === 1) return p;
      for (const [pref, vars] of terms) {
        for (const v of vars) {
          for (const [a, b] of cap(v) !== v ? [[v, pref], [cap(v), cap(pref)]] : [[v, pref]]) {
            p = p.replace(new RegExp(`\\b${esc(a!)}\\b`, 'g'), () => {
              if (counts) counts[pref] = (counts[pref] ?? 0) + 1;
              return b!;
            });
          }
        }
      }
      return p;
    })
    .join('`');
}

export const glossaryConsistency: Family = {
  id: 'glossary-consistency',
  version: 2,
  category: 'Content & Domain',
  subcategory: 'editing and style',
  summary: 'Enforce a style-guide glossary on markdown drafts (word-bounded, case-aware, code spans untouched) and report replacement counts.',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const domainName = rng.pick(Object.keys(DOMAINS));
    const dom = DOMAINS[domainName]!;
    const terms = rng.sample(dom.terms, Math.min(dom.terms.length, 2 + d));
    const codeAware = d >= 3;
    const caps = d >= 4;
    const nDocs = d === 1 ? 1 : d <= 3 ? 2 : d === 4 ? 3 : 4;
    const titles = rng.sample(dom.docs, nDocs);
    const files: Record<string, string> = {};
    const expected: Record<string, string> = {};
    const counts: Record<string, number> = {};
    const docDir = rng.pick(['docs', 'drafts', 'content']);
    // The last guide term never occurs in the drafts: its count is 0, and the report must still list it.
    const used = terms.slice(0, -1);
    const witnessDoc = 0;
    titles.forEach((title, di) => {
      const clean = d >= 5 && di === nDocs - 1; // a document that already follows the guide
      const orig: string[] = [`# ${title}`, ''];
      const fixed: string[] = [`# ${title}`, ''];
      const paras = 2 + rng.int(0, Math.min(2, d));
      let violations = 0;
      for (let k = 0; k < paras; k++) {
        const o: string[] = [];
        const f: string[] = [];
        const nSent = 3 + rng.int(0, 2);
        for (let s = 0; s < nSent; s++) {
          const [pref, vars] = rng.pick(used);
          const r = rng.next();
          let so: string;
          let sf: string;
          if (r < 0.3) {
            so = sf = rng.pick(FILLER);
          } else if (clean || r < 0.42) {
            so = sf = rng.pick(SLOTS).replace('{T}', pref);
          } else if (codeAware && r < 0.52) {
            const v = rng.pick(vars);
            so = sf = `Set the \`${v}\` field exactly as shown.`;
          } else {
            const v = rng.pick(vars);
            if (caps && v.charAt(0) !== v.charAt(0).toUpperCase() && rng.chance(0.4)) {
              const t = rng.pick(STARTS);
              so = t.replace('{T}', cap(v));
              sf = t.replace('{T}', cap(pref));
            } else {
              const t = rng.pick(SLOTS);
              so = t.replace('{T}', v);
              sf = t.replace('{T}', pref);
            }
          }
          if (apply(so, terms, codeAware) !== sf || apply(sf, terms, codeAware) !== sf) continue;
          if (so !== sf) violations++;
          o.push(so);
          f.push(sf);
        }
        if (!o.length) continue;
        orig.push(o.join(' '), '');
        fixed.push(f.join(' '), '');
      }
      if (!clean && !violations) {
        const [pref, vars] = terms[0]!;
        orig.push(`Ask us about ${vars[0]} anytime.`, '');
        fixed.push(`Ask us about ${pref} anytime.`, '');
      }
      if (di === witnessDoc) {
        // Witnesses: a variant inside a longer word (left alone), in backticks (left alone), capitalised at a sentence start.
        const [pref, vars] = used[0]!;
        const v = vars[0]!;
        const lines: Array<[string, string]> = [[`The old ${v}s list is kept as is.`, `The old ${v}s list is kept as is.`]];
        if (codeAware) lines.push([`Set the \`${v}\` field exactly as shown.`, `Set the \`${v}\` field exactly as shown.`]);
        if (caps && cap(v) !== v) lines.push([STARTS[0]!.replace('{T}', cap(v)), STARTS[0]!.replace('{T}', cap(pref))]);
        else lines.push([`Ask us about ${v} anytime.`, `Ask us about ${pref} anytime.`]);
        const okLines = lines.filter(([a, b]) => apply(a, terms, codeAware) === b);
        orig.push(okLines.map((l) => l[0]).join(' '), '');
        fixed.push(okLines.map((l) => l[1]).join(' '), '');
      }
      const path = `${docDir}/${slug(title)}.md`;
      const o = orig.join('\n').replace(/\n+$/, '\n');
      files[path] = o;
      expected[path] = fixed.join('\n').replace(/\n+$/, '\n');
      apply(o, terms, codeAware, counts);
    });
    const asCsv = rng.chance(0.5);
    const guide = asCsv ? rng.pick(['style/glossary.csv', 'style-guide/terms.csv']) : rng.pick(['STYLE_GUIDE.md', 'style/style-guide.md']);
    files[guide] = asCsv
      ? ['preferred,avoid', ...terms.map(([p, v]) => `${p},${v.join('|')}`)].join('\n') + '\n'
      : [`# ${cap(domainName)} style guide`, '', 'Write the preferred term; never the variants listed next to it.', '', '| Preferred | Avoid |', '| --- | --- |', ...terms.map(([p, v]) => `| ${p} | ${v.join(', ')} |`), ''].join('\n');
    const report = rng.pick(['style/changes.json', 'reports/glossary_changes.json', 'changes.json']);
    const docList = Object.keys(expected);
    const ask = say(rng, [
      'Our {dom} drafts drift from the style guide. Please fix the wording in {docs} according to `{guide}`.',
      'Could you bring {docs} in line with the glossary in `{guide}`?',
      'Before we publish, apply the terminology from `{guide}` to {docs}.',
      'The editor flagged inconsistent terms in {docs}. Use `{guide}` to clean them up, please.',
      'Please do a terminology pass over {docs} ({dom}) with `{guide}` as the reference.',
    ], { dom: domainName, docs: docList.length > 2 ? `the ${docList.length} files in \`${docDir}/\`` : docList.map((p) => `\`${p}\``).join(' and '), guide });
    const ruleSet: KitRule[] = [];
    const details: string[] = [];
    const stated = (text: string, ...ids: string[]) => {
      details.push(text);
      for (const id of ids) ruleSet.push({ id, text });
    };
    stated(say(rng, [
      '- Replace every variant listed in the guide with its preferred term, in place. Only whole words/phrases: do not touch text inside other words.',
      '- Edit the files in place: each "avoid" variant becomes the preferred term (match whole words only, exact spelling as listed).',
      '- Swap each listed variant for the preferred wording directly in the files; match complete words, with the spelling given in the guide.',
    ]), 'replace-variants', 'whole-words');
    stated(say(rng, ['- Change nothing else — headings, spacing and line breaks stay as they are.', '- Leave all other text, blank lines and formatting exactly as it is.']), 'change-nothing-else');
    if (codeAware) stated(say(rng, ['- Text in backticks is literal code/UI labels: leave it unchanged.', '- Do not edit anything inside `backticks` (those are field names).']), 'skip-code-spans');
    if (caps) stated(say(rng, ['- At the start of a sentence a variant may be capitalised; replace it with the preferred term capitalised the same way.', '- A capitalised variant (sentence start) becomes the capitalised preferred term.']), 'capitalised-variants');
    stated(say(rng, [
      'Then write `{r}`: a JSON object mapping each preferred term to how many replacements you made for it (0 if none).',
      'Also save `{r}` with the number of replacements per preferred term (every term in the guide, 0 when unused).',
    ], { r: report }), 'count-replacements', 'zero-counts');
    const instruction = voiced(ctx, ask, details);
    const oracle = (ig: ReadonlySet<string>) => pyOracle(`
guide = ${JSON.stringify(guide)}
terms = []
if guide.endswith(".csv"):
    for r in csv.DictReader(open(guide)):
        terms.append((r["preferred"], r["avoid"].split("|")))
else:
    for line in open(guide):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 2 and cells[0] not in ("Preferred", "---"):
            terms.append((cells[0], [v.strip() for v in cells[1].split(",")]))
cap = lambda s: s[:1].upper() + s[1:]
counts = {p: 0 for p, _ in terms}
bound = r"\\b" if ${on(ig, 'whole-words')} else ""
def fix(seg):
    if not ${on(ig, 'replace-variants')}:
        return seg
    for p, vs in terms:
        for v in vs:
            pairs = [(v, p), (cap(v), cap(p))] if cap(v) != v and ${on(ig, 'capitalised-variants', caps)} else [(v, p)]
            for a, b in pairs:
                seg, n = re.subn(bound + re.escape(a) + bound, lambda m, b=b: b, seg)
                counts[p] += n if ${on(ig, 'count-replacements')} else 1
    return seg
for path in ${pyData(docList)}:
    text = open(path).read()
    parts = text.split("\`") if ${on(ig, 'skip-code-spans', codeAware)} else [text]
    text = "\`".join(x if i % 2 else fix(x) for i, x in enumerate(parts))
    if not ${on(ig, 'change-nothing-else')}:
        text = re.sub(r"\\n\\n+", "\\n", text)
    open(path, "w").write(text)
if not ${on(ig, 'zero-counts')}:
    counts = {k: v for k, v in counts.items() if v}
rp = ${JSON.stringify(report)}
os.makedirs(os.path.dirname(rp) or ".", exist_ok=True)
json.dump(counts, open(rp, "w"), indent=2)
`);
    const solution = oracle(new Set());
    const mutants = [
      ...ruleMutants(ruleSet, oracle),
      shortcutMutant('plain-substring', 'replaces variants as plain substrings, everywhere and case-sensitively', oracle(new Set(['whole-words', 'skip-code-spans', 'capitalised-variants']))),
      variantMutant('json-layout', 'report re-indented with sorted keys', solution, jsonRelayout([report])),
    ];
    const checks: CheckInput[] = [
      ...docList.flatMap((p): CheckInput[] =>
        expected[p] === files[p]
          ? [{ id: `unchanged_${slug(p)}`, type: 'file_unchanged' as const, path: p, weight: 0 }]
          : [{ id: `fixed_${slug(p)}`, type: 'text_equals' as const, path: p, text: expected[p]! }],
      ),
      ...(report ? terms.map(([p]) => ({ id: `count_${slug(p)}`, type: 'json_path' as const, path: report, query: q(p), equals: counts[p] ?? 0 })) : []),
      { id: 'guide_untouched', type: 'file_unchanged' as const, path: guide, weight: 0 },
    ];
    const result: FamilyOutput & KitExtras = {
      title: `Apply the ${domainName} glossary to ${docList.length} draft${docList.length > 1 ? 's' : ''}`,
      instruction,
      workspace: files,
      solution,
      rules: ruleSet,
      mutants,
      checks,
      operations: ['read local text files', 'edit files in place', 'apply style rules', ...(report ? ['write structured JSON output'] : [])],
      tags: ['style-guide', 'editing'],
    };
    return result;
  },
};

