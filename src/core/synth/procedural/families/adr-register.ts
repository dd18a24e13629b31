/** Planning & Knowledge: build a register of architecture decision records (ADRs) — effective status, decisions in force, supersession chains. */
import type { CheckInput, Family } from '../family.js';
import { voiced } from '../family.js';
import { addDays, pad2 } from './calendar.js';
import { MONTHS } from './common.js';
import { crowd, TEAM_NAMES } from './names.js';
import { say, slug } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

/** Each area's options in the order a team would plausibly move through them. */
const AREAS: Record<string, { options: string[]; pain: string[] }> = {
  storage: { options: ['Use PostgreSQL for the order store', 'Move order history to DynamoDB', 'Consolidate on Aurora PostgreSQL'], pain: ['the order tables keep growing', 'reporting queries slow down checkout'] },
  messaging: { options: ['Use RabbitMQ for background jobs', 'Adopt Kafka for domain events', 'Use SQS for job queues'], pain: ['jobs are lost when a worker restarts', 'several services poll each other for changes'] },
  api: { options: ['Expose a REST API described with OpenAPI', 'Introduce a GraphQL gateway', 'Use gRPC between internal services'], pain: ['clients over-fetch on mobile', 'every team documents endpoints differently'] },
  frontend: { options: ['Build the web app with React', 'Server-render pages with Next.js', 'Adopt Svelte for the admin console'], pain: ['the bundle size hurts first load', 'the admin console is hard to change'] },
  auth: { options: ['Run Keycloak for single sign-on', 'Move authentication to Auth0', 'Issue short-lived JWT access tokens'], pain: ['each service checks sessions its own way', 'running the identity server costs on-call time'] },
  deploy: { options: ['Deploy services on ECS', 'Migrate workloads to Kubernetes', 'Use Argo CD for GitOps deployments'], pain: ['deploys are manual and slow', 'environments drift apart'] },
  observability: { options: ['Collect metrics with Prometheus', 'Ship logs to Datadog', 'Instrument services with OpenTelemetry'], pain: ['incidents take long to diagnose', 'we cannot follow a request across services'] },
  testing: { options: ['Run end-to-end tests with Cypress', 'Replace Cypress with Playwright', 'Adopt contract tests with Pact'], pain: ['the end-to-end suite is flaky', 'integration bugs reach staging'] },
  workflow: { options: ['Use trunk-based development', 'Require two reviewers for production changes', 'Adopt feature flags for risky releases'], pain: ['long-lived branches cause painful merges', 'risky changes ship without a second look'] },
};
const CONSEQUENCES = ['The team needs a short training session.', 'Runbooks must be updated.', 'We accept some migration work next quarter.', 'Costs go up slightly, operations get simpler.', 'Local development needs one more container.', 'Existing dashboards have to be rebuilt.'];

type Status = 'accepted' | 'proposed' | 'rejected' | 'deprecated' | 'superseded';
interface Adr { n: number; title: string; area: string; date: [number, number, number]; status: Status; supersedes: number[]; replacedBy?: number; staleDeclared?: boolean; style: 'nygard' | 'madr'; heading: 'numbered' | 'plain' | 'prefixed'; longDate: boolean; author: string }

