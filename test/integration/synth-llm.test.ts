/**
 * The LLM synthesis routes end to end against a scripted OpenAI-compatible server: the CLI drafts,
 * materializes, tries verifiers in real sandboxes (nop and oracle), judges, adds rubrics, dedups
 * and admits. Each draft's fate is scripted by its id: a good draft is admitted with a working
 * verifier, an answer leak is dropped by the judge, a verifier that nop already satisfies is
 * dropped, a crashing verifier is repaired (or dropped when it never works), a near-duplicate is
 * dropped — and the funnel counts each. A pipeline killed with SIGKILL resumes without redoing
 * admitted drafts. The skill route annotates skills, skips those needing credentials or media, and
 * grounds tasks in the rest.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { CLI, runCli, tempDir } from '../helpers.ts';
import { MockLlm, type RecordedRequest, type ScriptedTurn } from '../mock-llm.ts';
import { Funnel } from '../../src/core/synth/pipeline/funnel.ts';

const llm = new MockLlm();
let config = '';

before(async () => {
  await llm.start();
  const dir = tempDir('clawgym-synth-llm-');
  config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ api_key: 'sk-test-synth', max_retries: 0 }));
});
after(() => llm.stop());

const text = (r: RecordedRequest) => (r.body.messages ?? []).map((m) => String(m.content ?? '')).join('\n');
const stageOf = (r: RecordedRequest) => /ClawGym task synthesis — stage: (\w+)/.exec(text(r))?.[1] ?? '?';
const draftOf = (r: RecordedRequest) => /Draft id: (\S+)/.exec(text(r))?.[1] ?? /Skill: (\S+)/.exec(text(r))?.[1] ?? '?';
/** Which try this is within one conversation (1 = the first answer). */
const turnOf = (r: RecordedRequest) => (r.body.messages ?? []).filter((m) => m.role === 'user').length;
const json = (v: unknown): ScriptedTurn => ({ content: JSON.stringify(v) });

const WORDS = ['apples', 'bridges', 'cobalt', 'dunes', 'embers', 'fjords', 'glaciers', 'harbors'];

/** A sound small task, different for each n: sum a CSV column into total.txt. */
function goodDraft(n: number) {
  const w = WORDS[n % WORDS.length]!;
  const rows = [3 + n, 5, 11 * (n + 1)];
  return {
    title: `Total the ${w} ledger`,
    instruction: `Our ${w} inventory sheet is data/${w}.csv. Please add up every value in its count column and write only the resulting number into total-${w}.txt at the top of the workspace. Variant ${n}: ${w} ${w}s ${n * 7} ${n * 13}.`,
    workspace_files: [{ path: `data/${w}.csv`, content: `item,count\n${rows.map((r, i) => `${w}-${i},${r}`).join('\n')}\n` }],
    expected_behavior: `total-${w}.txt holds ${rows.reduce((a, b) => a + b, 0)}.`,
    difficulty: 2,
    solution: `#!/usr/bin/env bash\npython3 -c "import csv; print(sum(int(r['count']) for r in csv.DictReader(open('data/${w}.csv'))))" > total-${w}.txt\n`,
    _total: rows.reduce((a, b) => a + b, 0),
    _word: w,
  };
}

const draftAnswer = (n: number) => {
  const { _total, _word, ...d } = goodDraft(n);
  void _total;
  void _word;
  return d;
};
const goodChecks = (n: number) => {
  const g = goodDraft(n);
  return { checks: [{ id: 'total', type: 'text_equals', path: `total-${g._word}.txt`, text: String(g._total), normalize: { whitespace: true } }, { id: 'sheet_kept', type: 'file_unchanged', path: `data/${g._word}.csv`, weight: 0 }], check_py: null };
};
const goodCheckPy = (n: number) => {
  const g = goodDraft(n);
  return `import json\ntry:\n    ok = open('total-${g._word}.txt').read().strip() == '${g._total}'\nexcept OSError:\n    ok = False\nprint(json.dumps({"total": 1.0 if ok else 0.0}))\n`;
};
const judgeOk = json({ answer_leak: false, factual_errors: [], verdict: 'accept', reason: 'sound' });

type Fate = 'good' | 'leak' | 'nop' | 'crash-repaired' | 'crash-always' | 'duplicate';

