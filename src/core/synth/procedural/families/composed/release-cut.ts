/**
 * Software Dev: cut a release from the commit log — only commits since the last tag → the next
 * semantic version → bump it everywhere it is written → a changelog section from the commits
 * (chores left out) → run the release check script.
 */
import type { CheckInput, Family } from '../../family.js';
import { clutter, dayNum, fromDayNum, iso, py, request, say, sh, shortcut, variant, wrong, type ComposedOutput, type Rule } from './kit.js';

const PKGS = ['ledgerly', 'tidyqueue', 'mapleconf', 'pyrolite', 'quillsync', 'hexbook'];
const FEATS = ['add CSV export', 'support dark mode', 'add retry backoff option', 'allow custom date formats', 'add a --dry-run flag', 'stream large files', 'add Python 3.13 support'];
const FIXES = ['handle empty input files', 'close file handles on error', 'fix timezone offset in reports', 'respect the NO_COLOR variable', 'avoid a crash on unicode names', 'correct rounding of totals'];
const CHORES = ['chore: bump dev dependencies', 'ci: cache pip downloads', 'docs: fix typos in README', 'test: cover the empty case', 'refactor: split the parser module', 'chore(deps): update ruff'];
const BREAKING = ['drop Python 3.8', 'rename the `load` function to `read`', 'change the config file format to TOML'];

interface Commit {
  sha: string;
  type: 'feat' | 'fix' | 'chore' | 'break';
  msg: string;
  line: string;
}
type Skip = 'since-tag' | 'chores' | 'both-places' | 'bump';

