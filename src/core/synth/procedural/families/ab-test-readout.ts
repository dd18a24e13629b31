/** Analysis & Reasoning: read out an A/B(/n) experiment from assignment and conversion logs. */
import type { Family } from '../family.js';
import { voiced } from '../family.js';
import { pad2 } from './calendar.js';
import { cmp } from './common.js';
import { csvText } from './csv.js';
import { q } from './json-path.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const EXPERIMENTS = ['checkout-button-color', 'pricing-page-v2', 'onboarding-checklist', 'free-trial-length', 'signup-form-fields', 'recommendation-widget', 'email-subject-lines', 'search-ranking-tweak'];
const VARIANT_SETS = [['control', 'treatment'], ['A', 'B'], ['control', 'variant_b'], ['baseline', 'new_flow']];

export const abTestReadout: Family = {
  id: 'ab-test-readout',
  version: 1,
  category: 'Analysis & Reasoning',
  subcategory: 'statistics and metrics',
  summary: 'Conversion rate, revenue per user and lift per variant from assignment/conversion CSVs (contamination, test accounts, 3 arms); write JSON.',
  domains: ['data', 'software'],
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const exp = rng.pick(EXPERIMENTS);
    const variants = [...rng.pick(VARIANT_SETS)];
    if (d >= 5) variants.push(rng.pick(['variant_c', 'C', 'third_arm']));
    const control = variants[0]!;
    const nUsers = 30 + d * 25 + rng.int(0, 20);
    const y = rng.int(2023, 2026);
    const mo = rng.int(1, 12);
    const ts = () => `${y}-${pad2(mo)}-${pad2(rng.int(1, 27))} ${pad2(rng.int(0, 23))}:${pad2(rng.int(0, 59))}`;
    const pconv: Record<string, number> = Object.fromEntries(variants.map((v) => [v, 0.08 + rng.next() * 0.3]));
    const assign: Array<[string, string, string]> = [];
    const conv: Array<[string, string, string]> = [];
    const users: Array<{ id: string; v: string; bad: boolean }> = [];
    for (let i = 0; i < nUsers; i++) {
      const test = d >= 4 && rng.chance(0.06);
      const id = test ? `test_${rng.int(100, 999)}${i}` : `u${rng.int(10000, 99999)}${i}`;
      const v = rng.pick(variants);
      const contaminated = d >= 3 && !test && rng.chance(0.06);
      assign.push([id, v, ts()]);
      if (contaminated) assign.push([id, rng.pick(variants.filter((x) => x !== v)), ts()]);
      users.push({ id, v, bad: test || contaminated });
      if (rng.chance(pconv[v]!)) {
        const k = d >= 2 && rng.chance(0.2) ? 2 : 1;
        for (let j = 0; j < k; j++) conv.push([id, ts(), (rng.int(900, 19_900) / 100).toFixed(2)]);
      }
    }
    if (d >= 4) for (let k = 0; k < 3; k++) conv.push([`u${rng.int(100000, 999999)}x`, ts(), (rng.int(900, 9_900) / 100).toFixed(2)]); // never assigned
    // Make sure every arm has users and the control converts at least once.
    const good = users.filter((u) => !u.bad);
    for (const v of variants) {
      if (!good.some((u) => u.v === v)) {
        const id = `u${rng.int(10000, 99999)}z${v.length}`;
        assign.push([id, v, ts()]);
        users.push({ id, v, bad: false });
        good.push({ id, v, bad: false });
      }
    }
    if (!conv.some(([id]) => good.some((u) => u.id === id && u.v === control))) conv.push([good.find((u) => u.v === control)!.id, ts(), '49.00']);
    // Truth.
    const stats = variants.map((v) => {
      const us = good.filter((u) => u.v === v);
      const ids = new Set(us.map((u) => u.id));
      const convUsers = new Set(conv.filter(([id]) => ids.has(id)).map(([id]) => id));
      const revenue = conv.filter(([id]) => ids.has(id)).reduce((a, [, , r]) => a + Math.round(Number(r) * 100), 0);
      return { v, users: us.length, conversions: convUsers.size, rate: convUsers.size / us.length, rpu: revenue / 100 / us.length };
    });
    const best = [...stats].sort((a, b) => b.rate - a.rate || cmp(a.v, b.v))[0]!;
    const ctrl = stats[0]!;
    const lift = ((best.rate - ctrl.rate) / ctrl.rate) * 100;
    const dir = rng.pick(['experiment', `experiments/${exp}`, 'data/ab']);
    const files: Record<string, string> = {
      [`${dir}/assignments.csv`]: csvText(['user_id', 'variant', 'assigned_at'], rng.shuffle(assign)),
      [`${dir}/conversions.csv`]: csvText(['user_id', 'converted_at', 'revenue'], rng.shuffle(conv)),
    };
    const out = rng.pick(['readout.json', `reports/${exp}.json`, 'analysis/ab_readout.json', 'out/experiment_results.json']);
    const withRpu = d >= 2;
    const ask = say(rng, [
      'The {exp} experiment has finished. Can you do the readout from `{dir}/`?',
      'Please analyse our A/B test "{exp}" — assignments and conversions are in `{dir}/`.',
      'I need the results of the {exp} test ({arms}). Data lives in `{dir}/assignments.csv` and `{dir}/conversions.csv`.',
      'Which arm of {exp} won? The logs are under `{dir}/`; control is `{control}`.',
      'Write up the numbers for experiment {exp} ({k} arms) from the CSVs in `{dir}/`.',
    ], { exp, dir, arms: variants.join(' vs '), control, k: variants.length });
    const details = [
      say(rng, [
        '- Conversion rate of a variant = users with at least one conversion / users assigned to it.',
        '- A user converts if they appear in the conversions file at least once; rate = converting users ÷ assigned users.',
        '- Count converting users (not conversion rows) and divide by the variant\'s assigned users.',
      ]),
    ];
    if (withRpu) details.push(say(rng, ['- Revenue per user = all of the variant\'s conversion revenue / its assigned users (several purchases per user add up).', '- `revenue_per_user`: sum every conversion\'s revenue for the variant, divided by its users.']));
    if (d >= 3) details.push(say(rng, ['- Users assigned to more than one variant are contaminated: drop them everywhere.', '- Exclude anyone who shows up in two variants.']));
    if (d >= 4) details.push(say(rng, ['- Ignore internal test accounts (ids starting with `test_`) and conversions from users who were never assigned.', '- Leave out `test_` accounts, and conversions whose user has no assignment.']));
    details.push(
      say(rng, [
        'Write `{out}` with `variants` → each variant name → `users`, `conversions`, `conversion_rate`{rpu}; plus `winner` (highest conversion rate) and `lift_pct`: the winner\'s rate relative to `{control}`, in percent.',
        'Save `{out}`: `variants.<name>` objects holding `users`, `conversions`, `conversion_rate`{rpu}, then `winner` (best rate; ties → alphabetical) and `lift_pct` = (winner rate / {control} rate − 1) × 100.',
        'Output goes to `{out}` — a `variants` map (per arm: `users`, `conversions`, `conversion_rate`{rpu}), `winner`, and `lift_pct` (winner vs `{control}`, percent, 0 if the control wins).',
      ], { out, control, rpu: withRpu ? ', `revenue_per_user`' : '' }),
      say(rng, ['Rates as fractions (0.1234), 4 decimals; money and percentages to 2 decimals.', 'Keep 4 decimals for rates (a fraction, not %), 2 for revenue and lift.']),
    );
    const instruction = voiced(ctx, ask, details);
    const solution = pyOracle(`
d = ${JSON.stringify(dir)}
seen = {}
for r in csv.DictReader(open(d + "/assignments.csv")):
    seen.setdefault(r["user_id"], set()).add(r["variant"])
users = {u: next(iter(v)) for u, v in seen.items() if len(v) == 1 and not u.startswith("test_")}
conv = {}
rev = {}
for r in csv.DictReader(open(d + "/conversions.csv")):
    u = r["user_id"]
    if u not in users:
        continue
    conv[u] = 1
    rev[u] = rev.get(u, 0) + round(float(r["revenue"]) * 100)
variants = ${JSON.stringify(variants)}
res = {"variants": {}}
for v in variants:
    us = [u for u, x in users.items() if x == v]
    c = sum(1 for u in us if u in conv)
    e = {"users": len(us), "conversions": c, "conversion_rate": round(c / len(us), 4)}
    if ${withRpu ? 'True' : 'False'}:
        e["revenue_per_user"] = round(sum(rev.get(u, 0) for u in us) / 100 / len(us), 2)
    res["variants"][v] = e
rate = lambda v: res["variants"][v]["conversions"] / res["variants"][v]["users"]
win = sorted(variants, key=lambda v: (-rate(v), v))[0]
res["winner"] = win
res["lift_pct"] = round((rate(win) / rate(variants[0]) - 1) * 100, 2)
out = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
json.dump(res, open(out, "w"), indent=2)
`);
    return {
      title: `A/B readout: ${exp}`,
      instruction,
      workspace: files,
      solution,
      checks: [
        ...stats.flatMap((s) => [
          { id: `users_${s.v}`, type: 'json_path' as const, path: out, query: q('variants', s.v, 'users'), equals: s.users },
          { id: `conversions_${s.v}`, type: 'json_path' as const, path: out, query: q('variants', s.v, 'conversions'), equals: s.conversions },
          { id: `rate_${s.v}`, type: 'json_path' as const, path: out, query: q('variants', s.v, 'conversion_rate'), equals: s.rate, tolerance: 0.00051 },
          ...(withRpu ? [{ id: `rpu_${s.v}`, type: 'json_path' as const, path: out, query: q('variants', s.v, 'revenue_per_user'), equals: s.rpu, tolerance: 0.0051 }] : []),
        ]),
        { id: 'winner', type: 'json_path', path: out, query: '$.winner', equals: best.v },
        { id: 'lift', type: 'json_path', path: out, query: '$.lift_pct', equals: lift, tolerance: 0.0051 },
      ],
      operations: ['read and parse CSV files', 'join data from multiple sources', 'compute statistics', 'write structured JSON output'],
      tags: ['experiment'],
    };
  },
};