const id = (n: number) => `ADR-${String(n).padStart(4, '0')}`;
const iso = ([y, m, d]: readonly number[]) => `${y}-${pad2(m!)}-${pad2(d!)}`;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const adrRegister: Family = {
  id: 'adr-register',
  version: 1,
  category: 'Planning & Knowledge',
  subcategory: 'solution and architecture design',
  summary: 'Build a register of architecture decision records: effective status (with stale "Accepted" labels), decisions in force, supersession chains, open proposals.',
  domains: ['software'],
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const team = rng.pick(TEAM_NAMES);
    const authors = crowd(rng, 4).map((p) => p.full);
    const areas = rng.sample(Object.keys(AREAS), 2 + Math.ceil(d / 2));
    const extraTitles = rng.shuffle(Object.keys(AREAS).filter((a) => !areas.includes(a)).map((a) => ({ area: a, title: AREAS[a]!.options[0]! })));
    const nProposed = d >= 2 ? rng.int(1, 2) : 0;
    // Per area a chain of 1–3 decisions; interleave the chains, keeping each chain's order.
    const chains = areas.map((a) => AREAS[a]!.options.slice(0, rng.int(d >= 3 ? 2 : 1, 3)).map((title) => ({ area: a, title, status: 'accepted' as Status })));
    // d4+: an older decision retired without a replacement joins the timeline as a chain of its own.
    if (d >= 4) chains.push(extraTitles.slice(nProposed, nProposed + 1).map((x) => ({ ...x, status: 'deprecated' as Status })));
    const order: Array<{ area: string; title: string; status: Status }> = [{ area: 'meta', title: 'Record architecture decisions', status: 'accepted' }];
    const cursors = chains.map(() => 0);
    while (cursors.some((c, i) => c < chains[i]!.length)) {
      const open = chains.map((_, i) => i).filter((i) => cursors[i]! < chains[i]!.length);
      const i = rng.pick(open);
      order.push(chains[i]![cursors[i]!++]!);
    }
    let date: [number, number, number] = [rng.int(2019, 2022), rng.int(1, 12), rng.int(1, 28)];
    const styleOf = (): Pick<Adr, 'style' | 'heading' | 'longDate'> => ({
      style: d >= 3 && rng.chance(0.4) ? 'madr' : 'nygard',
      heading: d >= 2 ? rng.pick(['numbered', 'plain', 'prefixed'] as const) : 'numbered',
      longDate: d >= 5 && rng.chance(0.4),
    });
    const adrs: Adr[] = order.map((o, k) => {
      date = addDays(...date, rng.int(12, 80));
      return { n: k + 1, title: o.title, area: o.area, date, status: o.status, supersedes: [], author: rng.pick(authors), ...styleOf() };
    });
    // Within each area, a later decision replaces the one before it.
    for (const a of areas) {
      const xs = adrs.filter((x) => x.area === a);
      for (let k = 1; k < xs.length; k++) {
        xs[k - 1]!.status = 'superseded';
        xs[k - 1]!.replacedBy = xs[k]!.n;
        xs[k]!.supersedes.push(xs[k - 1]!.n);
      }
    }
    // d4+: someone forgot to relabel a replaced ADR: its own file still says Accepted.
    if (d >= 4) {
      const replaced = adrs.filter((x) => x.status === 'superseded');
      for (const x of rng.sample(replaced, Math.min(replaced.length, rng.int(1, 2)))) x.staleDeclared = true;
    }
    // Newer ideas still under discussion, and (d5) a rejected one.
    const extras: Array<{ area: string; title: string; status: Status }> = [
      ...extraTitles.slice(0, nProposed).map((x) => ({ ...x, status: 'proposed' as const })),
      ...(d >= 5 ? extraTitles.slice(nProposed + 1, nProposed + 2).map((x) => ({ ...x, status: 'rejected' as const })) : []),
    ];
    for (const x of rng.shuffle(extras)) {
      date = addDays(...date, rng.int(5, 40));
      adrs.push({ n: adrs.length + 1, title: x.title, area: x.area, date, status: x.status, supersedes: [], author: rng.pick(authors), ...styleOf() });
    }
    // d5: a proposal that would replace a decision in force — not accepted yet, so it replaces nothing.
    const inForceNow = adrs.filter((x) => x.status === 'accepted' && x.area !== 'meta');
    if (d >= 5 && inForceNow.length) {
      const target = rng.pick(inForceNow);
      const alt = AREAS[target.area]!.options.find((t) => !adrs.some((x) => x.title === t)) ?? `Revisit: ${target.title.toLowerCase()}`;
      date = addDays(...date, rng.int(3, 20));
      adrs.push({ n: adrs.length + 1, title: alt, area: target.area, date, status: 'proposed', supersedes: [target.n], author: rng.pick(authors), ...styleOf() });
    }

    const dir = rng.pick(['docs/adr', 'docs/architecture/decisions', 'adr', 'doc/decisions']);
    const file = (x: Adr) => `${String(x.n).padStart(4, '0')}-${slug(x.title)}.md`;
    const byN = new Map(adrs.map((x) => [x.n, x]));
    const link = (n: number) => `[${id(n)}](${file(byN.get(n)!)})`;
    const workspace: Record<string, string> = {};
    for (const x of adrs) {
      const declared = x.status === 'superseded' && !x.staleDeclared ? `Superseded by ${link(x.replacedBy!)}` : x.status === 'superseded' ? 'Accepted' : cap(x.status);
      const title = x.heading === 'numbered' ? `${x.n}. ${x.title}` : x.heading === 'prefixed' ? `${id(x.n)}: ${x.title}` : x.title;
      const when = x.longDate ? `${x.date[2]} ${MONTHS[x.date[1] - 1]} ${x.date[0]}` : iso(x.date);
      const pain = x.area === 'meta' ? 'we keep re-discussing choices nobody wrote down' : rng.pick(AREAS[x.area]!.pain);
      const sup = x.supersedes.map((n) => `Supersedes ${link(n)}`);
      const context = `## Context\n\n${cap(pain)}. ${rng.pick(['We compared two or three options in a spike.', 'This came up in the last architecture review.', `The ${team} team raised it during planning.`, 'Several incidents pointed at the same gap.'])}\n`;
      const decision = `## Decision\n\nWe will ${x.title.charAt(0).toLowerCase()}${x.title.slice(1)}.\n`;
      const cons = `## Consequences\n\n${rng.pick(CONSEQUENCES)}\n`;
      workspace[`${dir}/${file(x)}`] =
        x.style === 'madr'
          ? `---\nstatus: ${declared.replace(/^[A-Z]/, (c) => c.toLowerCase())}\ndate: ${iso(x.date)}\ndeciders: ${x.author}\n---\n# ${title}\n\n${sup.map((s) => `${s}.\n\n`).join('')}${context}\n${decision}\n${cons}`
          : `# ${title}\n\nDate: ${when}\n\n## Status\n\n${declared}\n${sup.map((s) => `\n${s}\n`).join('')}\n${context}\n${decision}\n${cons}`;
    }
    workspace[`${dir}/README.md`] = `# Architecture decisions\n\nWe record significant decisions as ADRs, one file per decision (\`NNNN-title.md\`). Start from the template when you add one.\n`;
    if (d >= 3) workspace[`${dir}/adr-template.md`] = `# NUMBER. TITLE\n\nDate: YYYY-MM-DD\n\n## Status\n\nProposed | Accepted | Superseded by ADR-XXXX\n\n## Context\n\n## Decision\n\n## Consequences\n`;

    // Ground truth.
    const decisions = adrs.map((x) => ({ id: id(x.n), title: x.title, ...(d >= 2 ? { date: iso(x.date) } : {}), status: x.status }));
    const inForce = adrs.filter((x) => x.status === 'accepted').map((x) => id(x.n));
    const finalOf = (x: Adr): Adr => (x.replacedBy ? finalOf(byN.get(x.replacedBy)!) : x);
    const supersededBy = Object.fromEntries(adrs.filter((x) => x.status === 'superseded').map((x) => [id(x.n), id(finalOf(x).n)]));
    const proposals = adrs.filter((x) => x.status === 'proposed').map((x) => id(x.n));
    const out = rng.pick([`${dir}/register.json`, 'reports/adr-register.json', `${dir}/index.json`]);

    const last = adrs[adrs.length - 1]!;
    const sample = rng.pick(adrs.slice(1));
    const ask =
      say(rng, [
        'Our ADR folder `{dir}/` has {n} decision records and nobody knows which ones still apply. Could you build a register of them?',
        'Please go through the architecture decision records in `{dir}/` and summarise where each one stands.',
        'New joiners on {team} keep asking which architecture decisions are current. Can you compile the ADRs in `{dir}/` into one JSON register?',
        'Before the architecture review I need an overview of every ADR in `{dir}/`: what was decided, and what is still in force.',
        'Could you audit `{dir}/` ({n} ADRs) and tell me which decisions are live, replaced or still open?',
        'I want a machine-readable index of our decision records (`{dir}/`) for the {team} wiki.',
        'The {team} architecture log in `{dir}/` needs a status overview. Can you put one together?',
        'Which of our recorded architecture decisions still hold? The records live in `{dir}/`; please turn them into a register.',
      ], { dir, n: adrs.length, team }) +
      ' ' +
      say(rng, [
        'They run from {first} to {lastid}, the newest from {when}.',
        'For example, "{title}" ({sid}) — I honestly do not know whether that one is still current.',
        '{n} files, written by {authors} over the years.',
        'The oldest goes back to {year}; the latest, {lastid}, is "{ltitle}".',
        '{authors} wrote most of them; statuses were not always kept up to date.',
        'We started the log in {year} with {first}.',
      ], { first: id(1), lastid: id(last.n), when: `${MONTHS[last.date[1] - 1]} ${last.date[0]}`, title: sample.title, sid: id(sample.n), n: adrs.length, authors: authors.slice(0, 2).join(' and '), year: adrs[0]!.date[0], ltitle: last.title });
    const b = rng.pick(['- ', '* ']);
    const fields = [
      b + say(rng, [
        '`decisions`: one object per ADR, sorted by number, with `id` ("ADR-0007"), `title` (heading text without any number prefix){date} and `status` — one of accepted, proposed, rejected, deprecated, superseded (lower case).',
        '`decisions` — for every record, in number order: `id` like "ADR-0003", the plain `title` (drop "3." or "ADR-0003:" prefixes){date}, and its `status` in lower case (accepted / proposed / rejected / deprecated / superseded).',
        '`decisions` is a list ordered by ADR number; each item has `id` (e.g. "ADR-0012"), `title` as in the heading minus any "12." / "ADR-0012:" prefix{date}, and a lower-case `status`: accepted, proposed, rejected, deprecated or superseded.',
      ], { date: d >= 2 ? ', `date` (YYYY-MM-DD)' : '' }),
      b + say(rng, ['`in_force`: ids of the decisions currently accepted (not replaced), sorted.', '`in_force` — sorted ids of accepted decisions that nothing has replaced.', '`in_force` lists, in id order, every decision that is accepted and still standing.']),
    ];
    if (d >= 2) fields.push(b + say(rng, ['`open_proposals`: ids still in Proposed, sorted.', '`open_proposals` — sorted ids of records that are only proposed.', '`open_proposals` holds the ids (ascending) of records nobody has accepted or rejected yet.']));
    if (d >= 3) fields.push(b + say(rng, ['`superseded_by`: for each replaced ADR, the id of the decision that is in force for it now — follow chains (if 3 was replaced by 7 and 7 by 12, then 3 → 12).', '`superseded_by` — map each superseded id to the id at the end of its replacement chain (A replaced by B replaced by C: A → C, B → C).', '`superseded_by` maps every replaced record to its current successor, following the chain to its last link.']));
    const rules: string[] = [];
    if (d >= 3) rules.push(b + say(rng, ['Only the numbered `NNNN-*.md` files are ADRs; the README and the template are not.', 'Ignore the README and `adr-template.md`; ADRs are the `NNNN-title.md` files.', 'The folder also holds a README and a template — those are not decisions.']));
    if (d >= 4) rules.push(b + say(rng, ['Not every file was updated when it was replaced: an ADR counts as superseded if its own status says so or if a later accepted ADR says it supersedes it.', 'Some status lines are stale. "Supersedes ADR-X" in a newer, accepted record makes X superseded even if X still claims Accepted.', 'Trust "Supersedes …" lines in accepted records over the old record\'s own status line, which is sometimes out of date.']));
    if (d >= 5) rules.push(b + say(rng, ['A proposal does not supersede anything until it is accepted. Dates appear in more than one format; normalise them.', 'Proposed records that mention "Supersedes" have no effect yet. Some dates are written out ("4 March 2021") — output ISO dates.', 'Dates are not all ISO — convert them. And a mere proposal replaces nothing, whatever it says.']));
    const details = [b + say(rng, ['Write `{out}`.', 'Save the register as `{out}`.', 'The result goes in `{out}`.', 'Put it in `{out}` with these keys:'], { out }), ...rng.shuffle(fields), ...rng.shuffle(rules)];
    const instruction = voiced(ctx, ask, details);

    const checks: CheckInput[] = [
      { id: 'decisions', type: 'json_path', path: out, query: '$.decisions', equals: decisions, weight: 2 },
      { id: 'in_force', type: 'json_path', path: out, query: '$.in_force', equals: inForce, weight: 2 },
    ];
    if (d >= 2) checks.push({ id: 'open_proposals', type: 'json_path', path: out, query: '$.open_proposals', equals: proposals });
    if (d >= 3) checks.push({ id: 'superseded_by', type: 'json_path', path: out, query: '$.superseded_by', equals: supersededBy, weight: 2 });

    const solution = pyOracle(String.raw`
d, folder = ${d}, ${JSON.stringify(dir)}
MONTHS = ${JSON.stringify(MONTHS)}
def iso(text):
    text = text.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", text)
    if m:
        return text
    day, month, year = text.split()
    return "%s-%02d-%02d" % (year, MONTHS.index(month) + 1, int(day))
recs = {}
for path in sorted(glob.glob(folder + "/*.md")):
    m = re.match(r"^(\d{4})-", os.path.basename(path))
    if not m:
        continue
    text = open(path).read()
    n = int(m.group(1))
    front = {}
    if text.startswith("---\n"):
        head, text = text[4:].split("\n---\n", 1)
        for line in head.splitlines():
            k, _, v = line.partition(":")
            front[k.strip()] = v.strip()
    title = re.search(r"^# (.+)$", text, re.M).group(1)
    title = re.sub(r"^(?:\d+\.\s*|ADR-\d+:\s*)", "", title)
    if front:
        status, date = front["status"], front["date"]
    else:
        status = re.search(r"^## Status\s*\n\s*\n(.+)$", text, re.M).group(1)
        date = re.search(r"^Date: (.+)$", text, re.M).group(1)
    sup = [int(x) for x in re.findall(r"^Supersedes \[ADR-(\d+)\]", text, re.M)]
    by = re.search(r"Superseded by \[ADR-(\d+)\]", status, re.I)
    recs[n] = {"title": title, "date": iso(date), "base": status.split()[0].lower(), "supersedes": sup, "by": int(by.group(1)) if by else None}
replacer = {}
for n, r in recs.items():
    if r["by"]:
        replacer[n] = r["by"]
for n, r in recs.items():
    if r["base"] in ("accepted", "superseded"):
        for s in r["supersedes"]:
            replacer[s] = n
ident = lambda n: "ADR-%04d" % n
def status(n):
    return "superseded" if n in replacer else recs[n]["base"]
def final(n):
    while n in replacer:
        n = replacer[n]
    return n
out = {"decisions": [], "in_force": [ident(n) for n in sorted(recs) if status(n) == "accepted"]}
for n in sorted(recs):
    row = {"id": ident(n), "title": recs[n]["title"]}
    if d >= 2:
        row["date"] = recs[n]["date"]
    row["status"] = status(n)
    out["decisions"].append(row)
if d >= 2:
    out["open_proposals"] = [ident(n) for n in sorted(recs) if status(n) == "proposed"]
if d >= 3:
    out["superseded_by"] = {ident(n): ident(final(n)) for n in sorted(replacer)}
target = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(target), exist_ok=True)
json.dump(out, open(target, "w"), indent=2)
`);
    return {
      title: `ADR register for ${dir}/`,
      instruction,
      workspace,
      solution,
      checks,
      operations: ['read local files and extract relevant content', 'extract structured data from files or web content', 'write structured results to local files'],
      tags: ['adr', 'architecture', 'knowledge-base'],
    };
  },
};

