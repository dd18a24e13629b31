/** Planning & Knowledge: turn a reading list into a week-by-week plan under a page budget. */
import type { CheckInput, Family } from '../family.js';
import { voiced } from '../family.js';
import { cmp, people } from './common.js';
import { csvRow } from './csv.js';
import { andList, say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const TOPICS = ['distributed systems', 'leadership', 'statistics', 'history', 'design', 'security', 'economics', 'writing', 'machine learning', 'product management', 'biology', 'philosophy'];
const ADJ = ['Quiet', 'Hidden', 'Practical', 'Unfinished', 'Elegant', 'Deep', 'Invisible', 'Fragile', 'Patient', 'Restless', 'Careful', 'Open', 'Small', 'Long'];
const NOUN = ['Systems', 'Decisions', 'Maps', 'Signals', 'Habits', 'Machines', 'Questions', 'Patterns', 'Numbers', 'Networks', 'Stories', 'Experiments', 'Rivers', 'Engines'];
const FORMS = ['The {a} {n}', '{a} {n}', 'On {a} {n}', 'Notes on {a} {n}', 'A Field Guide to {a} {n}', 'The Art of {a} {n}', '{n} and {n2}', 'Beyond {a} {n}'];

interface Book { title: string; author: string; year: number; topics: string[]; pages: number; status: 'to-read' | 'reading' | 'done'; read: number }

export const readingPlan: Family = {
  id: 'reading-plan',
  version: 1,
  category: 'Planning & Knowledge',
  subcategory: 'curriculum and content design',
  summary: 'Select books from a reading list by topic and status and schedule them into weeks under a page budget (CSV).',
  domains: ['education', 'research'],
  generate(ctx) {
    const { rng, difficulty } = ctx;
    const topics = rng.sample(TOPICS, 5);
    const focus = topics.slice(0, difficulty >= 3 ? 2 : 1);
    const budget = rng.pick([150, 200, 250, 300, 350, 400]);
    const n = 10 + difficulty * 4;
    const titles = new Set<string>();
    const books: Book[] = [];
    while (books.length < n) {
      const t = rng.pick(FORMS).replace('{a}', rng.pick(ADJ)).replace('{n2}', rng.pick(NOUN)).replace('{n}', rng.pick(NOUN));
      if (titles.has(t)) continue;
      titles.add(t);
      const tp = [rng.chance(0.5) ? rng.pick(focus) : rng.pick(topics)];
      if (difficulty >= 4 && rng.chance(0.3)) tp.push(rng.pick(topics.filter((x) => x !== tp[0])));
      const r = rng.next();
      const status = difficulty >= 2 && r < 0.2 ? 'reading' : r < 0.75 ? 'to-read' : 'done';
      const pages = rng.int(8, 70) * 10 + rng.int(0, 9);
      books.push({ title: t, author: people(rng, 1)[0]!.full, year: rng.int(1962, 2025), topics: tp, pages, status, read: status === 'reading' ? rng.int(1, Math.floor(pages / 20)) * 10 : 0 });
    }
    // Make sure the plan is never empty.
    if (!books.some((b) => b.status === 'to-read' && b.topics.some((t) => focus.includes(t)))) {
      books[0]!.status = 'to-read';
      books[0]!.read = 0;
      books[0]!.topics = [focus[0]!];
    }
    const eligible = books.filter((b) => b.status === 'to-read' && b.topics.some((t) => focus.includes(t)));
    const finished = difficulty >= 5 && eligible.length >= 2 ? rng.sample(eligible, 1).map((b) => b.title) : [];
    const chosen = books.filter((b) => b.topics.some((t) => focus.includes(t)) && (b.status === 'to-read' || (difficulty >= 2 && b.status === 'reading')) && !finished.includes(b.title));
    const order = (a: Book, b: Book) => a.year - b.year || cmp(a.title, b.title);
    const sequence = [...chosen.filter((b) => b.status === 'reading').sort(order), ...chosen.filter((b) => b.status === 'to-read').sort(order)];
    const maxWeeks = difficulty >= 5 ? rng.int(2, 4) : Infinity;
    const plan: Array<{ week: number; title: string; pages: number }> = [];
    const backlog: string[] = [];
    let week = 1;
    let used = 0;
    for (const b of sequence) {
      const p = b.pages - b.read;
      if (used > 0 && used + p > budget) {
        week++;
        used = 0;
      }
      if (week > maxWeeks) {
        backlog.push(b.title);
        continue;
      }
      used += p;
      plan.push({ week, title: b.title, pages: p });
    }
    if (!plan.length) throw new Error('reading-plan: empty plan');
    // The file: duplicates (d4+) and mixed-case topics.
    const rows = rng.shuffle(books).map((b) => {
      const topicCell = b.topics.map((t) => (difficulty >= 4 && rng.chance(0.3) ? t[0]!.toUpperCase() + t.slice(1) : t)).join('; ');
      return [b.title, b.author, b.year, topicCell, b.pages, b.status, ...(difficulty >= 2 ? [b.read] : [])];
    });
    if (difficulty >= 4) for (const r of rng.sample(rows, 2)) rows.splice(rng.int(0, rows.length), 0, [...r]);
    const header = ['title', 'author', 'year', 'topics', 'pages', 'status', ...(difficulty >= 2 ? ['pages_read'] : [])];
    const who = people(rng, 1)[0]!.first;
    const listPath = rng.pick(['reading/list.csv', 'books/reading-list.csv', 'notes/books.csv']);
    const dir = listPath.split('/')[0]!;
    const out = `${dir}/plan-${focus[0]!.replace(/ /g, '-')}.csv`;
    const workspace: Record<string, string> = { [listPath]: [header.join(','), ...rows.map((r) => csvRow(r))].join('\n') + '\n' };
    const finishedPath = `${dir}/finished-elsewhere.txt`;
    if (difficulty >= 5) workspace[finishedPath] = `# read these on the ${who} book club list already\n${finished.map((t) => `${t}\n`).join('')}`;
    const backlogPath = `${dir}/backlog.txt`;

    const ask = say(rng, [
      'I want to get through my {topics} backlog at about {budget} pages a week. Can you plan it from `{list}`?',
      'Please turn `{list}` into a weekly reading plan for {topics}, roughly {budget} pages per week.',
      'Help me schedule my unread {topics} books (list in `{list}`) into weeks of at most {budget} pages.',
      'Could you make a reading schedule out of `{list}`? Focus: {topics}. Budget: {budget} pages/week.',
      'New quarter, new reading goals — {topics}. Plan the books from `{list}` at {budget} pages a week, please.',
    ], { topics: andList(focus), budget, list: listPath });
    const b = rng.pick(['- ', '* ']);
    const details = [
      b + say(rng, ['Take the books tagged {topics} with status `to-read`, oldest publication year first (ties: title A→Z).', 'Candidates: `to-read` books on {topics}; order them by year ascending, then by title.', 'Only {topics}, only `to-read`, sorted by year and then title.'], { topics: focus.map((t) => `"${t}"`).join(' or ') }),
      b + say(rng, ['Fill week 1 in that order; when the next book would push a week over {budget} pages, start a new week (a book longer than the budget gets a week of its own).', 'Go down the list: a book goes in the current week unless it would exceed {budget} pages there, in which case it opens the next week (an oversized book simply sits alone).', 'Weeks are filled greedily in order — never above {budget} pages unless a single book alone is longer.'], { budget }),
      b + say(rng, ['Write `{out}` with header `week,title,pages`.', 'Save it as `{out}` (columns `week,title,pages`, in reading order).', 'Output: `{out}`, columns `week,title,pages`, one row per book in order.'], { out }),
    ];
    if (difficulty >= 2) details.push(b + say(rng, ['Books I am already `reading` come first (same ordering among them) and only their remaining pages (`pages` − `pages_read`) count.', 'Start with the ones in status `reading`, counting just the pages I have left; then the to-read ones.']));
    if (difficulty >= 4) details.push(b + say(rng, ['Topics can be several per book (`;`-separated) and capitalisation varies; the list also has a couple of duplicate rows — plan each book once.', 'Watch out: duplicated rows, multi-topic cells, inconsistent capitalisation of topics.']));
    if (difficulty >= 5) details.push(b + say(rng, ['Skip anything in `{fin}`. The plan covers at most {w} weeks; put the titles that do not fit in `{bl}`, one per line, in order.', 'Titles listed in `{fin}` are done. I only have {w} weeks — whatever does not fit goes to `{bl}` (one title a line, same order).'], { fin: finishedPath, w: maxWeeks, bl: backlogPath }));
    const instruction = voiced(ctx, ask, details);

    const checks: CheckInput[] = [
      { id: 'plan_shape', type: 'csv', path: out, columns: ['week', 'title', 'pages'], row_count: plan.length },
      { id: 'plan_rows', type: 'csv', path: out, cells: plan.flatMap((p, row) => [{ row, column: 'week', equals: p.week }, { row, column: 'title', equals: p.title }, { row, column: 'pages', equals: p.pages }]) },
      { id: 'list_untouched', type: 'file_unchanged', path: listPath, weight: 0 },
    ];
    if (difficulty >= 5) checks.push(backlog.length ? { id: 'backlog', type: 'text_equals', path: backlogPath, text: backlog.join('\n') + '\n' } : { id: 'backlog_empty', type: 'text_equals', path: backlogPath, text: '', weight: 0 });

    const solution = pyOracle(String.raw`
focus = ${JSON.stringify(focus)}
d, budget, maxw = ${difficulty}, ${budget}, ${Number.isFinite(maxWeeks) ? maxWeeks : 10 ** 6}
finished = set()
if d >= 5 and os.path.exists(${JSON.stringify(finishedPath)}):
    finished = {l.strip() for l in open(${JSON.stringify(finishedPath)}) if l.strip() and not l.startswith("#")}
seen, reading, todo = set(), [], []
for r in csv.DictReader(open(${JSON.stringify(listPath)})):
    key = (r["title"], r["author"])
    if key in seen:
        continue
    seen.add(key)
    tps = [t.strip().lower() for t in r["topics"].split(";")]
    if not any(t in focus for t in tps) or r["title"] in finished:
        continue
    left = int(r["pages"]) - int(r.get("pages_read") or 0)
    item = (int(r["year"]), r["title"], left)
    if r["status"] == "to-read":
        todo.append(item)
    elif r["status"] == "reading" and d >= 2:
        reading.append(item)
week, used, plan, backlog = 1, 0, [], []
for y, t, p in sorted(reading) + sorted(todo):
    if used > 0 and used + p > budget:
        week, used = week + 1, 0
    if week > maxw:
        backlog.append(t)
        continue
    used += p
    plan.append((week, t, p))
with open(${JSON.stringify(out)}, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["week", "title", "pages"])
    w.writerows(plan)
if d >= 5:
    open(${JSON.stringify(backlogPath)}, "w").write("".join(t + "\n" for t in backlog))
`);
    return {
      title: `Reading plan: ${andList(focus)} at ${budget} pages/week`,
      instruction,
      workspace,
      solution,
      checks,
      operations: ['read local files and extract relevant content', 'filter, sort, and rank records', 'write structured results to local files'],
      tags: ['reading', 'planning'],
    };
  },
};
