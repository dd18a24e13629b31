/** Analysis & Reasoning: compute NPS overall and per segment from a survey export (incomplete, duplicate, mapped responses). */
import type { Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { pad2 } from './calendar.js';
import { cmp } from './common.js';
import { csvText } from './csv.js';
import { q } from './json-path.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';
import { SKIP_LINE, skipping, thenPython } from './rule-switches.js';

const SURVEYS = ['Q2 customer pulse', 'post-onboarding survey', 'annual relationship survey', 'support CSAT follow-up', 'beta feedback round', 'renewal check-in'];
const SEGMENT_SETS = [
  ['enterprise', 'mid-market', 'smb'],
  ['web', 'ios', 'android'],
  ['emea', 'amer', 'apac'],
  ['free', 'pro', 'business', 'edu'],
  ['new', 'returning', 'churn-risk'],
];
const COMMENTS = ['Great support team', 'Too expensive for what it does', 'Setup took forever', 'Love the new dashboard', 'Missing integrations', 'Fast and reliable', 'Billing was confusing', 'Would like more reports', 'The mobile app crashes', '', '', ''];

export const surveyNps: Family = {
  id: 'survey-nps',
  version: 2,
  category: 'Analysis & Reasoning',
  subcategory: 'statistics and metrics',
  summary: 'Compute Net Promoter Score overall and per segment from a survey CSV, handling blanks, resubmissions and plan→segment mapping.',
  domains: ['data', 'research', 'commerce'],
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const survey = rng.pick(SURVEYS);
    const segs = rng.pick(SEGMENT_SETS);
    const n = 15 + d * 12 + rng.int(0, 10);
    const y = rng.int(2023, 2026);
    const mo = rng.int(1, 12);
    const mapped = d >= 5;
    // d5: the export has a plan column; segments come from a mapping file.
    const plans: Record<string, string> = {};
    if (mapped) for (const s of segs) for (const k of [1, 2]) plans[`${s.toUpperCase().replace(/-/g, '_')}_${k === 1 ? 'MONTHLY' : 'ANNUAL'}`] = s;
    const planIds = Object.keys(plans);
    type Resp = { id: string; ts: string; seg: string; score: number | null; comment: string };
    const nps = (xs: Resp[]) => (xs.length ? ((xs.filter((r) => r.score! >= 9).length - xs.filter((r) => r.score! <= 6).length) / xs.length) * 100 : 0);
    let rows: Resp[] = [];
    let counted: Resp[] = [];
    // Draw until the one-decimal rounding matters somewhere (an NPS that is not a whole number).
    for (let attempt = 0; ; attempt++) {
      const resp: Resp[] = [];
      const bias = Object.fromEntries(segs.map((s) => [s, rng.int(3, 8)]));
      for (let i = 0; i < n; i++) {
        const seg = rng.pick(segs);
        const ts = `${y}-${pad2(mo)}-${pad2(rng.int(1, 27))}T${pad2(rng.int(7, 22))}:${pad2(rng.int(0, 59))}:${pad2(rng.int(0, 59))}Z`;
        const score = Math.max(0, Math.min(10, bias[seg]! + rng.int(-4, 4)));
        resp.push({ id: `R${String(rng.int(10000, 99999))}${i}`, ts, seg, score, comment: rng.pick(COMMENTS) });
      }
      // A 6 (the top detractor score) and an 8 (passive, just under promoter) always occur, so both bounds count.
      const [six, eight] = rng.sample(resp, 2);
      six!.score = 6;
      eight!.score = 8;
      rows = [...resp];
      if (d >= 3) for (let k = 0; k < 2 + d - 3; k++) rows.push({ id: `R${rng.int(10000, 99999)}x${k}`, ts: `${y}-${pad2(mo)}-${pad2(rng.int(1, 27))}T10:00:00Z`, seg: rng.pick(segs), score: null, comment: rng.pick(['', 'started but did not finish']) });
      if (d >= 4) {
        // Resubmissions: the same respondent answered twice; the later one counts (never the forced 6 or 8).
        for (let k = 0; k < 2 + (d - 4) * 2; k++) {
          const orig = rng.pick(resp.filter((r) => r !== six && r !== eight));
          if (rows.filter((r) => r.id === orig.id).length > 1) continue;
          rows.push({ ...orig, ts: `${y}-${pad2(mo)}-28T${pad2(rng.int(7, 22))}:00:00Z`, score: rng.int(0, 10), comment: 'Changed my mind' });
        }
      }
      // Ground truth: drop blanks, keep the latest submission per respondent.
      const latest = new Map<string, Resp>();
      for (const r of rows) {
        if (r.score === null) continue;
        const cur = latest.get(r.id);
        if (!cur || cmp(r.ts, cur.ts) > 0) latest.set(r.id, r);
      }
      counted = [...latest.values()];
      const values = [counted, ...segs.map((s) => counted.filter((r) => r.seg === s))].map(nps);
      if (values.some((v) => Math.abs(v - Math.round(v)) > 0.06)) break;
      if (attempt > 200) throw new Error('survey-nps: every NPS is a whole number');
    }
    const bySeg = segs.map((s) => ({ s, xs: counted.filter((r) => r.seg === s) }));
    const path = rng.pick(['survey/responses.csv', 'data/nps_export.csv', `exports/${survey.replace(/\W+/g, '_')}.csv`]);
    const mapPath = 'survey/plan_segments.json';
    const header = ['respondent_id', 'submitted_at', mapped ? 'plan' : 'segment', 'score', 'comment'];
    const csvRows = rng.shuffle(rows).map((r) => [r.id, r.ts, mapped ? rng.pick(planIds.filter((p) => plans[p] === r.seg)) : r.seg, r.score === null ? '' : r.score, r.comment]);
    const files: Record<string, string> = { [path]: csvText(header, csvRows) };
    if (mapped) files[mapPath] = JSON.stringify(plans, null, 2) + '\n';
    const out = rng.pick(['reports/nps.json', 'nps_summary.json', 'out/nps.json', 'analysis/nps_results.json']);
    const ask = say(rng, [
      'Can you work out the NPS from our {survey}? The export is `{path}` ({n} rows).',
      'I need Net Promoter Scores for the {survey}, overall and by segment. Data: `{path}`.',
      'Please analyse `{path}` (the {survey}) and give me NPS per segment.',
      'Leadership asked for the {survey} NPS broken down by {segs} — responses are in `{path}`.',
      'Crunch the {survey} results in `{path}` into NPS numbers for me.',
    ], { survey, path, n: rows.length, segs: segs.join('/') });
    const defLine = say(rng, [
      '- NPS = % promoters (score 9–10) − % detractors (0–6), as a number from −100 to 100, rounded to one decimal.',
      '- Promoters score 9 or 10, detractors 0 to 6; NPS is the promoter percentage minus the detractor percentage (one decimal).',
      '- Use the standard definition: (promoters − detractors) / responses × 100, where 9–10 promote and 0–6 detract; round to 1 decimal.',
    ]);
    const details = [defLine];
    const rules: Rule[] = [
      { id: 'promoters', text: 'promoters score 9–10' },
      { id: 'detractors', text: 'detractors score 0–6' },
      { id: 'one-decimal', text: 'NPS rounded to one decimal' },
    ];
    const state = (id: string, line: string) => {
      details.push(line);
      rules.push({ id, text: line.replace(/^- /, '') });
    };
    if (d >= 3) state('skip-blank', say(rng, ['- Rows with an empty score are incomplete: leave them out entirely.', '- Skip unfinished responses (blank `score`).']));
    if (d >= 4) state('latest-only', say(rng, ['- Some people submitted twice (same `respondent_id`): only their latest submission counts.', '- If a respondent_id appears more than once, keep only the most recent `submitted_at`.']));
    if (mapped) state('plan-mapping', say(rng, ['- The export only has the `plan`; `{m}` maps plans to segments.', '- Segment comes from the plan, via the mapping in `{m}`.'], { m: mapPath }));
    details.push(
      say(rng, [
        'Write `{out}` as `{"overall": {"nps": ..., "responses": ...}, "segments": {"<segment>": {"nps": ..., "responses": ...}}}` with every segment ({segs}).',
        'Save `{out}` with an `overall` object and a `segments` object keyed by segment name ({segs}); each holds `nps` and `responses` (the count used).',
        'Output: `{out}` — `overall` and per-segment (`segments.<name>` for {segs}) objects, each with `nps` and the number of `responses` counted.',
      ], { out, segs: segs.join(', ') }),
    );
    const instruction = voiced(ctx, ask, details);
    const solution = pyOracle(`
${SKIP_LINE}
plans = json.load(open(${JSON.stringify(mapPath)})) if ${mapped ? 'True' : 'False'} else None
latest = {}
for k, r in enumerate(csv.DictReader(open(${JSON.stringify(path)}, encoding="utf-8"))):
    if r["score"].strip() == "" and "skip-blank" not in SKIP:
        continue
    seg = (r["plan"] if "plan-mapping" in SKIP else plans[r["plan"]]) if plans else r["segment"]
    rid = r["respondent_id"] + ("#%d" % k if "latest-only" in SKIP else "")
    cur = latest.get(rid)
    if cur is None or r["submitted_at"] > cur[0]:
        latest[rid] = (r["submitted_at"], seg, int(r["score"] or 0))
def nps(xs):
    if not xs:
        return {"nps": 0, "responses": 0}
    p = sum(1 for s in xs if s >= (8 if "promoters" in SKIP else 9))
    dd = sum(1 for s in xs if s <= (5 if "detractors" in SKIP else 6)) * (0 if "promoter-share" in SKIP else 1)
    return {"nps": round((p - dd) / len(xs) * 100, 0 if "one-decimal" in SKIP else 12 if "unrounded" in SKIP else 1), "responses": len(xs)}
vals = list(latest.values())
res = {"overall": nps([v[2] for v in vals]), "segments": {s: nps([v[2] for v in vals if v[1] == s]) for s in ${JSON.stringify(segs)}}}
out = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
json.dump(res, open(out, "w"), indent=2)
`);
    const ignoring: Record<string, string> = {
      promoters: 'counts 8 as a promoter score',
      detractors: 'counts only 0–5 as detractors',
      'one-decimal': 'rounds NPS to whole numbers',
      'skip-blank': 'counts blank scores as 0',
      'latest-only': 'counts every submission of a respondent',
      'plan-mapping': 'uses the plan id as the segment',
    };
    const mutants: Mutant[] = [
      ...rules.map((r) => ({ id: `ignores-${r.id}`, kind: 'wrong' as const, rule: r.id, description: ignoring[r.id]!, solution: skipping(solution, r.id) })),
      { id: 'promoter-share', kind: 'wrong', shortcut: 'reports the promoter percentage and forgets to subtract detractors', description: 'NPS = % promoters', solution: skipping(solution, 'promoter-share') },
      {
        id: 'unrounded-extra-fields',
        kind: 'variant',
        description: 'NPS unrounded, an extra `note` per group and a `survey` field, segments in reverse order, compact JSON',
        solution: thenPython(skipping(solution, 'unrounded'), `
out = ${JSON.stringify(out)}
data = json.load(open(out))
for v in [data["overall"], *data["segments"].values()]:
    v["note"] = "unrounded"
data["segments"] = dict(reversed(list(data["segments"].items())))
data["survey"] = ${JSON.stringify(survey)}
open(out, "w").write(json.dumps(data, separators=(",", ":")))
`),
      },
    ];
    return {
      title: `NPS for the ${survey}`,
      instruction,
      workspace: files,
      solution,
      checks: [
        { id: 'overall_nps', type: 'json_path', path: out, query: '$.overall.nps', equals: nps(counted), tolerance: 0.051 },
        { id: 'overall_responses', type: 'json_path', path: out, query: '$.overall.responses', equals: counted.length },
        ...bySeg.flatMap(({ s, xs }) => [
          { id: `nps_${s}`, type: 'json_path' as const, path: out, query: q('segments', s, 'nps'), equals: nps(xs), tolerance: 0.051 },
          { id: `responses_${s}`, type: 'json_path' as const, path: out, query: q('segments', s, 'responses'), equals: xs.length },
        ]),
      ],
      rules,
      mutants,
      operations: ['read and parse CSV files', 'compute statistics', 'handle edge cases in data', 'write structured JSON output'],
      tags: ['survey', 'nps'],
    };
  },
};