/** Answers by stage and by draft: the draft's index picks its fate. */
function script(fates: Fate[]) {
  return (r: RecordedRequest): ScriptedTurn => {
    const stage = stageOf(r);
    const id = draftOf(r);
    const i = Number(/-(\d+)$/.exec(id)?.[1] ?? 0);
    const fate = fates[i] ?? 'good';
    // A duplicate repeats draft 0 word for word.
    const n = fate === 'duplicate' ? 0 : i;
    switch (stage) {
      case 'draft':
        return json(draftAnswer(n));
      case 'verifier':
        if (fate === 'nop') return json({ checks: [{ id: 'sheet_there', type: 'file_exists', path: `data/${goodDraft(n)._word}.csv` }] });
        if (fate === 'crash-always' || (fate === 'crash-repaired' && turnOf(r) === 1)) return json({ checks: [], check_py: 'import json\nraise RuntimeError("boom")\n' });
        if (fate === 'crash-repaired') return json({ checks: [], check_py: goodCheckPy(n) });
        return json(goodChecks(n));
      case 'judge':
        return fate === 'leak' ? json({ answer_leak: true, factual_errors: [], verdict: 'reject', reason: 'the instruction gives the total away' }) : judgeOk;
      case 'rubric':
        return json(i === 0 ? { rules: [{ name: 'tidy_output', file_path: 'total-apples.txt', scores: { '0': 'cluttered', '1': 'just the number' } }] } : { rules: [] });
      default:
        return { content: 'unexpected stage' };
    }
  };
}

function synthArgs(out: string, extra: string[] = []): string[] {
  return ['synth', '--route', 'persona', '--out', out, '--model', 'synth-model', '--base-url', llm.url, '--config', config, '--seed', '7', ...extra];
}

test('persona route: good draft admitted with a working verifier; leak, nop > 0, crashing verifier and duplicate dropped; funnel counts each', async () => {
  const fates: Fate[] = ['good', 'leak', 'nop', 'crash-repaired', 'crash-always', 'duplicate'];
  llm.setScript(script(fates));
  llm.requests.length = 0;
  const out = join(tempDir('clawgym-synth-persona-'), 'pool');
  const r = await runCli(synthArgs(out, ['--n', '6', '--max-drafts', '6', '--verifier-attempts', '2', '--concurrency', '3', '--json']));
  assert.equal(r.code, 0, r.stderr);
  const funnel = Funnel.parse(JSON.parse(r.stdout));
  assert.deepEqual(Funnel.parse(JSON.parse(readFileSync(join(out, 'funnel.json'), 'utf8'))), funnel);

  const ids = fates.map((_, i) => `persona-s7-${String(i).padStart(5, '0')}`);
  const admitted = readdirSync(out).filter((d) => existsSync(join(out, d, 'task.yaml'))).sort();
  assert.deepEqual(admitted, [ids[0], ids[3]]);
  assert.equal(funnel.admitted, 2);
  assert.equal(funnel.drafts, 6);
  const st = Object.fromEntries(funnel.stages.map((s) => [s.stage, s]));
  assert.deepEqual([st.draft!.entered, st.draft!.dropped], [6, 0]);
  assert.deepEqual([st.verifier!.entered, st.verifier!.dropped, st.verifier!.reasons], [6, 2, { nop_nonzero: 1, verifier_crash: 1 }]);
  assert.deepEqual([st.judge!.entered, st.judge!.dropped, st.judge!.reasons], [4, 1, { answer_leak: 1 }]);
  assert.deepEqual([st.rubric!.entered, st.dedup!.entered, st.dedup!.dropped, st.dedup!.reasons], [3, 3, 1, { near_duplicate: 1 }]);
  assert.deepEqual([st.admit!.entered, st.admit!.passed], [2, 2]);
  assert.equal(funnel.verifier.repaired, 1);
  const why = Object.fromEntries(funnel.dropped.map((d) => [d.id, `${d.stage}:${d.kind}`]));
  assert.deepEqual(why, { [ids[1]!]: 'judge:answer_leak', [ids[2]!]: 'verifier:nop_nonzero', [ids[4]!]: 'verifier:verifier_crash', [ids[5]!]: 'dedup:near_duplicate' });
  assert.match(funnel.dropped.find((d) => d.id === ids[5])!.reason, new RegExp(`near-duplicate of ${ids[0]}`));

  // The admitted task is a native task with its provenance, verifier, rubric and hidden solution...
  const spec = parse(readFileSync(join(out, ids[0]!, 'task.yaml'), 'utf8'));
  assert.equal(spec.provenance.route, 'persona');
  assert.equal(spec.provenance.model, 'synth-model');
  assert.ok(spec.provenance.persona);
  assert.ok(spec.operations.length >= 2 && spec.operations.length <= 4);
  assert.equal(spec.verify.rubric.rules[0].name, 'tidy_output');
  assert.ok(existsSync(join(out, ids[0]!, 'solution', 'solve.sh')));
  assert.ok(existsSync(join(out, ids[3]!, 'tests', 'check.py')));
  // ...and its verifier works: oracle 1, nop 0 (the rubric is not judged without a judge model).
  for (const [agent, reward] of [['oracle', 1], ['nop', 0]] as const) {
    const run = await runCli(['run', out, '--agent', agent, '--json', '--no-progress', '--out', join(out, '..', `run-${agent}`)]);
    const results = run.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.event === 'result');
    assert.equal(results.length, 2, run.stderr);
    for (const x of results) assert.equal(x.code_score, reward, `${agent} ${x.task_id}: ${x.error}`);
  }

  // The crashing verifier's failure went back to the model on the second try.
  const repair = llm.requests.filter((q) => stageOf(q) === 'verifier' && draftOf(q) === ids[3] && turnOf(q) === 2);
  assert.equal(repair.length, 1);
  assert.match(text(repair[0]!), /boom/);
  // Drafts come from the taxonomy and a persona; the judge saw the checks.
  assert.match(text(llm.requests.find((q) => stageOf(q) === 'draft')!), /Persona: .*\nScenario: .+ \/ .+/);
  assert.match(text(llm.requests.find((q) => stageOf(q) === 'judge')!), /Verifier checks:/);

  // A rerun finds everything done: no model call at all.
  const before = llm.requests.length;
  const again = await runCli(synthArgs(out, ['--n', '6', '--max-drafts', '6', '--verifier-attempts', '2', '--json']));
  assert.equal(again.code, 0, again.stderr);
  assert.equal(llm.requests.length, before);
  assert.equal(Funnel.parse(JSON.parse(again.stdout)).admitted, 2);
});

