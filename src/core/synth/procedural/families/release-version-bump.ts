/** Software Dev: cut a release from a conventional-commit git log — semver bump in the manifest(s) and a new CHANGELOG section. */
import type { CheckInput, Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { daysInMonth, pad2, weekday } from './calendar.js';
import { crowd, TEAM_NAMES } from './names.js';
import { codeList, say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';
import { SKIP_LINE, skipping, thenPython } from './rule-switches.js';

type Kind = 'node' | 'python';
type CType = 'feat' | 'fix' | 'perf' | 'noise';
interface Commit { hash: string; type: string; scope?: string; subject: string; breaking: 'bang' | 'footer' | null; author: string; email: string; date: [number, number, number, number]; merge?: string; pr?: string; tag?: string }

const FEAT = [
  'add CSV export to the reports page', 'support dark mode in the settings panel', 'allow filtering invoices by status', 'add a retry option to the HTTP client',
  'add a --dry-run flag to the sync command', 'verify webhook signatures', 'show upload progress', 'add keyboard shortcuts to the editor', 'support custom date formats',
  'add bulk delete for drafts', 'expose rate-limit headers', 'add SSO login with OIDC', 'add a health check endpoint', 'support gzip responses',
  'add an audit log for admin actions', 'allow pinning favourite projects', 'notify Slack about failed jobs', 'support multiple currencies', 'add a config validate command',
  'let admins export user lists', 'add per-project API tokens',
];
const FIX = [
  'handle empty search results', 'stop double-charging on retries', 'correct the timezone offset in reminders', 'escape quotes in CSV export',
  'avoid a crash when the config file is missing', 'keep the sort order after pagination', 'close database connections on shutdown', 'round invoice totals half up',
  'respect the proxy settings', 'trim whitespace in email addresses', 'show the right error on expired tokens', 'prevent duplicate webhook deliveries',
  'restore the scroll position after saving', 'parse ISO dates with offsets', 'release the lock when a job fails', 'ignore hidden files during import',
];
const PERF = ['cache compiled templates', 'batch database writes in the importer', 'stream large exports instead of buffering them', 'index the events table by user', 'lazy-load the charts bundle', 'reuse HTTP connections'];
const NOISE: Record<Kind, Array<[string, string]>> = {
  node: [['chore', 'bump eslint to v9'], ['chore', 'update the lockfile'], ['docs', 'document the retry option'], ['docs', 'fix typos in the README'], ['ci', 'run tests on Node 22'], ['ci', 'cache dependencies between jobs'], ['test', 'add tests for the date parser'], ['test', 'make the upload test deterministic'], ['refactor', 'extract the pagination helper'], ['style', 'format with prettier'], ['build', 'switch the bundler to esbuild'], ['chore', 'tidy up .gitignore']],
  python: [['chore', 'bump ruff to 0.6'], ['chore', 'refresh the lock file'], ['docs', 'document the retry option'], ['docs', 'fix typos in the README'], ['ci', 'run tests on Python 3.13'], ['ci', 'cache pip downloads between jobs'], ['test', 'add tests for the date parser'], ['test', 'make the upload test deterministic'], ['refactor', 'extract the pagination helper'], ['style', 'format with black'], ['build', 'switch to hatchling'], ['chore', 'tidy up .gitignore']],
};
const BREAKING: Record<Kind, string[]> = {
  node: ['drop support for the v1 API', 'require Node 20 or newer', 'remove the deprecated XML export', 'make config keys case-sensitive', 'return ISO timestamps instead of epoch seconds'],
  python: ['drop support for the v1 API', 'require Python 3.10 or newer', 'remove the deprecated XML export', 'make config keys case-sensitive', 'return ISO timestamps instead of epoch seconds'],
};
const BREAK_NOTES = ['clients must migrate before upgrading.', 'see the upgrade guide in docs/upgrading.md.', 'existing configs need to be updated.', 'callers relying on the old behaviour will break.'];
const SCOPES = ['api', 'cli', 'ui', 'auth', 'billing', 'parser', 'export', 'db', 'config', 'sync'];
const THINGS = ['orbit', 'ledger', 'relay', 'beacon', 'harvest', 'switchboard', 'compass', 'lantern', 'quill', 'pylon', 'tessera', 'margin'];
const DOW = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SECTIONS: Array<[string, (c: Commit) => boolean]> = [
  ['Breaking Changes', (c) => c.breaking !== null],
  ['Features', (c) => c.breaking === null && c.type === 'feat'],
  ['Bug Fixes', (c) => c.breaking === null && c.type === 'fix'],
  ['Performance', (c) => c.breaking === null && c.type === 'perf'],
];

const iso = ([y, m, d]: readonly number[]) => `${y}-${pad2(m!)}-${pad2(d!)}`;
function back(y: number, m: number, d: number, n: number): [number, number, number] {
  let [yy, mm, dd] = [y, m, d - n];
  while (dd < 1) {
    mm--;
    if (mm < 1) {
      mm = 12;
      yy--;
    }
    dd += daysInMonth(yy, mm);
  }
  return [yy, mm, dd];
}
const entry = (c: Commit) => `- ${c.scope ? `**${c.scope}:** ` : ''}${c.subject} (${c.hash.slice(0, 7)})`;
function section(version: string, date: string, commits: Commit[]): string {
  const parts = [`## [${version}] - ${date}`];
  for (const [title, keep] of SECTIONS) {
    const xs = commits.filter(keep);
    if (xs.length) parts.push(`### ${title}\n\n${xs.map(entry).join('\n')}`);
  }
  return parts.join('\n\n') + '\n';
}
function bump(v: [number, number, number], commits: Commit[]): [number, number, number] {
  if (commits.some((c) => c.breaking)) return [v[0] + 1, 0, 0];
  if (commits.some((c) => c.type === 'feat')) return [v[0], v[1] + 1, 0];
  return [v[0], v[1], v[2] + 1];
}

export const releaseVersionBump: Family = {
  id: 'release-version-bump',
  version: 2,
  category: 'Software Dev',
  subcategory: 'prototype development and delivery',
  summary: 'Cut a release from a conventional-commit git log: semver bump in the manifest(s) and a new Keep-a-Changelog section.',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const kind: Kind = rng.chance(0.5) ? 'node' : 'python';
    const team = rng.pick(TEAM_NAMES);
    const thing = `${rng.pick(THINGS)}${rng.pick(['', '-core', '-sync', '-api', '-cli'])}`;
    const name = kind === 'node' ? (rng.chance(0.5) ? `@${team}/${thing}` : thing) : thing;
    const mod = thing.replace(/-/g, '_');
    const cur: [number, number, number] = [rng.int(1, 4), rng.int(0, 12), rng.int(0, 9)];
    const curS = cur.join('.');
    const people = crowd(rng, 5);
    const hex = () => Array.from({ length: 40 }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');
    const pools = { feat: rng.shuffle(FEAT), fix: rng.shuffle(FIX), perf: rng.shuffle(PERF), noise: rng.shuffle(NOISE[kind]), breaking: rng.shuffle(BREAKING[kind]) };
    const make = (t: CType, scoped: boolean): Commit => {
      const who = rng.pick(people);
      const [type, subject] = t === 'noise' ? pools.noise.pop() ?? ['chore', 'update dependencies'] : [t, pools[t].pop() ?? `${t} tweak ${rng.int(1, 99)}`];
      return { hash: hex(), type, scope: scoped && rng.chance(0.6) ? rng.pick(SCOPES) : undefined, subject, breaking: null, author: who.full, email: `${who.handle}@${team}.dev`, date: [0, 0, 0, 0] };
    };
    // The release: commits since the last tag, newest first (as git log prints them).
    const n = 3 + d + rng.int(0, 2);
    const types: CType[] = [];
    for (let i = 0; i < n; i++) {
      const r = rng.next();
      types.push(d >= 2 && r < 0.3 ? 'noise' : d >= 3 && r < 0.4 ? 'perf' : r < 0.65 ? 'fix' : 'feat');
    }
    // Every rule shows: a feature (minor bump), two fixes (their order in the log, and Features before Bug Fixes),
    // housekeeping to leave out (d2+) and a breaking change (d4+).
    if (!types.includes('feat')) types.push('feat');
    while (types.filter((t) => t === 'fix').length < 2) types.push('fix');
    if (d >= 2 && !types.includes('noise')) types.push('noise');
    const commits = rng.shuffle(types).map((t) => make(t, d >= 3));
    if (d >= 4) {
      const c = make(rng.pick(['feat', 'fix'] as const), d >= 3);
      c.subject = pools.breaking.pop()!;
      c.breaking = rng.chance(0.5) ? 'bang' : 'footer';
      commits.splice(rng.int(0, commits.length), 0, c);
    }
    // Log order is not alphabetical order in at least one section.
    const fixes = commits.filter((c) => c.type === 'fix' && !c.breaking);
    if (fixes.map(entry).join('\n') === fixes.map(entry).sort().join('\n')) {
      const [i, j] = [commits.indexOf(fixes[0]!), commits.indexOf(fixes[1]!)];
      [commits[i], commits[j]] = [commits[j]!, commits[i]!];
    }
    const next = bump(cur, commits);
    const nextS = next.join('.');
    // Dates: the release day, commits in the weeks before, older releases before that.
    const rel: [number, number, number] = [rng.int(2024, 2026), rng.int(1, 12), rng.int(1, 28)];
    const relS = iso(rel);
    let age = 0;
    const stamp = (): [number, number, number, number] => {
      age += rng.int(0, 3);
      return [...back(rel[0], rel[1], rel[2], age), rng.int(8 * 3600, 19 * 3600)];
    };
    for (const c of commits) c.date = stamp();
    const tagCommit: Commit = { ...make('noise', false), type: 'chore', scope: 'release', subject: curS, tag: `v${curS}`, date: stamp() };
    // Older history (only shown at d5, where the log is not cut at the tag).
    const older: Commit[] = d >= 5 ? Array.from({ length: rng.int(3, 5) }, () => make(rng.pick(['feat', 'fix', 'noise'] as const), true)) : [];
    for (const c of older) c.date = stamp();
    // d5: merge commits are not conventional commits and do not go in the changelog.
    const log: Commit[] = [...commits];
    if (d >= 5) {
      for (let k = 0; k < 2; k++) {
        const at = rng.int(0, log.length);
        // GitHub puts the pull request's title (a conventional commit line) in the merge's body.
        const pr = rng.pick(commits.filter((c) => c.type === 'feat' || c.type === 'fix'));
        const m: Commit = { ...make('noise', false), type: 'merge', subject: `Merge pull request #${rng.int(100, 999)} from ${team}/${rng.pick(['feature', 'fix', 'chore'])}-${rng.int(10, 99)}`, merge: `${hex().slice(0, 7)} ${hex().slice(0, 7)}`, pr: `${pr.type}${pr.scope ? `(${pr.scope})` : ''}: ${pr.subject}`, date: log[Math.min(at, log.length - 1)]!.date };
        log.splice(at, 0, m);
      }
    }
    const fullLog = d >= 5 ? [...log, tagCommit, ...older] : log;
    const render = (c: Commit, i: number) => {
      const [y, m, dd, secs] = c.date;
      const deco = i === 0 ? ' (HEAD -> main, origin/main)' : c.tag ? ` (tag: ${c.tag})` : '';
      const head = c.merge ? c.subject : `${c.type}${c.scope ? `(${c.scope})` : ''}${c.breaking === 'bang' ? '!' : ''}: ${c.subject}`;
      const body = c.breaking === 'footer' ? `\n\n    BREAKING CHANGE: ${rng.pick(BREAK_NOTES)}` : c.merge ? `\n\n    ${c.pr}` : rng.chance(0.25) ? `\n\n    ${rng.pick(['Reviewed in the weekly sync.', `Refs #${rng.int(100, 999)}.`, 'Follow-up to the earlier change.', `Co-authored-by: ${rng.pick(people).full} <noreply@${team}.dev>`])}` : '';
      return `commit ${c.hash}${deco}\n${c.merge ? `Merge: ${c.merge}\n` : ''}Author: ${c.author} <${c.email}>\nDate:   ${DOW[weekday(y, m, dd)]} ${MON[m - 1]} ${dd} ${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor((secs % 3600) / 60))}:${pad2(secs % 60)} ${y} +0000\n\n    ${head}${body}\n`;
    };
    const logText = fullLog.map(render).join('\n');
    const logPath = d >= 5 ? rng.pick(['release/git-log.txt', 'notes/git-log.txt']) : rng.pick([`release/commits-since-v${curS}.txt`, `release/git-log-v${curS}..HEAD.txt`]);

    // Older releases already in CHANGELOG.md, in the same format.
    const oldReleases: string[] = [];
    let v: [number, number, number] = [...cur];
    let when: [number, number, number] = [tagCommit.date[0], tagCommit.date[1], tagCommit.date[2]];
    for (let k = 0, nOld = rng.int(2, 3); k < nOld; k++) {
      // Consistent with semver: a patch release holds fixes only, a minor one at least one feature.
      const cs = Array.from({ length: rng.int(1, 2) }, (_, i) => make(v[2] > 0 ? 'fix' : i === 0 ? 'feat' : rng.pick(['feat', 'fix'] as const), true));
      oldReleases.push(section(v.join('.'), iso(when), cs));
      v = v[2] > 0 ? [v[0], v[1], v[2] - 1] : v[1] > 0 ? [v[0], v[1] - 1, rng.int(0, 3)] : [v[0] - 1, rng.int(3, 9), rng.int(0, 3)];
      when = back(when[0], when[1], when[2], rng.int(20, 60));
    }
    const intro = '# Changelog\n\nAll notable changes to this project are documented in this file. The format follows\n[Keep a Changelog](https://keepachangelog.com/) and versions follow [Semantic Versioning](https://semver.org/).\n\n';
    const changelog = intro + oldReleases.join('\n');
    const newSection = section(nextS, relS, commits);

    const workspace: Record<string, string> = { 'CHANGELOG.md': changelog, [logPath]: logText };
    const checks: CheckInput[] = [];
    const versionFiles: string[] = [];
    if (kind === 'node') {
      workspace['package.json'] = JSON.stringify({ name, version: curS, description: `${thing} service of the ${team} team`, main: 'src/index.js', type: 'module', scripts: { test: 'node --test', lint: 'eslint src' }, dependencies: { express: '^4.19.2', zod: '^3.23.8' }, license: 'MIT' }, null, 2) + '\n';
      workspace['src/index.js'] = `import express from 'express';\nimport { VERSION } from './version.js';\n\nconst app = express();\napp.get('/version', (_req, res) => res.json({ version: VERSION }));\napp.listen(process.env.PORT ?? 3000);\n`;
      versionFiles.push('package.json');
      checks.push({ id: 'manifest_version', type: 'json_path', path: 'package.json', query: '$.version', equals: nextS, weight: 2 });
      if (d >= 2) {
        workspace['src/version.js'] = `// Kept in sync with package.json by the release process.\nexport const VERSION = '${curS}';\n`;
        versionFiles.push('src/version.js');
        checks.push({ id: 'version_js', type: 'text_contains', path: 'src/version.js', text: `export const VERSION = '${nextS}';` });
      } else {
        workspace['src/version.js'] = `import { createRequire } from 'node:module';\n\nexport const VERSION = createRequire(import.meta.url)('../package.json').version;\n`;
      }
      if (d >= 3) {
        workspace['package-lock.json'] = JSON.stringify({ name, version: curS, lockfileVersion: 3, requires: true, packages: { '': { name, version: curS, license: 'MIT', dependencies: { express: '^4.19.2', zod: '^3.23.8' } }, 'node_modules/express': { version: '4.19.2' }, 'node_modules/zod': { version: '3.23.8' } } }, null, 2) + '\n';
        versionFiles.push('package-lock.json');
        checks.push({ id: 'lock_version', type: 'json_path', path: 'package-lock.json', query: '$.version', equals: nextS }, { id: 'lock_root_version', type: 'json_path', path: 'package-lock.json', query: "$.packages['']['version']", equals: nextS });
      }
    } else {
      workspace['pyproject.toml'] = `[project]\nname = "${thing}"\nversion = "${curS}"\ndescription = "${thing} service of the ${team} team"\nrequires-python = ">=3.10"\ndependencies = ["httpx>=0.27", "pydantic>=2.7"]\n\n[project.scripts]\n${thing} = "${mod}.cli:main"\n`;
      versionFiles.push('pyproject.toml');
      checks.push({ id: 'manifest_version', type: 'text_matches', path: 'pyproject.toml', pattern: `^version = "${nextS.replace(/\./g, '\\.')}"$`, weight: 2 });
      workspace[`src/${mod}/cli.py`] = `"""Entry point of ${thing}."""\nfrom . import __version__\n\n\ndef main():\n    print("${thing}", __version__)\n`;
      if (d >= 2) {
        workspace[`src/${mod}/__init__.py`] = `"""${thing}."""\n\n__version__ = "${curS}"\n`;
        versionFiles.push(`src/${mod}/__init__.py`);
        checks.push({ id: 'dunder_version', type: 'text_contains', path: `src/${mod}/__init__.py`, text: `__version__ = "${nextS}"` });
      } else {
        workspace[`src/${mod}/__init__.py`] = `"""${thing}."""\nfrom importlib.metadata import version\n\n__version__ = version("${thing}")\n`;
      }
      if (d >= 3) {
        workspace['docs/conf.py'] = `# Sphinx configuration.\nproject = "${thing}"\nauthor = "${team} team"\nrelease = "${curS}"\nextensions = ["sphinx.ext.autodoc"]\n`;
        versionFiles.push('docs/conf.py');
        checks.push({ id: 'docs_release', type: 'text_contains', path: 'docs/conf.py', text: `release = "${nextS}"` });
      }
    }
    const entries = commits.filter((c) => SECTIONS.some(([, keep]) => keep(c))).map(entry);
    checks.push(
      { id: 'changelog_heading', type: 'text_contains', path: 'CHANGELOG.md', text: `## [${nextS}] - ${relS}` },
      // Up to the previous release's heading, so nothing extra may sit between the two.
      { id: 'changelog_section', type: 'text_contains', path: 'CHANGELOG.md', text: `${newSection}\n## [${curS}]`, normalize: { whitespace: true }, weight: 3, description: 'the new section, exactly (blank lines aside), right above the previous release' },
      { id: 'changelog_entries', type: 'text_contains', path: 'CHANGELOG.md', text: entries, weight: 2 },
      { id: 'changelog_on_top', type: 'text_matches', path: 'CHANGELOG.md', pattern: `^# Changelog[\\s\\S]*## \\[${nextS.replace(/\./g, '\\.')}\\][\\s\\S]*## \\[${curS.replace(/\./g, '\\.')}\\]`, flags: '' },
      { id: 'older_releases_kept', type: 'text_contains', path: 'CHANGELOG.md', text: oldReleases[0]!.trim(), weight: 0 },
    );

    const ask = say(rng, [
      'Time to cut the next release of `{name}`. The commits since v{cur} are in `{log}` — please bump the version and write the changelog section.',
      'Please prepare release notes and the version bump for `{name}` (currently {cur}). I exported the git history to `{log}`.',
      'Could you do the release chores for {name}? Work out the next version from `{log}` and update CHANGELOG.md and the version number{s}.',
      'We ship `{name}` on {date}. From the conventional commits in `{log}`, bump the version (now {cur}) and add the changelog entry.',
      'Release prep for {name}: `{log}` has the git log. I need the semver bump and a new CHANGELOG.md section.',
      'New version of `{name}` goes out {date}. Can you turn `{log}` into a changelog section and bump {files}?',
    ], { name, cur: curS, log: logPath, date: relS, s: versionFiles.length > 1 ? 's' : '', files: codeList(versionFiles) });
    const b = rng.pick(['- ', '* ']);
    const versionRule =
      d <= 2
        ? say(rng, [
            'Version rule: any breaking change bumps the major, otherwise any `feat` bumps the minor, otherwise it is a patch release.',
            'Semver from the commit types: breaking change → major, a `feat` → minor, only fixes/perf → patch.',
          ])
        : say(rng, ['Pick the next version the usual Conventional Commits / semver way.', 'Bump according to semver as implied by the conventional commit types (breaking changes included).', 'Next version = what semver says given the commit types.']);
    const filesLine = say(rng, ['Update the version in {files}.', 'The version lives in {files}; change it everywhere.', 'Version strings to update: {files}.'], { files: codeList(versionFiles) });
    const topLine = say(rng, [
      'Add `## [<version>] - {date}` above the previous release in CHANGELOG.md, in the same style as the existing sections.',
      'CHANGELOG.md gets a new section `## [<version>] - {date}` at the top of the release list, formatted like the ones below it.',
      'Insert the new release (dated {date}) as the first section of CHANGELOG.md; copy the format of the existing sections exactly.',
    ], { date: relS });
    const groupLine = say(rng, [
      'Subsections, only when non-empty and in this order: `### Breaking Changes`, `### Features`, `### Bug Fixes`, `### Performance`.',
      'Group entries under `### Breaking Changes`, `### Features`, `### Bug Fixes` and `### Performance` (that order; skip empty groups).',
    ]);
    const entryLine = say(rng, [
      'Each entry is `- **scope:** description (abc1234)` — the scope part only if the commit has one, and the hash shortened to 7 characters; keep the order of the log (newest first).',
      'Entries look like the existing ones: `- description (short hash)`, with `**scope:** ` before the description when the commit has a scope. Same order as in the log.',
    ]);
    const details = [b + versionRule, b + filesLine, b + topLine, b + groupLine, b + entryLine];
    const rules: Rule[] = [
      { id: 'semver', text: versionRule },
      { id: 'version-files', text: filesLine },
      { id: 'changelog-top', text: topLine },
      { id: 'section-order', text: groupLine },
      { id: 'entry-format', text: 'entries are `- **scope:** description (short hash)`, the hash shortened to 7 characters' },
      { id: 'log-order', text: 'entries keep the order of the log' },
    ];
    const state = (id: string, line: string) => {
      details.push(b + line);
      rules.push({ id, text: line });
    };
    if (d >= 2) state('noise-excluded', say(rng, ['Commits of other types (chore, docs, ci, test, refactor, style, build) stay out of the changelog.', 'Housekeeping commits — chore, docs, ci, test, refactor, style, build — are not listed.']));
    if (d >= 4) state('breaking', say(rng, ['A breaking change (a `!` after the type/scope, or a `BREAKING CHANGE:` footer) is listed only under Breaking Changes, with its subject.', 'Breaking commits — `type!:` or a `BREAKING CHANGE:` footer — appear under Breaking Changes only (not again under their type).']));
    if (d >= 5) {
      details.push(b + say(rng, ['The log goes back past the v{cur} tag; only what came after the tag is in this release. Merge commits are not entries.', 'Careful: `{log}` is the full history, so stop at the commit tagged v{cur}; skip merge commits.'], { cur: curS, log: logPath }));
      rules.push({ id: 'stop-at-tag', text: `only the commits after the v${curS} tag` }, { id: 'skip-merges', text: 'merge commits are not entries' });
    }
    const instruction = voiced(ctx, ask, details);

    const solution = pyOracle(String.raw`
${SKIP_LINE}
cur, date, d = ${JSON.stringify(curS)}, ${JSON.stringify(relS)}, ${d}
blocks = re.split(r"^commit ", open(${JSON.stringify(logPath)}).read(), flags=re.M)[1:]
commits = []
for blk in blocks:
    head, _, rest = blk.partition("\n")
    if ("tag: v" + cur + ")" in head or "tag: v" + cur + "," in head) and "stop-at-tag" not in SKIP:
        break
    merge = "\nMerge:" in "\n" + rest
    if merge and "skip-merges" not in SKIP:
        continue
    msg = [l[4:] for l in rest.split("\n") if l.startswith("    ")]
    m = None
    for l in (msg[1:] if merge else msg[:1]):
        m = m or re.match(r"^(\w+)(?:\(([^)]+)\))?(!)?: (.+)$", l)
    if not m:
        continue
    breaking = (bool(m.group(3)) or any(l.startswith("BREAKING CHANGE:") for l in msg[1:])) and "breaking" not in SKIP
    full = head.split()[0]
    commits.append({"hash": full if "entry-format" in SKIP else full[:7], "type": m.group(1), "scope": None if "entry-format" in SKIP else m.group(2), "subject": m.group(4), "breaking": breaking})
major, minor, patch = map(int, cur.split("."))
if "semver" in SKIP:
    new = "%d.%d.%d" % (major, minor, patch + 1)
elif any(c["breaking"] for c in commits):
    new = "%d.0.0" % (major + 1)
elif any(c["type"] == "feat" for c in commits):
    new = "%d.%d.0" % (major, minor + 1)
else:
    new = "%d.%d.%d" % (major, minor, patch + 1)
def line(c):
    return "- " + ("**%s:** " % c["scope"] if c["scope"] else "") + c["subject"] + " (" + c["hash"] + ")"
KINDS = ("feat", "fix", "perf")
groups = [("Breaking Changes", lambda c: c["breaking"]), ("Features", lambda c: not c["breaking"] and c["type"] == "feat"), ("Bug Fixes", lambda c: not c["breaking"] and c["type"] == "fix"), ("Performance", lambda c: not c["breaking"] and c["type"] == "perf")]
if "noise-excluded" in SKIP:
    groups.append(("Other Changes", lambda c: not c["breaking"] and c["type"] not in KINDS))
if "section-order" in SKIP:
    groups.sort()
if "flat-list" in SKIP:
    groups = [("Changes", lambda c: c["breaking"] or c["type"] in KINDS)]
parts = ["## [%s] - %s" % (new, date)]
for title, keep in groups:
    xs = [line(c) for c in commits if keep(c)]
    if "log-order" in SKIP:
        xs.sort()
    if xs:
        parts.append("### " + title + "\n\n" + "\n".join(xs))
section = "\n\n".join(parts) + "\n\n"
log = open("CHANGELOG.md").read()
i = len(log) if "changelog-top" in SKIP else log.index("\n## [") + 1
open("CHANGELOG.md", "w").write(log[:i] + ("\n" if "changelog-top" in SKIP else "") + section + log[i:])
paths = ${JSON.stringify(versionFiles)}
if "version-files" in SKIP:
    paths = paths[:1] if len(paths) > 1 else []
for path in paths:
    text = open(path).read()
    if path.endswith(".json"):
        data = json.loads(text)
        data["version"] = new
        if "packages" in data:
            data["packages"][""]["version"] = new
        open(path, "w").write(json.dumps(data, indent=2) + "\n")
    else:
        open(path, "w").write(re.sub(r"""^((?:version|__version__|release|export const VERSION) = ["'])""" + re.escape(cur) + r"""(["'])""", lambda m: m.group(1) + new + m.group(2), text, flags=re.M))
`);
    const ignoring: Record<string, string> = {
      semver: 'always bumps the patch version',
      'version-files': versionFiles.length > 1 ? 'updates only the first version file' : 'leaves the version file alone',
      'changelog-top': 'appends the new section at the end of CHANGELOG.md',
      'section-order': 'orders the subsections alphabetically',
      'entry-format': 'writes full hashes and drops the scope',
      'log-order': 'sorts entries alphabetically',
      'noise-excluded': 'lists housekeeping commits under "Other Changes"',
      breaking: 'ignores `!` and `BREAKING CHANGE:` (no major bump, listed under its type)',
      'stop-at-tag': 'reads past the tag into older releases',
      'skip-merges': 'lists a merge commit again, from its pull-request title',
    };
    const mutants: Mutant[] = [
      ...rules.map((r) => ({ id: `ignores-${r.id}`, kind: 'wrong' as const, rule: r.id, description: ignoring[r.id]!, solution: skipping(solution, r.id) })),
      { id: 'flat-list', kind: 'wrong', shortcut: 'one flat list of entries with no subsections', description: 'no Breaking/Features/Bug Fixes/Performance groups', solution: skipping(solution, 'flat-list') },
      {
        id: 'tight-headings-reindented',
        kind: 'variant',
        description: 'no blank line under the ### headings, JSON manifests indented by 4 spaces',
        solution: thenPython(solution, `
text = open("CHANGELOG.md").read()
open("CHANGELOG.md", "w").write(re.sub(r"^(### .+)\\n\\n", r"\\1\\n", text, flags=re.M))
for path in ["package.json", "package-lock.json"]:
    if os.path.exists(path):
        data = json.load(open(path))
        open(path, "w").write(json.dumps(data, indent=4) + "\\n")
`),
      },
    ];
    return {
      title: `Release ${nextS} of ${name}`,
      instruction,
      workspace,
      solution,
      checks,
      rules,
      mutants,
      operations: ['read local files and extract relevant content', 'modify code or configuration files', 'edit or rewrite existing local documents'],
      tags: ['release', 'changelog', kind],
    };
  },
};
