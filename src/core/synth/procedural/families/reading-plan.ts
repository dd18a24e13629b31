/** Planning & Knowledge: turn a reading list into a week-by-week plan under a page budget. */
import type { CheckInput, Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { cmp, people } from './common.js';
import { csvRow } from './csv.js';
import { andList, say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';
import { SKIP_LINE, skipping, thenPython } from './rule-switches.js';

const TOPICS = ['distributed systems', 'leadership', 'statistics', 'history', 'design', 'security', 'economics', 'writing', 'machine learning', 'product management', 'biology', 'philosophy'];
const ADJ = ['Quiet', 'Hidden', 'Practical', 'Unfinished', 'Elegant', 'Deep', 'Invisible', 'Fragile', 'Patient', 'Restless', 'Careful', 'Open', 'Small', 'Long'];
const NOUN = ['Systems', 'Decisions', 'Maps', 'Signals', 'Habits', 'Machines', 'Questions', 'Patterns', 'Numbers', 'Networks', 'Stories', 'Experiments', 'Rivers', 'Engines'];
const FORMS = ['The {a} {n}', '{a} {n}', 'On {a} {n}', 'Notes on {a} {n}', 'A Field Guide to {a} {n}', 'The Art of {a} {n}', '{n} and {n2}', 'Beyond {a} {n}'];

interface Book { title: string; author: string; year: number; topics: string[]; pages: number; status: 'to-read' | 'reading' | 'done'; read: number }

interface PlanSetup { focus: string[]; budget: number; maxWeeks: number; finished: ReadonlySet<string>; d: number }
interface PlanResult { plan: Array<{ week: number; title: string; pages: number }>; backlog: string[] }

/** The plan the instruction asks for, from the list's rows; `skip` switches rules off (what a wrong solution computes). */
function planRows(rows: ReadonlyArray<ReadonlyArray<string | number>>, s: PlanSetup, skip: ReadonlySet<string>): PlanResult {
  const seen = new Set<string>();
  type Item = { year: number; title: string; left: number };
  const reading: Item[] = [];
  const todo: Item[] = [];
  for (const [title, author, year, cell, pages, status, read] of rows) {
    const key = `${title}\u0000${author}`;
    if (seen.has(key) && !skip.has('dedupe')) continue;
    seen.add(key);
    let tps = String(cell).split(';').map((t) => (skip.has('topic-case') ? t.trim() : t.trim().toLowerCase()));
    if (skip.has('multi-topic')) tps = tps.slice(0, 1);
    if (!skip.has('focus-topic') && !tps.some((t) => s.focus.includes(t))) continue;
    if (s.finished.has(String(title)) && !skip.has('finished-elsewhere')) continue;
    const item = { year: Number(year), title: String(title), left: Number(pages) - (skip.has('remaining-pages') ? 0 : Number(read ?? 0)) };
    if (status === 'to-read' || (status === 'done' && skip.has('to-read-only'))) todo.push(item);
    else if (status === 'reading' && s.d >= 2) (skip.has('reading-first') ? todo : reading).push(item);
  }
  const sort = (xs: Item[]) => (skip.has('year-order') ? xs : [...xs].sort((a, b) => a.year - b.year || (skip.has('title-tie') ? 0 : cmp(a.title, b.title))));
  const budget = skip.has('budget') ? Infinity : s.budget;
  const maxw = skip.has('max-weeks') ? Infinity : s.maxWeeks;
  const out: PlanResult = { plan: [], backlog: [] };
  let week = 1;
  let used = 0;
  for (const b of [...sort(reading), ...sort(todo)]) {
    if (used > 0 && used + b.left > budget) {
      week++;
      used = 0;
    }
    if (week > maxw) {
      out.backlog.push(b.title);
      continue;
    }
    used += b.left;
    out.plan.push({ week, title: b.title, pages: b.left });
  }
  return out;
}

export const readingPlan: Family = {
  id: 'reading-plan',
  version: 2,
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
    const stated = ['focus-topic', 'to-read-only', 'year-order', 'title-tie', 'budget', ...(difficulty >= 2 ? ['reading-first', 'remaining-pages'] : []), ...(difficulty >= 4 ? ['dedupe', 'multi-topic', 'topic-case'] : []), ...(difficulty >= 5 ? ['finished-elsewhere', 'max-weeks'] : [])];
    let rows: Array<Array<string | number>> = [];
    let finished: string[] = [];
    let maxWeeks = Infinity;
    let truth: PlanResult = { plan: [], backlog: [] };
    // Draw lists until every stated rule changes the plan (a same-year pair makes the title tie-break
    // matter, a duplicated row is one of the planned books, the week limit leaves a backlog…).
    for (let attempt = 0; ; attempt++) {
      const titles = new Set<string>();
      const books: Book[] = [];
      while (books.length < n) {
        const t = rng.pick(FORMS).replace('{a}', rng.pick(ADJ)).replace('{n2}', rng.pick(NOUN)).replace('{n}', rng.pick(NOUN));
        if (titles.has(t)) continue;
        titles.add(t);
        const tp = [rng.chance(0.5) ? rng.pick(focus) : rng.pick(topics)];
        if (difficulty >= 4 && rng.chance(0.4)) tp.unshift(rng.pick(topics.filter((x) => x !== tp[0])));
        const r = rng.next();
        const status = difficulty >= 2 && r < 0.2 ? 'reading' : r < 0.75 ? 'to-read' : 'done';
        const pages = rng.int(8, 70) * 10 + rng.int(0, 9);
        books.push({ title: t, author: people(rng, 1)[0]!.full, year: rng.int(1962, 2025), topics: tp, pages, status, read: status === 'reading' ? rng.int(1, Math.floor(pages / 20)) * 10 : 0 });
      }
      const eligible = books.filter((b) => b.status === 'to-read' && b.topics.some((t) => focus.includes(t)));
      if (eligible.length < 3) continue;
      // Two candidates from the same year: the title decides their order.
      const [p1, p2] = rng.sample(eligible, 2);
      p2!.year = p1!.year;
      finished = difficulty >= 5 ? rng.sample(eligible, 1).map((b) => b.title) : [];
      // The file: duplicates (d4+, one of them a candidate) and mixed-case topics.
      rows = rng.shuffle(books).map((b) => {
        const topicCell = b.topics.map((t) => (difficulty >= 4 && rng.chance(0.3) ? t[0]!.toUpperCase() + t.slice(1) : t)).join('; ');
        return [b.title, b.author, b.year, topicCell, b.pages, b.status, ...(difficulty >= 2 ? [b.read] : [])];
      });
      if (difficulty >= 4) {
        const cand = rows.filter((r) => eligible.some((b) => b.title === r[0]));
        for (const r of [rng.pick(cand), rng.pick(rows)]) rows.splice(rng.int(0, rows.length), 0, [...r]);
      }
      const setup = (w: number): PlanSetup => ({ focus, budget, maxWeeks: w, finished: new Set(finished), d: difficulty });
      const weeks = Math.max(0, ...planRows(rows, setup(Infinity), new Set()).plan.map((x) => x.week));
      if (difficulty >= 5) {
        if (weeks < 3) continue;
        maxWeeks = rng.int(2, Math.min(4, weeks - 1));
      }
      truth = planRows(rows, setup(maxWeeks), new Set());
      const same = (id: string) => JSON.stringify(planRows(rows, setup(maxWeeks), new Set([id]))) === JSON.stringify(truth);
      if (truth.plan.length && !stated.some(same)) break;
      if (attempt > 2000) throw new Error('reading-plan: no list exercises every rule');
    }
    const { plan, backlog } = truth;
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
    const pickLine = say(rng, ['Take the books tagged {topics} with status `to-read`, oldest publication year first (ties: title A→Z).', 'Candidates: `to-read` books on {topics}; order them by year ascending, then by title.', 'Only {topics}, only `to-read`, sorted by year and then title.'], { topics: focus.map((t) => `"${t}"`).join(' or ') });
    const fillLine = say(rng, ['Fill week 1 in that order; when the next book would push a week over {budget} pages, start a new week (a book longer than the budget gets a week of its own).', 'Go down the list: a book goes in the current week unless it would exceed {budget} pages there, in which case it opens the next week (an oversized book simply sits alone).', 'Weeks are filled greedily in order — never above {budget} pages unless a single book alone is longer.'], { budget });
    const details = [
      b + pickLine,
      b + fillLine,
      b + say(rng, ['Write `{out}` with header `week,title,pages`.', 'Save it as `{out}` (columns `week,title,pages`, in reading order).', 'Output: `{out}`, columns `week,title,pages`, one row per book in order.'], { out }),
    ];
    const rules: Rule[] = [
      { id: 'focus-topic', text: `only books tagged ${focus.map((t) => `"${t}"`).join(' or ')}` },
      { id: 'to-read-only', text: 'only books with status `to-read`' },
      { id: 'year-order', text: 'oldest publication year first' },
      { id: 'title-tie', text: 'books from the same year in title order' },
      { id: 'budget', text: fillLine },
    ];
    if (difficulty >= 2) {
      const line = say(rng, ['Books I am already `reading` come first (same ordering among them) and only their remaining pages (`pages` − `pages_read`) count.', 'Start with the ones in status `reading`, counting just the pages I have left; then the to-read ones.']);
      details.push(b + line);
      rules.push({ id: 'reading-first', text: 'books already `reading` come first' }, { id: 'remaining-pages', text: 'only the remaining pages of a book being read count' });
    }
    if (difficulty >= 4) {
      details.push(b + say(rng, ['Topics can be several per book (`;`-separated) and capitalisation varies; the list also has a couple of duplicate rows — plan each book once.', 'Watch out: duplicated rows, multi-topic cells, inconsistent capitalisation of topics.']));
      rules.push({ id: 'dedupe', text: 'duplicate rows: plan each book once' }, { id: 'multi-topic', text: 'a book can have several `;`-separated topics' }, { id: 'topic-case', text: 'capitalisation of topics varies' });
    }
    if (difficulty >= 5) {
      details.push(b + say(rng, ['Skip anything in `{fin}`. The plan covers at most {w} weeks; put the titles that do not fit in `{bl}`, one per line, in order.', 'Titles listed in `{fin}` are done. I only have {w} weeks — whatever does not fit goes to `{bl}` (one title a line, same order).'], { fin: finishedPath, w: maxWeeks, bl: backlogPath }));
      rules.push({ id: 'finished-elsewhere', text: `skip the titles in \`${finishedPath}\`` }, { id: 'max-weeks', text: `at most ${maxWeeks} weeks; the rest goes to \`${backlogPath}\`` });
    }
    const instruction = voiced(ctx, ask, details);

    const checks: CheckInput[] = [
      { id: 'plan_shape', type: 'csv', path: out, columns: ['week', 'title', 'pages'], row_count: plan.length },
      { id: 'plan_rows', type: 'csv', path: out, cells: plan.flatMap((p, row) => [{ row, column: 'week', equals: p.week }, { row, column: 'title', equals: p.title }, { row, column: 'pages', equals: p.pages }]) },
      { id: 'list_untouched', type: 'file_unchanged', path: listPath, weight: 0 },
    ];
    if (difficulty >= 5) checks.push({ id: 'backlog', type: 'text_equals', path: backlogPath, text: backlog.join('\n') + '\n' });

    const solution = pyOracle(String.raw`
${SKIP_LINE}
focus = ${JSON.stringify(focus)}
d, budget, maxw = ${difficulty}, ${budget}, ${Number.isFinite(maxWeeks) ? maxWeeks : 10 ** 6}
if "budget" in SKIP:
    budget = 10 ** 9
if "max-weeks" in SKIP:
    maxw = 10 ** 6
finished = set()
if d >= 5 and os.path.exists(${JSON.stringify(finishedPath)}) and "finished-elsewhere" not in SKIP:
    finished = {l.strip() for l in open(${JSON.stringify(finishedPath)}) if l.strip() and not l.startswith("#")}
seen, reading, todo = set(), [], []
for r in csv.DictReader(open(${JSON.stringify(listPath)})):
    key = (r["title"], r["author"])
    if key in seen and "dedupe" not in SKIP:
        continue
    seen.add(key)
    tps = [t.strip() if "topic-case" in SKIP else t.strip().lower() for t in r["topics"].split(";")]
    if "multi-topic" in SKIP:
        tps = tps[:1]
    if "focus-topic" not in SKIP and not any(t in focus for t in tps) or r["title"] in finished:
        continue
    left = int(r["pages"]) - (0 if "remaining-pages" in SKIP else int(r.get("pages_read") or 0))
    item = (int(r["year"]), r["title"], left)
    if r["status"] == "to-read" or (r["status"] == "done" and "to-read-only" in SKIP):
        todo.append(item)
    elif r["status"] == "reading" and d >= 2:
        (todo if "reading-first" in SKIP else reading).append(item)
def order(xs):
    if "year-order" in SKIP:
        return xs
    if "title-tie" in SKIP:
        return sorted(xs, key=lambda x: x[0])
    return sorted(xs)
week, used, plan, backlog = 1, 0, [], []
for y, t, p in order(reading) + order(todo):
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
    const ignoring: Record<string, string> = {
      'focus-topic': 'plans books of every topic',
      'to-read-only': 'plans `done` books too',
      'year-order': 'keeps the list\'s order',
      'title-tie': 'sorts by year only (same-year books in list order)',
      budget: 'puts every book in week 1',
      'reading-first': 'sorts books being read in with the to-read ones',
      'remaining-pages': 'counts the full page count of books being read',
      dedupe: 'plans a duplicated row twice',
      'multi-topic': 'looks only at a book\'s first topic',
      'topic-case': 'compares topics case-sensitively',
      'finished-elsewhere': 'plans books already finished elsewhere',
      'max-weeks': 'ignores the week limit (empty backlog)',
    };
    const mutants: Mutant[] = [
      ...rules.map((r) => ({ id: `ignores-${r.id}`, kind: 'wrong' as const, rule: r.id, description: ignoring[r.id]!, solution: skipping(solution, r.id) })),
      { id: 'whole-list-week-one', kind: 'wrong', shortcut: 'copies the list, unfiltered and unsorted, into week 1', description: 'no selection, order or budget', solution: skipping(solution, 'focus-topic', 'year-order', 'budget') },
      {
        id: 'quoted-crlf',
        kind: 'variant',
        description: 'every CSV field quoted, CRLF line ends (backlog too)',
        solution: thenPython(solution, `
out = ${JSON.stringify(out)}
rows = list(csv.reader(open(out, newline="")))
with open(out, "w", newline="") as f:
    csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\\r\\n").writerows(rows)
bl = ${JSON.stringify(backlogPath)}
if os.path.exists(bl):
    text = open(bl).read()
    open(bl, "w", newline="").write(text.replace("\\n", "\\r\\n"))
`),
      },
    ];
    return {
      title: `Reading plan: ${andList(focus)} at ${budget} pages/week`,
      instruction,
      workspace,
      solution,
      checks,
      rules,
      mutants,
      operations: ['read local files and extract relevant content', 'filter, sort, and rank records', 'write structured results to local files'],
      tags: ['reading', 'planning'],
    };
  },
};