test('persona route: an invalid draft gets one repair turn; a draft still invalid is dropped at the draft stage', async () => {
  llm.requests.length = 0;
  const base = script(['good', 'good']);
  llm.setScript((r) => {
    if (stageOf(r) === 'draft' && draftOf(r).endsWith('00000') && turnOf(r) === 1) return { content: 'Sure! Here is a task: {"title": "x"' };
    if (stageOf(r) === 'draft' && draftOf(r).endsWith('00001')) return json({ title: 'no instruction' });
    return base(r);
  });
  const out = join(tempDir('clawgym-synth-repair-'), 'pool');
  const r = await runCli(synthArgs(out, ['--n', '2', '--max-drafts', '2', '--json']));
  assert.equal(r.code, 0, r.stderr);
  const funnel = Funnel.parse(JSON.parse(r.stdout));
  assert.equal(funnel.admitted, 1);
  assert.deepEqual(funnel.stages[0]!.reasons, { invalid_draft: 1 });
  const draftCalls = llm.requests.filter((q) => stageOf(q) === 'draft');
  assert.equal(draftCalls.length, 4, 'each draft: one answer and one repair');
  assert.match(text(draftCalls.find((q) => draftOf(q).endsWith('00000') && turnOf(q) === 2)!), /not valid JSON/);
});

test('persona route: killed with SIGKILL after a task was admitted, a rerun finishes without redoing admitted drafts', async () => {
  const base = script(['good', 'good', 'good']);
  // Slow answers, so the kill lands while later drafts are still being worked on.
  llm.setScript((r) => ({ ...base(r), delayMs: 150 }));
  llm.requests.length = 0;
  const out = join(tempDir('clawgym-synth-kill-'), 'pool');
  const args = synthArgs(out, ['--n', '3', '--max-drafts', '3', '--concurrency', '1', '--json']);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
  const first = join(out, 'persona-s7-00000', 'task.yaml');
  await new Promise<void>((res, rej) => {
    const t0 = Date.now();
    const tick = setInterval(() => {
      if (existsSync(first)) {
        clearInterval(tick);
        child.kill('SIGKILL');
        res();
      } else if (Date.now() - t0 > 60_000) {
        clearInterval(tick);
        child.kill('SIGKILL');
        rej(new Error('no task admitted within 60 s'));
      }
    }, 20);
  });
  await new Promise((r) => child.once('exit', r));
  const admittedBefore = readdirSync(out).filter((d) => existsSync(join(out, d, 'task.yaml')));
  assert.ok(admittedBefore.length >= 1 && admittedBefore.length < 3, `admitted before the kill: ${admittedBefore}`);
  const firstRun = llm.requests.length;

  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  const funnel = Funnel.parse(JSON.parse(r.stdout));
  assert.equal(funnel.admitted, 3);
  const rerun = llm.requests.slice(firstRun);
  for (const id of admittedBefore) assert.equal(rerun.filter((q) => draftOf(q) === id).length, 0, `${id} was redone`);
  // Each draft needs 4 calls (draft, verifier, judge, rubric); at most the stage cut by the kill is asked again.
  assert.ok(llm.requests.length <= 3 * 4 + 1, `calls in all: ${llm.requests.length}`);
  assert.equal(funnel.llm_calls, rerun.length);
});

