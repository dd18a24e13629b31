/**
 * Content & Domain: merge two class sections exported with different name styles → apply the
 * late-work penalty (capped) → drop each student's lowest quiz and weight the rest → letter
 * grades → the final grade sheet, a class summary and the list of students to contact.
 */
import type { CheckInput, Family } from '../../family.js';
import { clutter, cmp, csvOf, json, put, request, say, sh, shortcut, variant, wrong, type ComposedOutput, type Rule } from './kit.js';
import { crowd } from '../names.js';

interface Student {
  first: string;
  last: string;
  section: 'A' | 'B';
  quiz: number[];
  mid: number;
  fin: number;
  late?: { item: string; days: number };
}
type Skip = 'names' | 'late' | 'cap' | 'drop-lowest';

const LETTERS: Array<[number, string]> = [[90, 'A'], [80, 'B'], [70, 'C'], [60, 'D'], [0, 'F']];

export const gradebookFinal: Family = {
  id: 'gradebook-final',
  version: 1,
  category: 'Content & Domain',
  subcategory: 'curriculum and content design',
  summary: 'Merge two section exports (different name styles), apply a capped late penalty, drop the lowest quiz, weight and letter-grade, write the grade sheet, summary and contact list.',
  generate(ctx): ComposedOutput {
    const { rng, difficulty: d } = ctx;
    const people = crowd(rng, 6 + d * 3);
    const students: Student[] = people.map((p, i) => ({ first: p.first, last: p.last, section: i % 2 ? 'B' : 'A', quiz: Array.from({ length: 4 }, () => rng.int(40, 100)), mid: rng.int(45, 100), fin: rng.int(40, 100) }));
    // Witnesses: a late final (small), a very late midterm (cap), a student near F.
    students[0]!.late = { item: 'final', days: 2 };
    students[1]!.late = { item: 'midterm', days: rng.int(6, 9) };
    students[1]!.quiz[rng.int(0, 3)] = 10; // the dropped quiz matters
    students[2]!.quiz = [30, 55, 50, 45];
    students[2]!.mid = 50;
    students[2]!.fin = 52;
    if (d >= 3) students[3]!.late = { item: 'q2', days: 1 };
    const score = (s: Student, skip: ReadonlySet<Skip>) => {
      const pen = (item: string, v: number) => {
        if (!s.late || s.late.item !== item || skip.has('late')) return v;
        const p = skip.has('cap') ? Math.min(100, s.late.days * 10) : Math.min(50, s.late.days * 10);
        return (v * (100 - p)) / 100;
      };
      const qs = s.quiz.map((q, i) => pen(`q${i + 1}`, q));
      const kept = skip.has('drop-lowest') ? qs : [...qs].sort((a, b) => a - b).slice(1);
      const qavg = kept.reduce((a, b) => a + b, 0) / kept.length;
      return Math.round((0.3 * qavg + 0.3 * pen('midterm', s.mid) + 0.4 * pen('final', s.fin)) * 10) / 10;
    };
    const letter = (x: number) => LETTERS.find(([min]) => x >= min)![1];
    const compute = (skip: ReadonlySet<Skip>) => {
      const rows = students
        .filter((s) => !skip.has('names') || s.section === 'A')
        .map((s) => ({ name: `${s.first} ${s.last}`, section: s.section, score: score(s, skip) }))
        .map((r) => ({ ...r, letter: letter(r.score) }))
        .sort((a, b) => cmp(a.name, b.name));
      const letters = Object.fromEntries(LETTERS.map(([, l]) => [l, rows.filter((r) => r.letter === l).length]));
      const avg = Math.round((rows.reduce((a, r) => a + r.score, 0) / rows.length) * 10) / 10;
      return { rows, letters, avg };
    };
    const cols = ['q1', 'q2', 'q3', 'q4', 'midterm', 'final'];
    const secRows = (sec: 'A' | 'B') => rng.shuffle(students.filter((s) => s.section === sec)).map((s) => [sec === 'A' ? `${s.last}, ${s.first}` : `${s.first.toLowerCase()} ${s.last.toLowerCase()}`, ...s.quiz, s.mid, s.fin]);
    const files: Record<string, string> = {
      'grades/section_a.csv': csvOf(['student', ...cols], secRows('A')),
      'grades/section_b.csv': csvOf(['student', ...cols], secRows('B')),
      'grades/late.csv': csvOf(['student', 'item', 'days_late'], students.filter((s) => s.late).map((s) => [`${s.first} ${s.last}`, s.late!.item, s.late!.days])),
      'grades/old/final_draft.csv': csvOf(['name', 'section', 'score', 'letter'], students.slice(0, 4).map((s) => [`${s.first} ${s.last}`, s.section, rng.int(50, 95), 'B'])),
      'syllabus.md': '# Grading\n\n- Quizzes 30% (the lowest of the four quizzes is dropped), midterm 30%, final 40%.\n- Late work loses 10% of its score per day late, at most 50%.\n- A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, otherwise F.\n',
      ...clutter(rng, d + 2),
    };
    const truth = compute(new Set());
    const render = (skip: ReadonlySet<Skip>, o: { loose?: boolean; noSummary?: boolean } = {}) => {
      const r = compute(skip);
      const failing = r.rows.filter((x) => x.letter === 'F').map((x) => x.name);
      return sh(
        put('grades/final.csv', csvOf(['name', 'section', 'score', 'letter'], r.rows.map((x) => [x.name, x.section, o.loose ? String(x.score) : x.score.toFixed(1), x.letter]))),
        o.noSummary ? '' : put('grades/summary.json', json({ average: r.avg, letters: r.letters, ...(o.loose ? { students: r.rows.length } : {}) }, o.loose ? 4 : 2)),
        o.noSummary ? '' : put('outbox/contact.txt', failing.length ? `${failing.join('\n')}\n` : ''),
      );
    };
    const failing = truth.rows.filter((x) => x.letter === 'F').map((x) => x.name);
    const checks: CheckInput[] = [
      {
        id: 'final_sheet',
        type: 'csv',
        path: 'grades/final.csv',
        columns: ['name', 'section', 'score', 'letter'],
        row_count: truth.rows.length,
        cells: truth.rows.flatMap((x, i) => [
          { row: i, column: 'name', equals: x.name },
          { row: i, column: 'score', equals: x.score },
          { row: i, column: 'letter', equals: x.letter },
        ]),
        weight: 3,
      },
      { id: 'average', type: 'json_path', path: 'grades/summary.json', query: '$.average', equals: truth.avg, tolerance: 0.05 },
      { id: 'letters', type: 'json_path', path: 'grades/summary.json', query: '$.letters', equals: truth.letters },
      failing.length
        ? { id: 'contact', type: 'text_equals', path: 'outbox/contact.txt', text: `${failing.join('\n')}\n` }
        : { id: 'contact', type: 'line_count', path: 'outbox/contact.txt', equals: 0 },
    ];
    const rules: Rule[] = [
      { id: 'names', text: 'Section A writes "Last, First", section B "first last" in lower case; the sheet uses "First Last".' },
      { id: 'late', text: 'Late work loses 10% of its score per day late (grades/late.csv).' },
      { id: 'cap', text: 'The late penalty is at most 50%.' },
      { id: 'drop-lowest', text: 'Each student\'s lowest quiz is dropped before averaging the quizzes.' },
    ];
    const ask = say(rng, [
      'End of term! Could you work out the final grades for both sections of my course? The exports are in `grades/`.',
      'I need the final grade sheet for both of my sections (`grades/section_a.csv`, `grades/section_b.csv`), graded the way the syllabus says.',
    ]);
    const paragraphs = [
      say(rng, [
        'The two exports name students differently — section A as `Last, First`, section B as `first last` in lower case — but the sheet should say `First Last`, properly capitalised. `grades/late.csv` lists late submissions: each day late costs 10% of that item\'s score, at most 50%. Then, as in `syllabus.md`: drop each student\'s lowest quiz (after penalties), quizzes average 30%, midterm 30%, final 40%. `grades/old/` is an old draft, don\'t use it.',
        'Grading rules are in `syllabus.md`: lowest of the four quizzes dropped, quiz average 30%, midterm 30%, final 40%; late items (`grades/late.csv`) lose 10% per day late, capped at 50%, before anything else. Section A exports names as `Last, First`, section B as lower-case `first last` — write them as `First Last`. Ignore the draft in `grades/old/`.',
      ]),
      say(rng, [
        'Write `grades/final.csv` with `name,section,score,letter` (score rounded to one decimal; A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F), sorted by name; `grades/summary.json` with `average` (mean of the scores, one decimal) and `letters` (each of A–F → how many students, zeros included); and `outbox/contact.txt` with the names of students who got an F, one per line, in name order (empty if none).',
        'Outputs: `grades/final.csv` — columns `name,section,score,letter`, score to one decimal, letters per the syllabus, rows by name; `grades/summary.json` — `{"average": mean score to one decimal, "letters": {"A": n, …, "F": n}}` with every letter present; `outbox/contact.txt` — one line per student with an F, sorted by name (an empty file if there are none).',
      ]),
    ];
    const mutants = [
      ...rules.map((r) => wrong(`ignore-${r.id}`, r.id, `the oracle with "${r.text}" ignored`, render(new Set([r.id as Skip])))),
      shortcut('sheet-only', 'writes the grade sheet but no summary or contact list', render(new Set(), { noSummary: true })),
      variant('loose', 'scores without a trailing zero, a 4-space summary with an extra `students` key', render(new Set(), { loose: true })),
    ];
    return {
      title: 'Final grades for both sections',
      instruction: request(ctx, ask, paragraphs),
      workspace: files,
      solution: render(new Set()),
      checks,
      rules,
      mutants,
      operations: ['read and parse CSV files', 'clean and normalize data', 'compute derived values', 'write CSV output', 'write structured JSON output'],
      tags: ['composed', 'grades', 'csv'],
    };
  },
};
