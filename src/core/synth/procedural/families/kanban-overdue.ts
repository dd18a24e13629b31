/** Productivity & Collaboration: list the overdue cards of a Trello-style board export as a markdown report. */
import type { Family, FamilyOutput } from '../family.js';
import { voiced } from '../family.js';
import { addDays, pad2 } from './calendar.js';
import { cmp } from './common.js';
import { crlf, jsonRelayout, on, ruleMutants, shortcutMutant, variantMutant, type KitExtras, type KitRule } from './mutant-kit.js';
import { crowd } from './names.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const VERBS = ['Draft', 'Review', 'Ship', 'Migrate', 'Audit', 'Design', 'Refactor', 'Document', 'Test', 'Localize', 'Benchmark', 'Archive', 'Negotiate', 'Prototype', 'Publish', 'Plan'];
const OBJECTS = [
  'billing page', 'onboarding emails', 'Q3 report', 'vendor contract', 'search index', 'press kit', 'mobile nav', 'pricing table', 'SSO login', 'data retention policy',
  'partner portal', 'help center', 'release notes', 'office seating plan', 'support macros', 'analytics dashboard', 'checkout flow', 'brand guidelines', 'API rate limits', 'holiday rota',
];
const BOARDS = ['Website relaunch', 'Ops backlog', 'Marketing Q4', 'Platform team', 'Customer success', 'Office move', 'Product launch'];