test('skill route: skills needing credentials or media are skipped; tasks are grounded in a primary and supporting skills', async () => {
  const skillsDir = tempDir('clawgym-skills-');
  const skill = (name: string, description: string, body = 'Use local files.') => {
    mkdirSync(join(skillsDir, name), { recursive: true });
    writeFileSync(join(skillsDir, name, 'SKILL.md'), `---\nname: ${name}\ndescription: ${description}\nmetadata: {"clawgym":{"demo":true}}\n---\n# ${name}\n\n${body}\n`);
  };
  skill('csv-sum', 'Sum columns of CSV files.');
  skill('text-report', 'Write short plain-text reports.');
  skill('cloud-upload', 'Upload files to a cloud bucket with an API key.');
  skill('image-tagger', 'Tag photos by looking at them.');
  const base = script(['good', 'good']);
  llm.requests.length = 0;
  llm.setScript((r) => {
    if (stageOf(r) === 'annotate') {
      const name = draftOf(r);
      return json({ inputs: ['csv'], outputs: ['txt'], needs_credentials: name === 'cloud-upload', needs_media: name === 'image-tagger', summary: name });
    }
    return base(r);
  });
  const out = join(tempDir('clawgym-synth-skill-'), 'pool');
  const args = ['synth', '--route', 'skill', '--skills', skillsDir, '--out', out, '--model', 'synth-model', '--base-url', llm.url, '--config', config, '--seed', '3', '--n', '2', '--json'];
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  const funnel = Funnel.parse(JSON.parse(r.stdout));
  assert.equal(funnel.admitted, 2);
  assert.deepEqual(funnel.skills, { total: 4, usable: 2, skipped: { 'cloud-upload': 'needs_credentials', 'image-tagger': 'needs_media' } });
  const drafts = llm.requests.filter((q) => stageOf(q) === 'draft');
  assert.equal(drafts.length, 2);
  for (const d of drafts) {
    assert.match(text(d), /Primary skill: (csv-sum|text-report)/);
    assert.match(text(d), /Supporting skill: (csv-sum|text-report)/);
    assert.doesNotMatch(text(d), /cloud-upload|image-tagger/);
  }
  const tasks = readdirSync(out).filter((d) => existsSync(join(out, d, 'task.yaml')));
  const spec = parse(readFileSync(join(out, tasks[0]!, 'task.yaml'), 'utf8'));
  assert.equal(spec.provenance.route, 'skill');
  assert.equal(spec.provenance.skills.length, 2);
  for (const s of spec.provenance.skills) assert.ok(existsSync(join(out, tasks[0]!, 'workspace', 'skills', s, 'SKILL.md')), `skill ${s} in the workspace`);
  // Annotations are kept: a rerun asks nothing again.
  const n = llm.requests.length;
  const again = await runCli(args);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(llm.requests.length, n);
});

test('skill route: the bundled skills load and the ones needing credentials or media are among them', async () => {
  const { bundledSkillsDir, loadSkills } = await import('../../src/core/synth/skills.ts');
  const skills = loadSkills(bundledSkillsDir());
  assert.ok(skills.length >= 8, `${skills.length} bundled skills`);
  for (const s of skills) assert.ok(s.description.length > 10 && s.text.includes('---'), s.name);
  assert.ok(skills.some((s) => s.name === 'slack-announcer') && skills.some((s) => s.name === 'photo-captioner'));
  assert.ok(existsSync(join(CLI, '..', 'data', 'skills', 'csv-reports', 'SKILL.md')), 'the build copies them beside the CLI bundle');
});
