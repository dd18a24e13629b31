/** Analysis & Reasoning: weighted final grades from a score sheet and a grading policy (YAML). */
import type { Family, FamilyOutput } from '../family.js';
import { voiced } from '../family.js';
import { cmp } from './common.js';
import { csvText } from './csv.js';
import { q } from './json-path.js';
import { jsonRelayout, on, ruleMutants, shortcutMutant, variantMutant, type KitExtras, type KitRule } from './mutant-kit.js';
import { crowd } from './names.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const COURSES = ['BIO 101', 'Intro to Statistics', 'World History II', 'Organic Chemistry', 'Microeconomics', 'Creative Writing', 'Data Structures', 'Physics for Engineers', 'Spanish 201', 'Marketing Fundamentals'];
const CUTOFFS: Array<[string, number]> = [['A', 90], ['B', 80], ['C', 70], ['D', 60]];

export const gradebookWeighted: Family = {
  id: 'gradebook-weighted',
  version: 2,
  category: 'Analysis & Reasoning',
  subcategory: 'business calculations',
  summary: 'Final course grades from a score CSV and a YAML grading policy (weights, max points, dropped quiz, excused work); write JSON.',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const course = rng.pick(COURSES);
    const nHw = 2 + Math.ceil(d / 2);
    const nQuiz = 2 + Math.floor(d / 2);
    const students = crowd(rng, 4 + d * 2 + rng.int(0, 2));
    const w = rng.pick([
      { homework: 30, quizzes: 20, midterm: 20, final: 30 },
      { homework: 25, quizzes: 15, midterm: 25, final: 35 },
      { homework: 20, quizzes: 20, midterm: 30, final: 30 },
      { homework: 40, quizzes: 10, midterm: 20, final: 30 },
    ]);
    const hwCols = Array.from({ length: nHw }, (_, i) => `hw${i + 1}`);
    const quizCols = Array.from({ length: nQuiz }, (_, i) => `quiz${i + 1}`);
    const maxPts: Record<string, number> = {};
    // Maximum points differ between items at every difficulty, so points / possible points is not the mean of percentages.
    for (const c of hwCols) maxPts[c] = rng.pick([10, 20, 25, 50]);
    if (maxPts.hw1 === maxPts.hw2) maxPts.hw2 = maxPts.hw1 === 50 ? 20 : 50;
    for (const c of quizCols) maxPts[c] = 10;
    maxPts.midterm = rng.pick([50, 80, 100]);
    maxPts.final = rng.pick([100, 120, 150]);
    const cols = [...hwCols, ...quizCols, 'midterm', 'final'];
    const dropQuiz = d >= 4;
    const excused = d >= 5;
    type Cell = number | '' | 'EX';
    const compute = (sc: Record<string, Cell>) => {
      const comp = (cs: string[], drop: boolean) => {
        let items = cs.filter((c) => sc[c] !== 'EX').map((c) => ({ got: sc[c] === '' ? 0 : (sc[c] as number), max: maxPts[c]! }));
        if (drop && items.length > 1) {
          const lo = items.reduce((m, x, i) => (x.got < items[m]!.got ? i : m), 0);
          items = items.filter((_, i) => i !== lo);
        }
        const mx = items.reduce((a, x) => a + x.max, 0);
        return mx ? (items.reduce((a, x) => a + x.got, 0) / mx) * 100 : 0;
      };
      return (w.homework * comp(hwCols, false) + w.quizzes * comp(quizCols, dropQuiz) + w.midterm * comp(['midterm'], false) + w.final * comp(['final'], false)) / 100;
    };
    const sheet: Array<{ name: string; sc: Record<string, Cell>; pct: number }> = [];
    // One student lands exactly on a cutoff ("at least the cutoff" decides the letter).
    const exact = CUTOFFS.map(([, c]) => c).filter((c) => cols.every((col) => (maxPts[col]! * c) % 100 === 0));
    const atCut = rng.pick(exact.length ? exact : [60]);
    for (const [si, s] of students.entries()) {
      const skill = rng.int(45, 98);
      const sc: Record<string, Cell> = {};
      for (const c of cols) {
        const r = rng.next();
        if (d >= 2 && r < 0.06 && c !== 'final') sc[c] = '';
        else if (excused && r > 0.95 && c.startsWith('hw')) sc[c] = 'EX';
        else sc[c] = Math.max(0, Math.min(maxPts[c]!, Math.round(((skill + rng.int(-15, 10)) / 100) * maxPts[c]!)));
      }
      if (si === 0) for (const c of cols) sc[c] = (maxPts[c]! * atCut) / 100;
      // Witnesses: a blank (zero), an excused item, and a quiz worth dropping.
      if (si === 1 && d >= 2) sc.hw1 = '';
      if (si === 2 && excused) sc.hw2 = 'EX';
      if (si === 3) sc.quiz1 = typeof sc.quiz1 === 'number' ? Math.min(2, sc.quiz1) : 2;
      let pct = compute(sc);
      if (si === 0) {
        sheet.push({ name: s.full, sc, pct });
        continue;
      }
      // Keep clear of letter cutoffs so rounding never decides a letter.
      let guard = 0;
      while (CUTOFFS.some(([, c]) => Math.abs(pct - c) < 0.02) && guard++ < 50) {
        sc.final = Math.max(0, Math.min(maxPts.final!, (sc.final as number) + (guard % 2 ? 1 : -2)));
        pct = compute(sc);
      }
      sheet.push({ name: s.full, sc, pct });
    }
    const letter = (p: number) => CUTOFFS.find(([, c]) => p >= c)?.[0] ?? 'F';
    const avg = sheet.reduce((a, s) => a + s.pct, 0) / sheet.length;
    const top = [...sheet].sort((a, b) => b.pct - a.pct || cmp(a.name, b.name))[0]!;
    const dir = rng.pick(['grades', `courses/${course.toLowerCase().replace(/\W+/g, '-')}`, 'gradebook']);
    const policy = [
      `course: ${course}`,
      'weights:  # percent of the final grade',
      ...Object.entries(w).map(([k, v]) => `  ${k}: ${v}`),
      'max_points:',
      ...cols.map((c) => `  ${c}: ${maxPts[c]}`),
      `drop_lowest_quiz: ${dropQuiz}`,
      'letter_cutoffs:  # minimum percent',
      ...CUTOFFS.map(([l, c]) => `  ${l}: ${c}`),
      '',
    ].join('\n');
    const files: Record<string, string> = {
      [`${dir}/scores.csv`]: csvText(['student', ...cols], rng.shuffle(sheet).map((s) => [s.name, ...cols.map((c) => s.sc[c]!)])),
      [`${dir}/policy.yaml`]: policy,
    };
    const out = rng.pick([`${dir}/final_grades.json`, 'final_grades.json', 'reports/grades.json', 'out/course_grades.json']);
    const ask = say(rng, [
      'Grades for {course} are due. Could you compute everyone\'s final grade from `{dir}/scores.csv` using `{dir}/policy.yaml`?',
      'Please calculate the {course} final grades — scores are in `{dir}/scores.csv`, the grading policy in `{dir}/policy.yaml`.',
      'I teach {course} and need the end-of-term grades for my {n} students. Everything is in `{dir}/`.',
      'Can you apply the grading policy (`{dir}/policy.yaml`) to the score sheet `{dir}/scores.csv` for {course}?',
      'Work out final percentages and letter grades for {course} from the files in `{dir}/`.',
    ], { course, dir, n: sheet.length });
    const ruleSet: KitRule[] = [];
    const details: string[] = [];
    const stated = (text: string, ...ids: string[]) => {
      details.push(text);
      for (const id of ids) ruleSet.push({ id, text });
    };
    stated(say(rng, [
      '- Each component (homework, quizzes, midterm, final) scores as points earned / points possible, using `max_points`; the final grade is the weighted sum by `weights`.',
      '- Component percentage = total points / total possible points (see `max_points`); combine the four components with the `weights` from the policy.',
      '- For every component add up points and maximum points, take the ratio, then weight the components as the policy says.',
    ]), 'points-over-possible', 'weights');
    stated(say(rng, ['- Letters come from `letter_cutoffs` (at least the cutoff; below D is F), applied to the unrounded percentage.', '- A percentage at or above a cutoff earns that letter; under 60 is an F.']), 'at-least-cutoff');
    if (d >= 2) stated(say(rng, ['- A blank score means the work was not handed in: it counts as 0.', '- Empty cells are missing work and score zero.']), 'blank-is-zero');
    if (dropQuiz) stated(say(rng, ['- The lowest quiz score of each student is dropped (`drop_lowest_quiz`).', '- Drop each student\'s worst quiz before computing the quiz component.']), 'drop-lowest-quiz');
    if (excused) stated(say(rng, ['- `EX` means excused: leave that item out of both the points and the possible points.', '- Excused work (`EX`) is ignored — not zero, just not counted.']), 'excused-left-out');
    details.push(
      say(rng, [
        'Write `{out}` as `{"students": {"<name>": {"percent": <0-100, 2 decimals>, "letter": "A".."F"}}, "class_average": <mean percent>{top}}`.',
        'Save the results to `{out}`: `students` keyed by the student\'s name (as in the CSV) with `percent` (2 decimals) and `letter`, plus `class_average`{top2}.',
        'Output `{out}` with a `students` object (name → `percent`, `letter`) and the `class_average` of the percentages{top2}.',
      ], { out, top: d >= 3 ? ', "top_student": "<name>"' : '', top2: d >= 3 ? ' and `top_student` (highest percent)' : '' }),
    );
    const instruction = voiced(ctx, ask, details);
    const oracle = (ig: ReadonlySet<string>) => pyOracle(`
d = ${JSON.stringify(dir)}
pol = {}
sec = None
for line in open(d + "/policy.yaml"):
    line = line.split("#")[0].rstrip()
    if not line.strip():
        continue
    if not line.startswith(" "):
        k, v = line.split(":", 1)
        if v.strip():
            pol[k] = v.strip()
        else:
            sec = pol.setdefault(k, {})
    else:
        k, v = line.strip().split(":", 1)
        sec[k] = float(v)
W, M = pol["weights"], pol["max_points"]
drop = pol["drop_lowest_quiz"] == "true" and ${on(ig, 'drop-lowest-quiz')}
if not ${on(ig, 'weights')}:
    W = {k: 25.0 for k in W}
res = {}
for r in csv.DictReader(open(d + "/scores.csv")):
    def comp(prefix, dropit):
        items = [(0.0 if r[c] in ("", "EX") else float(r[c]), M[c]) for c in M if c.startswith(prefix) and (r[c] != "EX" or not ${on(ig, 'excused-left-out', excused)}) and (r[c] != "" or ${on(ig, 'blank-is-zero', d >= 2)})]
        if dropit and len(items) > 1:
            items.remove(min(items, key=lambda x: x[0]))
        mx = sum(m for _, m in items)
        if not ${on(ig, 'points-over-possible')}:
            return sum(g / m * 100 for g, m in items) / len(items) if items else 0
        return sum(g for g, _ in items) / mx * 100 if mx else 0
    pct = (W["homework"] * comp("hw", False) + W["quizzes"] * comp("quiz", drop) + W["midterm"] * comp("midterm", False) + W["final"] * comp("final", False)) / 100
    letter = next((l for l, c in sorted(pol["letter_cutoffs"].items(), key=lambda x: -x[1]) if pct >= c and (pct > c or ${on(ig, 'at-least-cutoff')})), "F")
    res[r["student"]] = {"percent": pct, "letter": letter}
out = {"students": {k: {"percent": round(v["percent"], 2), "letter": v["letter"]} for k, v in res.items()}, "class_average": round(sum(v["percent"] for v in res.values()) / len(res), 2)}
if ${d >= 3 ? 'True' : 'False'}:
    out["top_student"] = sorted(res, key=lambda k: (-res[k]["percent"], k))[0]
path = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
json.dump(out, open(path, "w"), indent=2)
`);
    const solution = oracle(new Set());
    const mutants = [
      ...ruleMutants(ruleSet, oracle),
      shortcutMutant('plain-mean', 'averages the item percentages with equal weights, ignoring points possible and the policy weights', oracle(new Set(['points-over-possible', 'weights']))),
      variantMutant('json-layout', 'JSON re-indented with sorted keys and an extra `course` field', solution, jsonRelayout([out], { course })),
    ];
    const result: FamilyOutput & KitExtras = {
      title: `Final grades for ${course}`,
      instruction,
      workspace: files,
      solution,
      rules: ruleSet,
      mutants,
      checks: [
        ...sheet.flatMap((s) => [
          { id: `pct_${s.name.replace(/\W+/g, '_')}`, type: 'json_path' as const, path: out, query: q('students', s.name, 'percent'), equals: s.pct, tolerance: 0.0051 },
          { id: `letter_${s.name.replace(/\W+/g, '_')}`, type: 'json_path' as const, path: out, query: q('students', s.name, 'letter'), equals: letter(s.pct) },
        ]),
        { id: 'class_average', type: 'json_path', path: out, query: '$.class_average', equals: avg, tolerance: 0.0051 },
        ...(d >= 3 ? [{ id: 'top_student', type: 'json_path' as const, path: out, query: '$.top_student', equals: top.name }] : []),
      ],
      operations: ['read and parse CSV files', 'read configuration files', 'apply business rules', 'write structured JSON output'],
      tags: ['education', 'grades'],
    };
    return result;
  },
};