export const kanbanOverdue: Family = {
  id: 'kanban-overdue',
  version: 2,
  category: 'Productivity & Collaboration',
  subcategory: 'task and project tracking',
  summary: 'From a board export (JSON), list the open cards past their due date in a markdown report, optionally per member.',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const board = rng.pick(BOARDS);
    const listNames = ['Backlog', 'To do', 'In progress', d >= 3 ? 'Review' : 'Blocked', 'Done'];
    const lists = listNames.map((name, i) => ({ id: `l${i + 1}${rng.int(100, 999)}`, name }));
    const folk = crowd(rng, 3 + Math.ceil(d / 2));
    const idle = folk[folk.length - 1]!; // a member on no overdue card (witness of the empty list)
    const y = rng.int(2024, 2026);
    const m = rng.int(1, 12);
    const dd = rng.int(1, 28);
    const today = `${y}-${pad2(m)}-${pad2(dd)}`;
    const iso = (x: [number, number, number]) => `${x[0]}-${pad2(x[1])}-${pad2(x[2])}`;
    const n = 6 + d * 4 + rng.int(0, 3);
    const names = new Set<string>();
    const cards: Array<{ id: string; name: string; idList: string; due: string | null; closed: boolean; idMembers: string[]; labels: string[] }> = [];
    while (cards.length < n) {
      const name = `${rng.pick(VERBS)} ${rng.pick(OBJECTS)}`;
      if (names.has(name)) continue;
      names.add(name);
      const r = rng.next();
      const due = r < 0.12 ? null : iso(addDays(y, m, dd, r < 0.55 ? -rng.int(1, 20) : r < 0.65 ? 0 : rng.int(1, 20)));
      const list = d >= 2 ? rng.pick(lists) : rng.pick(lists.slice(0, 4));
      cards.push({
        id: `c${rng.int(10000, 99999)}${cards.length}`,
        name,
        idList: list.id,
        due: d >= 4 && due ? `${due}T${pad2(rng.int(9, 18))}:00:00.000Z` : due,
        closed: d >= 3 && rng.chance(0.15),
        idMembers: rng.sample(folk, rng.int(d >= 5 ? 1 : 0, 2)).map((p) => p.handle),
        labels: rng.sample(['urgent', 'design', 'backend', 'legal', 'finance', 'blocked'], rng.int(0, 2)),
      });
    }
    const doneId = lists[4]!.id;
    const isOverdue = (c: (typeof cards)[number]) => !!c.due && c.due.slice(0, 10) < today && (d < 2 || c.idList !== doneId) && !c.closed;
    // Witnesses: every stated rule changes the answer for at least one card.
    const fresh = () => {
      for (;;) {
        const name = `${rng.pick(VERBS)} ${rng.pick(OBJECTS)}`;
        if (!names.has(name)) return names.add(name), name;
      }
    };
    const open = lists.slice(1, 4);
    const add = (off: number | null, idList: string, closed = false, name = fresh()) => {
      const due = off === null ? null : iso(addDays(y, m, dd, off));
      const c = { id: `c${rng.int(10000, 99999)}${cards.length}`, name, idList, due: d >= 4 && due ? `${due}T${pad2(rng.int(9, 18))}:00:00.000Z` : due, closed, idMembers: rng.sample(folk.slice(0, -1), rng.int(d >= 5 ? 1 : 0, 2)).map((p) => p.handle), labels: [] as string[] };
      cards.push(c);
      return c;
    };
    add(0, rng.pick(open).id); // due today: not overdue
    add(null, rng.pick(open).id); // no due date: never overdue
    if (d >= 2) add(-rng.int(2, 9), lists[4]!.id); // overdue but Done
    if (d >= 3) add(-rng.int(2, 9), rng.pick(open).id, true); // overdue but archived
    const [n1, n2] = [fresh(), fresh()].sort(cmp);
    add(-rng.int(12, 20), rng.pick(open).id, false, n2!); // earlier due, later name: sorting by name alone is wrong
    add(-rng.int(1, 5), rng.pick(open).id, false, n1!);
    const [t1, t2] = [fresh(), fresh()].sort(cmp);
    const tieOff = -rng.int(6, 11);
    const tieHi = add(tieOff, rng.pick(open).id, false, t2!);
    const tieLo = add(tieOff, rng.pick(open).id, false, t1!);
    for (const c of cards) if (isOverdue(c)) c.idMembers = c.idMembers.filter((h) => h !== idle.handle);
    const listName = (id: string) => lists.find((l) => l.id === id)!.name;
    const overdue = cards.filter(isOverdue).sort((a, b) => cmp(a.due!.slice(0, 10), b.due!.slice(0, 10)) || cmp(a.name, b.name));
    const line = (c: (typeof cards)[number]) => `- ${c.name} (${listName(c.idList)}, due ${c.due!.slice(0, 10)})`;
    const expectedLines = [`# Overdue cards (${overdue.length})`, ...overdue.map(line)];
    const notOverdue = cards.filter((c) => !isOverdue(c)).map((c) => c.name).filter((nm) => !overdue.some((o) => o.name.includes(nm)));
    const exportJson = {
      id: `b${rng.int(100000, 999999)}`,
      name: board,
      lists: lists.map((l) => ({ ...l, closed: false })),
      members: folk.map((p) => ({ id: p.handle, fullName: p.full, username: p.handle.replace('.', '') })),
      cards: rng.shuffle(cards),
    };
    // The tie pair appears in reverse name order, so a sort by due date alone keeps the wrong order.
    const [iHi, iLo] = [exportJson.cards.indexOf(tieHi), exportJson.cards.indexOf(tieLo)];
    if (iLo < iHi) [exportJson.cards[iLo], exportJson.cards[iHi]] = [tieHi, tieLo];
    const path = rng.pick(['board/export.json', 'exports/trello_board.json', 'kanban/board.json']);
    const out = rng.pick(['overdue.md', 'reports/overdue.md', 'status/overdue_cards.md']);
    const perMember = d >= 5;
    const memberOut = 'reports/overdue_by_member.json';
    const memberTruth: Record<string, string[]> = {};
    if (perMember) for (const p of folk) memberTruth[p.handle] = overdue.filter((c) => c.idMembers.includes(p.handle)).map((c) => c.name).sort(cmp);
    const ask = say(rng, [
      'The "{board}" board is slipping. Using the export in `{path}`, tell me which cards are overdue as of {today}.',
      'Today is {today}. Please go through `{path}` (our {board} board) and pull out every overdue card.',
      'I need an overdue report for the {board} board — the JSON export is at `{path}`; treat {today} as today.',
      'Can you check `{path}` and list what is past due on "{board}"? Count {today} as today.',
      'Quick status check on {board}: which of the {n} cards in `{path}` are overdue (today = {today})?',
    ], { board, path, today, n: cards.length });
    const overdueRule = say(rng, [
      '- A card is overdue when its `due` date is before {today} (due today is not overdue; no due date means never overdue).',
      '- Overdue = has a due date strictly earlier than {today}. Cards due today or without a due date are fine.',
      '- Only cards whose due date is earlier than today ({today}) count; ignore cards with `due: null`.',
    ], { today });
    const rules = [overdueRule];
    const ruleSet: KitRule[] = [
      { id: 'before-today', text: overdueRule },
      { id: 'no-due-date', text: overdueRule },
    ];
    const stated = (id: string, text: string) => (rules.push(text), ruleSet.push({ id, text }));
    if (d >= 2) stated('skip-done', say(rng, ['- Cards in the "Done" list are finished — skip them.', '- Anything sitting in "Done" does not count.']));
    if (d >= 3) stated('skip-archived', say(rng, ['- Archived cards (`"closed": true`) do not count either.', '- Skip archived cards (`closed` is true).']));
    if (d >= 4) stated('date-part', say(rng, ['- `due` is a timestamp; compare by its date part only.', '- Due values carry a time; only the date (first 10 characters) matters.']));
    const format = say(rng, [
      'Write `{out}`: the first line `# Overdue cards (N)` with N the count, then one line per card, `- <card name> (<list name>, due YYYY-MM-DD)`, sorted by due date then name. Nothing else in the file.',
      'Save a markdown file `{out}` that starts with `# Overdue cards (N)` and then has exactly one bullet per overdue card in the form `- <name> (<list>, due <YYYY-MM-DD>)`, oldest due date first (ties by name), no blank lines.',
      'Put it in `{out}` — header line `# Overdue cards (N)`, then bullets `- <card> (<list>, due <date>)` ordered by due date and then card name; no other lines.',
    ], { out });
    ruleSet.push({ id: 'header-count', text: format }, { id: 'sort-by-due', text: format }, { id: 'ties-by-name', text: format });
    const memberLine = perMember
      ? [say(rng, ['Also write `{m}`: member id (`idMembers` value) → sorted list of their overdue card names, one key for every board member (empty list if none).', 'Also add `{m}` mapping each board member id to the sorted names of the overdue cards they are on (an empty list for members with none).'], { m: memberOut })]
      : [];
    if (perMember) ruleSet.push({ id: 'every-member', text: memberLine[0]! });
    const instruction = voiced(ctx, ask, [...rules, '', format, ...memberLine]);
    const oracle = (ig: ReadonlySet<string>) => pyOracle(`
data = json.load(open(${JSON.stringify(path)}))
today = ${JSON.stringify(today)}
lists = {l["id"]: l["name"] for l in data["lists"]}
rows = []
for c in data["cards"]:
    due = c["due"] or ""
    if ${on(ig, 'date-part')}:
        due = due[:10]
    if not due and ${on(ig, 'no-due-date')}:
        continue
    if due > today or (due == today and ${on(ig, 'before-today')}):
        continue
    if ${on(ig, 'skip-done', d >= 2)} and lists[c["idList"]] == "Done":
        continue
    if ${on(ig, 'skip-archived', d >= 3)} and c["closed"]:
        continue
    rows.append((due, c["name"], lists[c["idList"]], c["idMembers"]))
if ${on(ig, 'sort-by-due')} and ${on(ig, 'ties-by-name')}:
    rows.sort(key=lambda r: (r[0][:10], r[1]))
elif ${on(ig, 'sort-by-due')}:
    rows.sort(key=lambda r: r[0][:10])
else:
    rows.sort(key=lambda r: r[1])
out = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
with open(out, "w") as f:
    f.write(("# Overdue cards (%d)\\n" % len(rows)) if ${on(ig, 'header-count')} else "# Overdue cards\\n")
    for due, name, lst, _ in rows:
        f.write("- %s (%s, due %s)\\n" % (name, lst, due))
if ${perMember ? 'True' : 'False'}:
    os.makedirs("reports", exist_ok=True)
    by = {m["id"]: sorted(r[1] for r in rows if m["id"] in r[3]) for m in data["members"]}
    if not ${on(ig, 'every-member')}:
        by = {k: v for k, v in by.items() if v}
    json.dump(by, open(${JSON.stringify(memberOut)}, "w"), indent=2)
`);
    const solution = oracle(new Set());
    const outs = [out, ...(perMember ? [memberOut] : [])];
    const mutants = [
      ...ruleMutants(ruleSet, oracle),
      shortcutMutant('every-dated-card', 'lists every card that has a due date, without comparing it with today', oracle(new Set(['before-today'])).replace('if due > today or', 'if False or')),
      variantMutant('crlf', 'CRLF line endings', solution, crlf(outs)),
      ...(perMember ? [variantMutant('json-layout', 'member JSON re-indented with sorted keys', solution, jsonRelayout([memberOut]))] : []),
    ];
    const result: FamilyOutput & KitExtras = {
      title: `Overdue cards on the ${board} board`,
      instruction,
      workspace: { [path]: JSON.stringify(exportJson, null, 2) + '\n' },
      solution,
      rules: ruleSet,
      mutants,
      checks: [
        { id: 'header_and_cards', type: 'text_contains', path: out, text: expectedLines },
        { id: 'exact_lines', type: 'line_count', path: out, equals: expectedLines.length },
        ...(notOverdue.length ? [{ id: 'no_false_positives', type: 'text_not_contains' as const, path: out, text: notOverdue.map((nm) => `- ${nm} (`) }] : []),
        { id: 'full_report', type: 'text_equals', path: out, text: expectedLines.join('\n') + '\n', weight: 2 },
        ...(perMember ? Object.entries(memberTruth).map(([k, v]) => ({ id: `member_${k}`, type: 'json_path' as const, path: memberOut, query: `$['${k}']`, equals: v })) : []),
      ],
      operations: ['read and parse JSON', 'filter records by criteria', 'sort data', 'write markdown output'],
      tags: ['kanban'],
    };
    return result;
  },
};
