/** Software Dev: write unittest tests for untested functions of a small Python package; scored by mutation testing (hidden mutants must be caught). */
import type { CheckInput, Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { andList, codeList, say } from './phrasing.js';
import { pyData } from './py-oracle.js';
import { fillPy, heredoc, PY_PROJECTS, renderModule, renderSources, renderTests, repoExtras, testClass, withBug, type PyFunc } from './pykit.js';

const REASONS = [
  'coverage dropped below the team threshold',
  'we are about to refactor it and want a safety net first',
  'it broke twice last quarter and nobody noticed until production',
  'the reviewer asked for tests before approving the next change',
  'it is the least tested part of the package',
];

/**
 * The verifier: copies the workspace to a temp folder, puts back the pristine module (so editing
 * the library cannot help), runs the agent's test file, then once per mutant. Scores: the tests pass
 * on the real code (and exist), and each mutant is caught — only if they pass on the real code.
 */
function mutationScript(testFile: string, modules: Record<string, string>, mutants: Array<[string, string, string, string]>): string {
  return String.raw`import json, os, re, shutil, subprocess, sys, tempfile
TEST = ${JSON.stringify(testFile)}
MODULES = ${pyData(modules)}
MUTANTS = ${pyData(mutants)}
scores = {"tests_pass_on_current_code": 0}
for name, _, _, _ in MUTANTS:
    scores["catches_" + name] = 0

def run(path=None, old=None, new=None):
    tmp = tempfile.mkdtemp()
    root = os.path.join(tmp, "ws")
    shutil.copytree(".", root, symlinks=True, ignore=shutil.ignore_patterns("__pycache__", "reward", ".git"))
    for p, text in MODULES.items():
        if p == path:
            assert text.count(old) == 1
            text = text.replace(old, new)
        with open(os.path.join(root, p), "w") as f:
            f.write(text)
    try:
        r = subprocess.run([sys.executable, "-m", "unittest", "discover", "-s", os.path.dirname(TEST) or ".", "-p", os.path.basename(TEST)], cwd=root, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    m = re.search(r"^Ran (\d+) tests? in", r.stderr, re.M)
    return r.returncode, int(m.group(1)) if m else 0

if os.path.isfile(TEST):
    base = run()
    if base is not None and base[0] == 0 and base[1] > 0:
        scores["tests_pass_on_current_code"] = 1
        for name, path, old, new in MUTANTS:
            r = run(path, old, new)
            scores["catches_" + name] = 1 if r is None or r[0] != 0 else 0
print(json.dumps(scores))
`;
}

export const pyUnitTestsWrite: Family = {
  id: 'py-unit-tests-write',
  version: 2,
  category: 'Software Dev',
  subcategory: 'test writing and validation',
  summary: 'Write unittest tests for untested functions of a small Python package; scored by whether they pass and catch hidden mutants.',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const p = rng.pick(PY_PROJECTS);
    const pkg = rng.pick(p.packages);
    const names = Object.fromEntries(p.funcs.map((fn) => [fn.slot, rng.pick(fn.names)]));
    const targets: PyFunc[] = rng.sample(p.funcs, d >= 4 ? 2 : 1).sort((a, b) => p.funcs.indexOf(a) - p.funcs.indexOf(b));
    const o = { pkg, names };
    const tests = renderTests(p, o, { omit: new Set(targets.map((t) => t.slot)) });
    const sources = renderSources(p, o);
    const tnames = targets.map((t) => names[t.slot]!);
    const testFile =
      targets.length === 1
        ? rng.pick([`tests/test_${tnames[0]}.py`, `tests/test_${targets[0]!.module}_${tnames[0]}.py`])
        : rng.pick(['tests/test_regressions.py', 'tests/test_new_coverage.py', `tests/test_${pkg}_gaps.py`]);
    const modules: Record<string, string> = {};
    const mutants: Array<[string, string, string, string]> = [];
    for (const t of targets) {
      const path = `${pkg}/${t.module}.py`;
      modules[path] = renderModule(p, t.module, o);
      const good = fillPy(t.src, names, pkg);
      // d1–2: the most telling mutant of each function; d3+: all of them.
      for (const bug of d <= 2 ? t.bugs.slice(0, 1) : t.bugs) mutants.push([`${names[t.slot]}_${bug.id.split('-').pop()}`, path, good, fillPy(withBug(t, bug), names, pkg)]);
      if (modules[path] !== sources[path]) throw new Error('py-unit-tests-write: module render mismatch');
    }

    const checks: CheckInput[] = [
      { id: 'test_file_exists', type: 'file_exists', path: testFile },
      { id: 'mutation_score', type: 'script', run: `python3 - <<'CLAWGYM_PY'\n${mutationScript(testFile, modules, mutants)}CLAWGYM_PY\n`, output: 'json', weight: 4, timeout_sec: 120, description: 'the tests pass on the real code and catch seeded bugs' },
      ...Object.keys(tests).map((t) => ({ id: `existing_tests_untouched_${t.replace(/\W+/g, '_')}`, type: 'file_unchanged' as const, path: t, weight: 0 })),
    ];

    const where = targets.map((t) => `\`${names[t.slot]}\` (in \`${pkg}/${t.module}.py\`)`);
    const ask = say(rng, [
      '{fns} {has} no unit tests at all, and {reason}. Could you write some?',
      'Please add unittest coverage for {fns} — {reason}.',
      'I need tests for {fns}: {reason}.',
      'Can you write a proper test suite for {fns}? {Reason}.',
      'Our `{pkg}` package is missing tests for {fns}. {Reason}, so please write them.',
      'Test-writing task in `{pkg}`: {fns} {has} zero tests and {reason}.',
    ], { fns: andList(where), has: targets.length > 1 ? 'have' : 'has', reason: rng.pick(REASONS), Reason: rng.pick(REASONS).replace(/^./, (c) => c.toUpperCase()), pkg });
    const b = rng.pick(['- ', '* ']);
    const details = [
      b + say(rng, ['Put them in `{file}`, using `unittest` from the standard library (no pytest).', 'Write `{file}` with `unittest.TestCase` classes; standard library only.', 'New file: `{file}`. Plain `unittest`, nothing to install.'], { file: testFile }),
      b + say(rng, [
        'They must pass against the current code: `python3 -m unittest discover -s tests` stays green.',
        'The current implementation is correct, so every test you write should pass on it.',
        'Treat the existing behaviour (and the docstrings) as correct; the tests must pass as the code is now.',
      ]),
      b + say(rng, [
        'I will judge them by mutation testing: we plant small bugs in {fnsPlain} and check that your tests fail. Cover the edge cases the docstring{s} mention{s2}.',
        'They will be graded by seeding small deliberate bugs (off-by-one, wrong comparison, lost rounding and so on) into {fnsPlain}; good tests notice each one.',
        'Think about boundaries and error cases — the grading introduces subtle bugs into {fnsPlain} and expects your tests to catch them.',
      ], { fnsPlain: codeList(tnames), s: targets.length > 1 ? 's' : '', s2: targets.length > 1 ? '' : 's' }),
      b + say(rng, ['Do not change the package code or the other test files.', 'Only add the new test file; leave everything else untouched.', 'No edits outside `{file}`, please.'], { file: testFile }),
    ];
    if (d >= 3) details.push(b + say(rng, ['Documented errors (ValueError and the like) deserve tests too.', 'Where the docstring promises a ValueError, test it.', 'Test the documented failure cases as well as normal input.']));
    const instruction = voiced(ctx, ask, details);

    const byModule = new Map<string, PyFunc[]>();
    for (const t of targets) byModule.set(t.module, [...(byModule.get(t.module) ?? []), t]);
    const body =
      `"""Tests for ${andList(tnames)}."""\nimport unittest\n${p.testImports ? `${p.testImports}\n` : ''}\n` +
      [...byModule].map(([mod, fns]) => `from ${pkg}.${mod} import ${fns.map((t) => names[t.slot]).sort().join(', ')}\n`).join('') +
      `\n\n${targets.map((t) => testClass(p, t, names, true)).join('\n\n\n')}\n\n\nif __name__ == "__main__":\n    unittest.main()\n`;
    const solution = `#!/usr/bin/env bash\nset -euo pipefail\nmkdir -p ${testFile.split('/').slice(0, -1).join('/')}\n${heredoc(testFile, body)}python3 -m unittest discover -s tests -q\n`;
    // Mutants are other test files: the same header (imports), other classes.
    const write = (file: string, text: string) => `#!/usr/bin/env bash\nset -euo pipefail\nmkdir -p ${file.split('/').slice(0, -1).join('/')}\n${heredoc(file, text)}`;
    const head = body.slice(0, body.indexOf('\n\n\nclass ') + 3);
    const fn0 = tnames[0]!;
    const c0 = targets[0]!.cases[0]!;
    const call0 = `${fn0}(${c0.args.map((x) => fillPy(x, names, pkg)).join(', ')})`;
    const main = '\n\nif __name__ == "__main__":\n    unittest.main()\n';
    const smoke = `class SmokeTest(unittest.TestCase):\n    def test_callable(self):\n        self.assertTrue(callable(${fn0}))\n`;
    const otherFile = testFile === 'tests/test_extra_cases.py' ? 'tests/test_more_cases.py' : 'tests/test_extra_cases.py';
    const rules: Rule[] = [
      { id: 'test-file', text: `the tests go in \`${testFile}\`` },
      { id: 'pass-on-current-code', text: 'the tests pass against the current code' },
      { id: 'catch-bugs', text: 'the tests catch small planted bugs (boundaries, edge cases)' },
    ];
    const mutantSolutions: Mutant[] = [
      { id: 'ignores-test-file', kind: 'wrong', rule: 'test-file', description: `the right tests, in \`${otherFile}\``, solution: write(otherFile, body) },
      { id: 'ignores-pass-on-current-code', kind: 'wrong', rule: 'pass-on-current-code', description: 'the right tests plus one that expects a different result than the code gives', solution: write(testFile, `${body.replace(/\n\n\nif __name__ == "__main__":[\s\S]*$/, '')}\n\n\nclass WrongExpectationTest(unittest.TestCase):\n    def test_other_result(self):\n        self.assertNotEqual(${call0}, ${fillPy(c0.expect, names, pkg)})\n${main}`) },
      { id: 'ignores-catch-bugs', kind: 'wrong', rule: 'catch-bugs', description: 'a smoke test that only checks the function exists (catches no bug)', solution: write(testFile, `${head}${smoke}${main}`) },
      { id: 'no-tests', kind: 'wrong', shortcut: 'creates the test file with imports and no test', description: 'zero tests run', solution: write(testFile, head.trimEnd() + '\n') },
      { id: 'extra-smoke-class', kind: 'variant', description: 'the same tests plus an extra smoke-test class', solution: write(testFile, `${body.replace(/\n\n\nif __name__ == "__main__":[\s\S]*$/, '')}\n\n\n${smoke}${main}`) },
    ];
    return {
      title: `Unit tests for ${andList(tnames)} in ${pkg}`,
      instruction,
      workspace: { ...sources, ...repoExtras(rng, p, pkg, names), ...tests },
      solution,
      checks,
      rules,
      mutants: mutantSolutions,
      operations: ['inspect code or configuration files', 'modify code or configuration files', 'run tests or validation commands'],
      tags: ['python', 'testing', p.id],
    };
  },
};
