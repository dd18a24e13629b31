/** Software Dev: a small Python package whose unit tests fail because of a generated slip (off-by-one, wrong comparison, lost rounding…); fix the code, not the tests. */
import type { CheckInput, Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { cmp } from './common.js';
import { say } from './phrasing.js';
import { pyData, pyOracle } from './py-oracle.js';
import { SKIP_LINE, skipping } from './rule-switches.js';
import { fillPy, hiddenTestsCommand, PY_PROJECTS, renderSources, renderTests, repoExtras, withBug, type PyFunc } from './pykit.js';

const SYMPTOMS = [
  'CI went red after last night\'s merge',
  'the nightly build is failing',
  'a customer report led us to a failing test',
  'the pre-release test run is failing',
  'someone pushed straight to main and now the tests fail',
];

export const pyFailingTestFix: Family = {
  id: 'py-failing-test-fix',
  version: 2,
  category: 'Software Dev',
  subcategory: 'debugging and issue fixing',
  summary: 'Find and fix generated bugs in a small Python package so its unittest suite (and hidden extra cases) pass, without touching the tests.',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const p = rng.pick(PY_PROJECTS);
    const pkg = rng.pick(p.packages);
    const names = Object.fromEntries(p.funcs.map((fn) => [fn.slot, rng.pick(fn.names)]));
    // d4+: two bugs, in different modules when the project has them.
    const first = rng.pick(p.funcs);
    const bugged: PyFunc[] = [first];
    if (d >= 4) {
      const others = p.funcs.filter((fn) => fn !== first);
      const elsewhere = others.filter((fn) => fn.module !== first.module);
      bugged.push(rng.pick(elsewhere.length ? elsewhere : others));
    }
    const override: Record<string, string> = {};
    const repairs: Array<{ file: string; fn: PyFunc; buggy: string; fixed: string }> = [];
    for (const fn of bugged) {
      const bug = rng.pick(fn.bugs);
      override[fn.slot] = withBug(fn, bug);
      repairs.push({ file: `${pkg}/${fn.module}.py`, fn, buggy: fillPy(override[fn.slot]!, names, pkg), fixed: fillPy(fn.src, names, pkg) });
    }
    const o = { pkg, names };
    const workspace = { ...renderSources(p, { ...o, override }), ...repoExtras(rng, p, pkg, names), ...renderTests(p, o) };
    for (const r of repairs) if (workspace[r.file]!.split(r.buggy).length !== 2) throw new Error(`py-failing-test-fix: ${r.fn.slot} is not unique in ${r.file}`);
    // The hidden copy has every case, so special-casing the visible ones does not pass.
    const hidden = renderTests(p, o, { all: true });
    const fixed = repairs.map((r) => ({ file: r.file, function: names[r.fn.slot]! })).sort((a, b) => cmp(a.file, b.file) || cmp(a.function, b.function));
    const notes = 'notes/bugfix.json';

    const checks: CheckInput[] = [{ id: 'tests_pass', type: 'command', run: hiddenTestsCommand(hidden), weight: 3, timeout_sec: 60, description: 'the unit tests, with extra hidden cases, pass' }];
    if (d >= 3) {
      // Entry by entry (and nothing after the last), so extra fields in an entry are fine.
      fixed.forEach((f, i) => {
        checks.push({ id: `notes_fixed_${i}_file`, type: 'json_path', path: notes, query: `$.fixed[${i}].file`, equals: f.file, description: 'which functions were broken' });
        checks.push({ id: `notes_fixed_${i}_function`, type: 'json_path', path: notes, query: `$.fixed[${i}].function`, equals: f.function });
      });
      checks.push({ id: 'notes_fixed_count', type: 'json_path', path: notes, query: `$.fixed[${fixed.length}]`, exists: false, weight: 0 });
    }
    for (const t of Object.keys(workspace).filter((x) => x.startsWith('tests/'))) checks.push({ id: `tests_untouched_${t.replace(/\W+/g, '_')}`, type: 'file_unchanged', path: t, weight: 0 });

    const firstTest = `tests/test_${first.module}.py`;
    const ask = say(rng, [
      '{symptom} in `{pkg}`. Please find the bug and fix it so `python3 -m unittest discover -s tests` passes again.',
      'The `{pkg}` test suite is failing ({symptom_l}). Can you track down what is wrong in the package and fix it?',
      'Could you debug `{pkg}` for me? {symptom}, and I have not had time to look.',
      'Bug hunt: {symptom_l}. The package is `{pkg}/`, the tests are in `tests/`. Make them pass by fixing the code.',
      'Please get the `{pkg}` tests green again — {symptom_l}. The tests describe the intended behaviour.',
      'Something in `{pkg}` regressed: {symptom_l}. Fix the implementation, please.',
    ], { symptom: rng.pick(SYMPTOMS).replace(/^./, (c) => c.toUpperCase()), symptom_l: rng.pick(SYMPTOMS), pkg });
    const testFiles = Object.keys(workspace).filter((x) => x.startsWith('tests/'));
    const hex = () => Array.from({ length: 7 }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');
    const context = say(rng, [
      'The last green run was on commit {sha}.',
      'There are {k} test files and {m} modules in the package.',
      'It was still passing at {sha}; {sha2} is where it broke, as far as CI can tell.',
      'Run it with `python3 -m unittest discover -s tests` ({k} test files).',
      '{who} is on holiday, so it is on us.',
      '',
    ], { sha: hex(), sha2: hex(), k: testFiles.length, m: Object.keys(p.modules).length + Object.keys(p.callers).length + 1, who: rng.pick(['Noor', 'Tomas', 'Aiko', 'Femi', 'Ines', 'Lars']) });
    const hint =
      d === 1
        ? say(rng, ['The failure shows up in `{test}` (the `{cls}` tests).', 'It is `{cls}` in `{test}` that fails.', 'Start with `{test}`: `{cls}` fails.'], { test: firstTest, cls: `${names[first.slot]!.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Test` })
        : d === 2
          ? say(rng, ['The failing test file is `{test}`.', 'Look at `{test}` first.', 'Only `{test}` fails, as far as I can tell.'], { test: firstTest })
          : '';
    const b = rng.pick(['- ', '* ']);
    const details = [
      ...(hint ? [b + hint] : []),
      b + say(rng, [
        'Do not modify the tests; fix the package code.',
        'The tests are right — change only the code under `{pkg}/`.',
        'Leave `tests/` exactly as it is.',
        'Test files are off limits; the bug is in `{pkg}/`.',
      ], { pkg }),
      b + say(rng, [
        'Keep the fix minimal; the behaviour described in the docstrings is the intended one.',
        'Each function\'s docstring says what it should do — trust those.',
        'We will also run a few extra cases beyond the visible tests, so fix the logic itself rather than the examples.',
        'Fix the root cause in the logic; extra hidden cases get run too.',
      ]),
    ];
    if (d >= 4) details.push(b + say(rng, ['There may be more than one problem.', 'I would not be surprised if there were two separate bugs.', 'Heads-up: more than one test class fails.', 'Expect more than a single culprit.']));
    if (d >= 3) {
      details.push(b + say(rng, [
        'Then record what you fixed in `{notes}`: `{"fixed": [{"file": "<path>", "function": "<name>"}]}`, one entry per broken function, sorted by file then function.',
        'Also write `{notes}` with a `fixed` list of `{"file", "function"}` objects (file path relative to the repo root, the function\'s name), sorted by file and function.',
        'For the changelog, save `{notes}` as `{"fixed": [...]}`: each entry names the `file` (e.g. `{pkg}/x.py`) and the `function` you corrected; sort by file, then function.',
      ], { notes, pkg }));
    }
    const instruction = voiced(ctx, context ? `${ask} ${context}` : ask, rng.shuffle(details));

    const solution = pyOracle(String.raw`
${SKIP_LINE}
repairs = ${pyData(repairs.map((r) => [r.file, r.buggy, r.fixed]))}
failing = ${pyData([...new Set(repairs.map((r) => `tests/test_${r.fn.module}.py`))])}
if "fix-code-not-tests" in SKIP:
    repairs = []
    for path in failing:
        open(path, "w").write("import unittest\n\n\nclass PlaceholderTest(unittest.TestCase):\n    def test_ok(self):\n        self.assertTrue(True)\n")
if "delete-tests" in SKIP:
    repairs = []
    for path in failing:
        os.remove(path)
if "all-bugs" in SKIP:
    repairs = repairs[:1]
for path, buggy, good in repairs:
    text = open(path).read()
    assert text.count(buggy) == 1, path
    if "commented" in SKIP:
        good = "# Fixed: back to the documented behaviour.\n" + good
    open(path, "w").write(text.replace(buggy, good))
fixed = ${pyData(fixed)}
if "notes-sorted" in SKIP:
    fixed = fixed[::-1]
if "commented" in SKIP:
    fixed = [dict(f, note="restored the documented behaviour") for f in fixed]
if ${d >= 3 ? 'True' : 'False'} and "notes" not in SKIP:
    os.makedirs("notes", exist_ok=True)
    json.dump({"fixed": fixed}, open(${JSON.stringify(notes)}, "w"), indent=2)
`);
    const rules: Rule[] = [{ id: 'fix-code-not-tests', text: 'do not modify the tests; fix the package code' }];
    if (d >= 4) rules.push({ id: 'all-bugs', text: 'there may be more than one problem' });
    if (d >= 3) rules.push({ id: 'notes', text: `record what you fixed in \`${notes}\`` });
    if (d >= 4) rules.push({ id: 'notes-sorted', text: 'the `fixed` entries sorted by file, then function' });
    const ignoring: Record<string, string> = {
      'fix-code-not-tests': 'replaces the failing test file with a test that always passes',
      'all-bugs': 'fixes only the first bug',
      notes: 'writes no notes',
      'notes-sorted': 'lists the fixed functions in reverse order',
    };
    const mutants: Mutant[] = [
      ...rules.map((r) => ({ id: `ignores-${r.id}`, kind: 'wrong' as const, rule: r.id, description: ignoring[r.id]!, solution: skipping(solution, r.id) })),
      { id: 'delete-tests', kind: 'wrong', shortcut: 'deletes the failing test files so the suite runs green', description: 'no fix', solution: skipping(solution, 'delete-tests') },
      { id: 'commented', kind: 'variant', description: 'the same fix under a comment line; notes entries carry an extra `note` field', solution: skipping(solution, 'commented') },
    ];
    return {
      title: `Fix the failing tests in ${pkg}`,
      instruction,
      workspace,
      solution,
      checks,
      rules,
      mutants,
      operations: ['run tests or validation commands', 'analyze command output or error messages', 'modify code or configuration files'],
      tags: ['python', 'debugging', p.id],
    };
  },
};