export const releaseCut: Family = {
  id: 'release-cut',
  version: 1,
  category: 'Software Dev',
  subcategory: 'version control and release',
  summary: 'From a commit log since the last tag: next semver, bump it in both places, a changelog section (chores left out), run the release check.',
  generate(ctx): ComposedOutput {
    const { rng, difficulty: d } = ctx;
    const pkg = rng.pick(PKGS);
    const hex = () => Array.from({ length: 7 }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');
    const [maj, min, pat] = [rng.int(0, 3), rng.int(1, 9), rng.int(0, 6)];
    const cur = `${maj}.${min}.${pat}`;
    const mk = (type: Commit['type'], msg: string, scope?: string): Commit => {
      const sha = hex();
      const head = type === 'chore' ? msg : `${type === 'break' ? 'feat' : type}${scope ? `(${scope})` : ''}${type === 'break' ? '!' : ''}: ${msg}`;
      return { sha, type, msg, line: `${sha} ${head}` };
    };
    const scopes = ['api', 'cli', 'core', undefined];
    const withFeat = true; // so the bump rule always has a witness (minor, not patch)
    const fresh: Commit[] = [
      ...rng.sample(FIXES, 1 + Math.floor(d / 2)).map((m) => mk('fix', m, rng.pick(scopes))),
      ...(withFeat ? rng.sample(FEATS, 1 + Math.floor(d / 2)).map((m) => mk('feat', m, rng.pick(scopes))) : []),
      ...rng.sample(CHORES, 1 + Math.floor(d / 2)).map((m) => mk('chore', m)),
      ...(d >= 5 ? [mk('break', rng.pick(BREAKING))] : []),
    ];
    const newer = rng.shuffle(fresh);
    // Older than the tag: a breaking change already released (it would force a major bump).
    const older = [mk('break', rng.pick(BREAKING)), mk('fix', rng.pick(FIXES)), mk('feat', rng.pick(FEATS))];
    const tagLine = `${hex()} (tag: v${cur}) chore: release ${cur}`;
    const bumpOf = (cs: Commit[], skip: ReadonlySet<Skip>) => {
      if (skip.has('bump')) return `${maj}.${min}.${pat + 1}`;
      if (cs.some((c) => c.type === 'break')) return `${maj + 1}.0.0`;
      if (cs.some((c) => c.type === 'feat')) return `${maj}.${min + 1}.0`;
      return `${maj}.${min}.${pat + 1}`;
    };
    const y = rng.int(2024, 2026);
    const date = iso(...fromDayNum(dayNum(y, rng.int(1, 12), rng.int(1, 28))));
    const section = (cs: Commit[], v: string, skip: ReadonlySet<Skip>) => {
      const part = (title: string, t: Commit['type']) => {
        const xs = cs.filter((c) => c.type === t);
        return xs.length ? `### ${title}\n\n${xs.map((c) => `- ${c.msg}`).join('\n')}\n\n` : '';
      };
      const chores = skip.has('chores') ? cs.filter((c) => c.type === 'chore') : [];
      return `## [${v}] - ${date}\n\n${part('Breaking', 'break')}${part('Added', 'feat')}${part('Fixed', 'fix')}${chores.length ? `### Other\n\n${chores.map((c) => `- ${c.msg}`).join('\n')}\n\n` : ''}`;
    };
    const oldLog = `# Changelog\n\n## [${cur}] - ${iso(y - 1, rng.int(1, 12), rng.int(10, 28))}\n\n### Fixed\n\n- ${older[1]!.msg}\n`;
    const files: Record<string, string> = {
      'notes/commits.txt': `# git log --oneline, newest first\n${[...newer.map((c) => c.line), tagLine, ...older.map((c) => c.line)].join('\n')}\n`,
      'pyproject.toml': `[project]\nname = "${pkg}"\nversion = "${cur}"\nrequires-python = ">=3.9"\n\n[project.scripts]\n${pkg} = "${pkg}.cli:main"\n`,
      [`src/${pkg}/__init__.py`]: `"""${pkg}: small and sharp."""\n\n__version__ = "${cur}"\n`,
      [`src/${pkg}/cli.py`]: `import sys\n\nfrom . import __version__\n\n\ndef main():\n    print(__version__ if "--version" in sys.argv else "usage: ${pkg} [--version]")\n`,
      'CHANGELOG.md': oldLog,
      'scripts/check_release.py': `#!/usr/bin/env python3
"""Check that a release is consistent; writes release/check.json."""
import json
import os
import re

pyproject = re.search(r'^version = "([^"]+)"', open("pyproject.toml").read(), re.M).group(1)
init = re.search(r'__version__ = "([^"]+)"', open("src/${pkg}/__init__.py").read()).group(1)
top = re.search(r"^## \\[([^\\]]+)\\]", open("CHANGELOG.md").read(), re.M)
result = {"pyproject": pyproject, "package": init, "changelog": top.group(1) if top else None}
result["ok"] = pyproject == init == result["changelog"]
os.makedirs("release", exist_ok=True)
json.dump(result, open("release/check.json", "w"), indent=2)
print("ok" if result["ok"] else f"inconsistent: {result}")
`,
      'RELEASING.md': `1. Work out the next version from the commits since the last tag (semver: a breaking change \`!\` → major, a \`feat\` → minor, otherwise patch).\n2. Set it in \`pyproject.toml\` and \`src/${pkg}/__init__.py\`.\n3. Add the changelog section on top: \`## [X.Y.Z] - YYYY-MM-DD\`, then \`### Breaking\`, \`### Added\` (feat), \`### Fixed\` (fix), in that order, empty ones left out; one \`- <description>\` line per commit, in log order. chore/ci/docs/test/refactor commits are not listed.\n4. Run \`python3 scripts/check_release.py\`.\n`,
      ...clutter(rng, d),
    };
    const render = (skip: ReadonlySet<Skip>, o: { noCheck?: boolean; blank?: boolean } = {}) => {
      const cs = skip.has('since-tag') ? [...newer, ...older] : newer;
      const v = bumpOf(cs, skip);
      return sh(
        `sed -i 's/^version = "${cur}"/version = "${v}"/' pyproject.toml\n`,
        skip.has('both-places') ? '' : `sed -i 's/__version__ = "${cur}"/__version__ = "${v}"/' src/${pkg}/__init__.py\n`,
        py(`p = "CHANGELOG.md"\ns = open(p).read()\nsec = ${JSON.stringify(section(cs, v, skip).replace(/\n\n$/, o.blank ? '\n\n\n' : '\n\n'))}\nopen(p, "w").write(s.replace("# Changelog\\n\\n", "# Changelog\\n\\n" + sec, 1))`),
        o.noCheck ? '' : 'python3 scripts/check_release.py || true\n',
      );
    };
    const next = bumpOf(newer, new Set());
    const want = section(newer, next, new Set());
    const checks: CheckInput[] = [
      { id: 'pyproject', type: 'text_matches', path: 'pyproject.toml', pattern: `^version = "${next.replace(/\./g, '\\.')}"$` },
      { id: 'package', type: 'text_matches', path: `src/${pkg}/__init__.py`, pattern: `^__version__ = "${next.replace(/\./g, '\\.')}"$` },
      { id: 'changelog_section', type: 'command', run: py(`s = open("CHANGELOG.md").read()\nwant = ${JSON.stringify(want.trim())}\nnorm = lambda t: [l.rstrip() for l in t.split("\\n") if l.strip()]\nstart = s.find("## [")\ntop = s[start:]\nend = top.find("\\n## [", 1)\nassert start >= 0 and norm(top[: end if end > 0 else None]) == norm(want), "top section differs"\nassert ${JSON.stringify(oldLog.trim().split('\n').slice(2).join('\n'))} in s, "older entries lost"`), weight: 2, description: 'the new section on top, exactly (blank lines aside); older entries kept' },
      { id: 'check_ok', type: 'json_path', path: 'release/check.json', query: '$.ok', equals: true },
      { id: 'check_version', type: 'json_path', path: 'release/check.json', query: '$.changelog', equals: next },
    ];
    const rules: Rule[] = [
      { id: 'since-tag', text: `Only commits after the last tag (v${cur}) go into this release.` },
      { id: 'bump', text: 'Semver: a breaking change (!) → major, any feat → minor, otherwise patch.' },
      { id: 'chores', text: 'chore/ci/docs/test/refactor commits are not listed in the changelog.' },
      { id: 'both-places', text: `The version is set in both pyproject.toml and src/${pkg}/__init__.py.` },
    ];
    const ask = say(rng, [
      `Can you cut the next ${pkg} release? The commits are in \`notes/commits.txt\` and the steps are in \`RELEASING.md\`.`,
      `Time to release ${pkg}. Please follow \`RELEASING.md\` using the commit log in \`notes/commits.txt\` (today is ${date}).`,
    ]);
    const paragraphs = [
      say(rng, [
        `Only what came after the last tag (\`v${cur}\`) belongs in this release; everything below the tag line in the log has shipped already. Work out the version from those commits the semver way (\`!\` = breaking → major, a \`feat\` → minor, else patch), and set it in both \`pyproject.toml\` and \`src/${pkg}/__init__.py\`.`,
        `The log also shows commits from before \`v${cur}\` — they were released already, leave them out. From the new ones, pick the next version (breaking \`!\` → major, \`feat\` → minor, otherwise patch) and put it in \`pyproject.toml\` and in \`src/${pkg}/__init__.py\`.`,
      ]),
      say(rng, [
        `Add the section on top of CHANGELOG.md as RELEASING.md describes — \`## [X.Y.Z] - ${date}\`, then Breaking / Added / Fixed (only those that have entries), one \`- <description>\` per commit in log order, no chore, ci, docs, test or refactor commits — and run \`python3 scripts/check_release.py\`; it should end up ok in \`release/check.json\`.`,
        `The new CHANGELOG.md section goes above the previous release: heading \`## [X.Y.Z] - ${date}\`, \`### Breaking\`, \`### Added\` and \`### Fixed\` in that order (skip empty ones), each commit as \`- <description after the colon>\` in the order of the log; housekeeping commits (chore, ci, docs, test, refactor) stay out. Finish with \`python3 scripts/check_release.py\` so \`release/check.json\` says ok.`,
      ]),
    ];
    const mutants = [
      ...rules.map((r) => wrong(`ignore-${r.id}`, r.id, `the oracle with "${r.text}" ignored`, render(new Set([r.id as Skip])))),
      shortcut('no-check', 'bumps and writes the changelog but never runs the release check', render(new Set(), { noCheck: true })),
      variant('extra-blank-line', 'an extra blank line after the new section', render(new Set(), { blank: true })),
    ];
    return {
      title: `Release ${pkg} ${next}`,
      instruction: request(ctx, ask, paragraphs),
      workspace: files,
      solution: render(new Set()),
      checks,
      rules,
      mutants,
      operations: ['read and parse text files', 'modify code or configuration files', 'update documentation', 'run scripts or commands'],
      tags: ['composed', 'release', 'semver'],
    };
  },
};
