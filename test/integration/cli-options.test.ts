/**
 * Every option of every command, given a malformed value: a usage error (exit 2) that names the
 * option, and nothing written. Options are found by walking the real program, so a new command or
 * option is covered the day it lands — and a numeric-looking option without a parser fails here.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import type { Command, Option } from 'commander';
import pLimit from 'p-limit';
import { buildProgram } from '../../src/cli/main.ts';
import { runCli, tempDir } from '../helpers.ts';

interface Case {
  argv: string[];
  flag: string;
}

/** An argument name that says "a number": such an option must parse its value. */
const NUMERIC_ARG = /<(n|x|k|s|ms|port|seed|size|count|threshold)>/;

/** Values a number parser should refuse; the first one the option's own parser rejects is used. */
const BAD_NUMBERS = ['abc', '-1', '1.5', '', 'NaN', '1e999', '0x'];

/** Every command, nested groups included (`bench build`, `serve env`…), with the words that name it. */
function commandPaths(program: Command): Array<{ names: string[]; cmd: Command }> {
  const out: Array<{ names: string[]; cmd: Command }> = [];
  const visit = (c: Command, names: string[]) => {
    for (const sub of c.commands) {
      out.push({ names: [...names, sub.name()], cmd: sub });
      visit(sub, [...names, sub.name()]);
    }
  };
  visit(program, []);
  return out;
}

function badValue(o: Option): string | undefined {
  if (o.argChoices?.length) return 'not-a-choice';
  const parse = o.parseArg as ((v: string, prev: unknown) => unknown) | undefined;
  if (!parse) return undefined;
  for (const v of BAD_NUMBERS) {
    try {
      parse.call(o, v, o.defaultValue);
    } catch {
      return v;
    }
  }
  return undefined;
}

test('every option rejects a malformed value with a usage error that names it, and writes nothing', { timeout: 240_000 }, async () => {
  const program = buildProgram();
  const cases: Case[] = [];
  const unparsed: string[] = [];
  for (const { names, cmd } of commandPaths(program)) {
    for (const o of cmd.options as Option[]) {
      if (!o.required && !o.optional) continue; // a switch
      if (!o.long) continue;
      const bad = badValue(o);
      if (bad === undefined) {
        // Free text (paths, URLs, names) has no malformed value; a number must have a parser.
        if (NUMERIC_ARG.test(o.flags)) unparsed.push(`${names.join(' ')} ${o.flags}`);
        continue;
      }
      cases.push({ argv: [...names, `${o.long}=${bad}`], flag: o.long });
    }
  }
  assert.deepEqual(unparsed, [], 'numeric options without a shared parser (src/cli/options.ts)');
  assert.ok(cases.length >= 40, `only ${cases.length} options with a checkable value found`);

  const cwd = tempDir('clawgym-badopt-');
  const limit = pLimit(4);
  const failures: string[] = [];
  await Promise.all(
    cases.map((c) =>
      limit(async () => {
        const r = await runCli(c.argv, { cwd, env: { HOME: cwd, XDG_CONFIG_HOME: cwd } });
        if (r.code !== 2) failures.push(`${c.argv.join(' ')}: exit ${r.code} (${(r.stderr || r.stdout).trim().split('\n')[0]})`);
        else if (!r.stderr.includes(c.flag)) failures.push(`${c.argv.join(' ')}: the error does not name ${c.flag}: ${r.stderr.trim()}`);
      }),
    ),
  );
  assert.deepEqual(failures, []);
  assert.deepEqual(readdirSync(cwd), [], 'a rejected command wrote files');
});

test('a run.json that is not a manifest is a usage error naming the file and field, not a zod dump', async () => {
  const dir = tempDir('clawgym-badrun-');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${dir}/run.json`, JSON.stringify({ schema_version: 1, run_id: 'x', harness_retries: null }));
  const r = await runCli(['run', '--resume', dir, '--no-progress']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /run\.json: not a run manifest \(.*harness_retries/);
  assert.doesNotMatch(r.stderr, /"code":|ZodError/);
});
