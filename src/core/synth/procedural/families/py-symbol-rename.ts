/** Software Dev: rename functions across a small Python package; the (already updated) unit tests must pass and no old name may remain. */
import type { CheckInput, Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { say } from './phrasing.js';
import { pyData, pyOracle } from './py-oracle.js';
import { SKIP_LINE, skipping, thenPython } from './rule-switches.js';
import { fillPy, hiddenTestsCommand, PY_PROJECTS, renderSources, renderTests, repoExtras, type PyFunc } from './pykit.js';

const WHY = [
  'the old name was misleading',
  'to match our naming guidelines',
  'so the public API reads better',
  'ahead of the 1.0 release',
  'because two teams kept confusing it with something else',
  'as agreed in the last API review',
];
const COLLEAGUES = ['Priya', 'Mateo', 'Keiko', 'Jonas', 'Wanjiru', 'Farid', 'Greta', 'Ravi'];
const DECOY_SUFFIX = ['many', 'all', 'batch', 'each'];

const word = (s: string) => `\\b${s}\\b`;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const pySymbolRename: Family = {
  id: 'py-symbol-rename',
  version: 2,
  category: 'Software Dev',
  subcategory: 'code review and refactoring',
  summary: 'Rename functions across a small Python package (definitions, imports, calls, __all__, docs) so the updated unit tests pass.',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const p = rng.pick(PY_PROJECTS);
    const pkg = rng.pick(p.packages);
    // From d2 the README counts as code: one renamed function at least appears in its usage example.
    const inUsage = (fn: PyFunc) => new RegExp(`\\$${fn.slot}\\b`).test(p.usage);
    let targets: PyFunc[] = [];
    do targets = rng.sample(p.funcs, d <= 2 ? 1 : d <= 4 ? 2 : 3);
    while (d >= 2 && !targets.some(inUsage) && p.funcs.some(inUsage));
    const oldNames: Record<string, string> = {};
    const newNames: Record<string, string> = {};
    for (const fn of p.funcs) {
      const [a, b] = rng.sample(fn.names, 2);
      oldNames[fn.slot] = a!;
      newNames[fn.slot] = targets.includes(fn) ? b! : a!;
    }
    const renames = targets.map((fn) => ({ fn, from: oldNames[fn.slot]!, to: newNames[fn.slot]! }));
    // d4+: a look-alike helper whose name starts with an old name; a blind search-and-replace breaks it.
    const decoy = d >= 4 ? { fn: targets[0]!, name: `${oldNames[targets[0]!.slot]}_${rng.pick(DECOY_SUFFIX)}` } : undefined;
    const decoySrc = decoy
      ? `def ${decoy.name}(items, *args):\n    """Apply $${decoy.fn.slot} to each item, passing the other arguments through."""\n    return [$${decoy.fn.slot}(item, *args) for item in items]`
      : undefined;
    const extra = decoy ? { [decoy.fn.module]: [decoySrc!] } : undefined;
    // d5: one old name survives as a deprecated alias in the package's __init__.py.
    const alias = d >= 5 ? renames[renames.length - 1]! : undefined;

    const before = renderSources(p, { pkg, names: oldNames, extra });
    const after = renderSources(p, { pkg, names: newNames, extra });
    let testExtra: Record<string, Array<[string[], string]>> | undefined;
    if (decoy) {
      const c = decoy.fn.cases[0]!;
      const cls = `class ${decoy.name.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Test(unittest.TestCase):\n    def test_each_item(self):\n        self.assertEqual(${decoy.name}([${c.args[0]}, ${c.args[0]}]${c.args.slice(1).map((a) => `, ${a}`).join('')}), [${c.expect}, ${c.expect}])`;
      testExtra = { [decoy.fn.module]: [[[decoy.name], cls]] };
    }
    const tests = renderTests(p, { pkg, names: newNames }, { extra: testExtra });
    if (alias) {
      tests['tests/test_compat.py'] = fillPy(
        `"""Old import paths keep working for downstream scripts."""\nimport unittest\n\nimport $pkg\n\n\nclass CompatTest(unittest.TestCase):\n    def test_deprecated_alias(self):\n        self.assertIs($pkg.${alias.from}, $pkg.${alias.to})\n\n\nif __name__ == "__main__":\n    unittest.main()\n`,
        newNames,
        pkg,
      );
    }
    const initPath = `${pkg}/__init__.py`;
    // The ground truth must really be free of the old names, or the checks below would be unfair.
    for (const [path, text] of Object.entries(after)) {
      for (const r of renames) if (new RegExp(word(r.from)).test(text)) throw new Error(`py-symbol-rename: ${r.from} survives in ${path}`);
    }

    const checks: CheckInput[] = [
      { id: 'tests_pass', type: 'command', run: hiddenTestsCommand(tests), weight: 3, timeout_sec: 60, description: 'the unit tests (pristine copy) pass' },
      ...renames.map((r) => ({ id: `defines_${r.to}`, type: 'text_matches' as const, path: `${pkg}/${r.fn.module}.py`, pattern: `^def ${r.to}\\(`, description: `${r.to} is defined` })),
    ];
    let k = 0;
    for (const [path, text] of Object.entries(before)) {
      if (path === 'README.md' && d < 2) continue;
      const olds = renames.filter((r) => new RegExp(word(r.from)).test(text) && !(alias && path === initPath && r === alias)).map((r) => r.from);
      if (!olds.length) continue;
      // A regex that matches only at the start of a file with no whole-word occurrence left.
      checks.push({ id: `old_names_gone_${++k}`, type: 'text_matches', path, pattern: `^(?![\\s\\S]*\\b(?:${olds.map(escapeRe).join('|')})\\b)`, flags: '', description: `${path} no longer mentions ${olds.join(', ')}` });
    }
    for (const t of Object.keys(tests)) checks.push({ id: `tests_untouched_${t.replace(/\W+/g, '_')}`, type: 'file_unchanged', path: t, weight: 0 });

    const pairs = renames.map((r) => `\`${r.from}\` → \`${r.to}\``);
    const list = pairs.length === 1 ? pairs[0]! : rng.chance(0.5) ? pairs.join(', ') : `\n${pairs.map((x) => `  - ${x}`).join('\n')}\n`;
    const who = rng.pick(COLLEAGUES);
    const fnWord = renames.length > 1 ? 'functions' : 'function';
    const ask = say(rng, [
      'We are renaming {n} {fnWord} in the `{pkg}` package ({why}): {list} The tests in `tests/` already use the new names — please do the rename across the code so they pass again.',
      'Refactor request for `{pkg}/`: {list} Please update the definitions and every place that refers to them; {who} already switched the unit tests over.',
      'Could you carry out this rename in `{pkg}`? {list} Right now `python3 -m unittest discover -s tests` fails because the tests expect the new names.',
      'The API review settled on new names ({why}). Apply them to the `{pkg}` codebase: {list}',
      'Please rename {list} throughout `{pkg}`. {who} updated the test suite first, so it is currently red with import errors.',
      'Small cleanup PR for `{pkg}`, {why}: rename {list} Definitions, imports, call sites — everything.',
      'I need the {pkg} helpers renamed: {list} The {n_tests} test files under `tests/` are already written against the new API.',
    ], { n: renames.length, fnWord, pkg, why: rng.pick(WHY), list: list.endsWith('\n') ? list : `${list}.`, who, n_tests: Object.keys(tests).length });
    const home = renames[0]!;
    const context = say(rng, [
      '`{old}` is defined in `{pkg}/{mod}.py`.',
      'The package has {k} modules plus the CLI.',
      'It is used in {uses} files.',
      '',
      'Should be mechanical, but it touches {uses} files.',
    ], { old: home.from, pkg, mod: home.fn.module, k: Object.keys(p.modules).length + Object.keys(p.callers).length, uses: Object.values(before).filter((t) => renames.some((r) => new RegExp(word(r.from)).test(t))).length });
    const b = rng.pick(['- ', '* ']);
    const details = [
      b + say(rng, [
        'Do not edit anything under `tests/`; those files are the spec.',
        'Leave the tests alone — make the code match them.',
        'The tests are correct as they are; only the package code should change.',
        'Hands off `tests/`: they define the new API.',
      ]),
      b + say(rng, [
        'When you are done, no whole-word occurrence of the old {names} may remain in `{pkg}/`{docs}.',
        'Afterwards a search for the old {names} (as whole identifiers) in `{pkg}/`{docs} should find nothing.',
        'Nothing in `{pkg}/`{docs} should still say the old {names}.',
        'I will grep `{pkg}/`{docs} for the old {names} afterwards and expect zero hits (whole words).',
      ], { names: renames.length > 1 ? 'names' : 'name', pkg, docs: d >= 2 ? ' or README.md' : '' }),
    ];
    if (d >= 2) details.push(b + say(rng, ['The README example counts as code: update it too.', 'Docs too: README.md must use the new {names}.', 'Keep README.md in sync with the rename.', 'README.md shows usage; it should show the new {names}.'], { names: renames.length > 1 ? 'names' : 'name' }));
    if (d >= 3) details.push(b + say(rng, ['Mind the less obvious references: `__all__`, module-attribute calls in the CLI, docstrings.', 'Some references go through `module.function(...)` or live in `__all__` — catch those as well.', 'Check the CLI and the package `__init__.py`, not only the module that defines each function.']));
    if (decoy) details.push(b + say(rng, ['Rename only the exact identifiers: `{decoy}` is a separate helper and keeps its name.', '`{decoy}` merely starts with an old name; it is a different function and must keep its name.', 'Careful with `{decoy}` — different function, same prefix. It stays as is.'], { decoy: decoy.name }));
    if (alias) details.push(b + say(rng, ['Downstream scripts still import `{pkg}.{old}`: keep `{old}` in `{init}` as a deprecated alias of `{new}` (and only there).', 'Keep a backwards-compatible alias `{old} = {new}` in `{init}` — the only place the old name may survive.', 'For one release, `{pkg}.{old}` must still work: add it as an alias of `{new}` in `{init}`; nowhere else.'], { pkg, old: alias.from, new: alias.to, init: initPath }));
    const rules: Rule[] = [
      { id: 'all-references', text: 'rename the definitions and every place that refers to them' },
      { id: 'tests-untouched', text: details[0]!.slice(2) },
      { id: 'no-old-names', text: details[1]!.slice(2) },
    ];
    if (d >= 2) rules.push({ id: 'readme', text: 'README.md uses the new names' });
    if (d >= 3) rules.push({ id: 'less-obvious', text: 'also `__all__`, `module.function(...)` calls and docstrings' });
    if (decoy) rules.push({ id: 'decoy', text: `\`${decoy.name}\` is a separate helper and keeps its name` });
    if (alias) rules.push({ id: 'alias', text: `\`${alias.from}\` stays in \`${initPath}\` as a deprecated alias of \`${alias.to}\`` });
    const instruction = voiced(ctx, context ? `${ask} ${context}` : ask, [details[0]!, ...rng.shuffle(details.slice(1))]);

    const solution = pyOracle(String.raw`
${SKIP_LINE}
renames = ${pyData(Object.fromEntries(renames.map((r) => [r.from, r.to])))}
homes = ${pyData(renames.map((r) => `${pkg}/${r.fn.module}.py`))}
names = "(" + "|".join(re.escape(k) for k in renames) + ")"
if "decoy" in SKIP:
    pattern = re.compile(names)
elif "less-obvious" in SKIP:
    pattern = re.compile(r"(?<![.\"'])\b" + names + r"\b")
else:
    pattern = re.compile(r"\b" + names + r"\b")
if "tests-untouched" in SKIP:
    back = {v: k for k, v in renames.items()}
    for path in sorted(glob.glob("tests/*.py")):
        text = open(path).read()
        open(path, "w").write(re.sub(r"\b(" + "|".join(re.escape(k) for k in back) + r")\b", lambda m: back[m.group(1)], text))
    sys.exit(0)
if "alias-only" in SKIP:
    with open(${JSON.stringify(initPath)}, "a") as f:
        f.write("".join("%s = %s\n" % (new, old) for old, new in renames.items()))
    sys.exit(0)
files = sorted(glob.glob(${JSON.stringify(pkg)} + "/**/*.py", recursive=True)) + ([] if "readme" in SKIP else ["README.md"])
if "all-references" in SKIP:
    # Misses one file that refers to a renamed function (not where it is defined).
    users = [f for f in files if f not in homes and f != "README.md" and pattern.search(open(f).read())]
    files.remove(users[-1])
for path in files:
    text = open(path).read()
    new = pattern.sub(lambda m: renames[m.group(1)], text)
    if new != text:
        open(path, "w").write(new)
alias = ${pyData(alias ? [alias.from, alias.to] : null)}
if alias and "alias" not in SKIP:
    with open(${JSON.stringify(initPath)}, "a") as f:
        f.write("\n# Deprecated alias, kept for one release.\n%s = %s\n" % (alias[0], alias[1]))
if "no-old-names" in SKIP:
    for old, new in renames.items():
        with open(homes[list(renames).index(old)], "a") as f:
            f.write("\n\n%s = %s  # old name, for scripts that still use it\n" % (old, new))
`);
    const ignoring: Record<string, string> = {
      'tests-untouched': 'edits the tests back to the old names instead of renaming the code',
      'all-references': 'misses the call sites in one file',
      'no-old-names': 'keeps the old names as aliases beside the new definitions',
      readme: 'leaves README.md as it is',
      'less-obvious': 'misses `module.name` references and names in strings such as `__all__`',
      decoy: 'replaces the old name as a substring, renaming the look-alike helper too',
      alias: 'leaves no deprecated alias in __init__.py',
    };
    const mutants: Mutant[] = [
      ...rules.map((r) => ({ id: `ignores-${r.id}`, kind: 'wrong' as const, rule: r.id, description: ignoring[r.id]!, solution: skipping(solution, r.id) })),
      { id: 'alias-only', kind: 'wrong', shortcut: 'adds the new names as aliases of the old ones in __init__.py instead of renaming', description: 'nothing is renamed', solution: skipping(solution, 'alias-only') },
      {
        id: 'changelog-note',
        kind: 'variant',
        description: 'the rename plus a CHANGELOG.md entry that names the old and new functions',
        solution: thenPython(solution, `
notes = ${pyData(renames.map((r) => `- Renamed \`${r.from}\` to \`${r.to}\`.`).join('\n'))}
text = open("CHANGELOG.md").read() if os.path.exists("CHANGELOG.md") else "# Changelog\\n"
head, _, rest = text.partition("\\n\\n")
open("CHANGELOG.md", "w").write(head + "\\n\\n## Unreleased\\n\\n" + notes + "\\n\\n" + rest)
`),
      },
    ];
    return {
      title: `Rename ${renames.map((r) => r.from).join(', ')} in ${pkg}`,
      instruction,
      workspace: { ...before, ...repoExtras(rng, p, pkg, oldNames), ...tests },
      solution,
      checks,
      rules,
      mutants,
      operations: ['inspect code or configuration files', 'modify code or configuration files', 'run tests or validation commands'],
      tags: ['python', 'refactoring', p.id],
    };
  },
};
