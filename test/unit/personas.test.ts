/** The bundled persona bank: at least 200 valid, distinct personas in every voice; the original ids kept. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bundledPersonas, Persona } from '../../src/core/synth/personas.ts';

test('the bundled persona bank is large, valid and varied', () => {
  const ps = bundledPersonas();
  assert.ok(ps.length >= 200, `${ps.length} personas`);
  for (const p of ps) Persona.parse(p);
  assert.equal(new Set(ps.map((p) => p.id)).size, ps.length, 'ids are unique');
  for (const id of ['maya-ops-lead', 'daniel-phd', 'aiko-freelancer', 'robert-cfo', 'lena-sre']) assert.ok(ps.some((p) => p.id === id), id);
  for (const v of Persona.shape.voice.options) assert.ok(ps.filter((p) => p.voice === v).length >= 30, `voice ${v}`);
  assert.ok(new Set(ps.map((p) => p.role)).size >= 150, 'roles are varied');
  assert.ok(new Set(ps.map((p) => p.context.split(' in ').at(-1))).size >= 100, 'places are varied');
  assert.ok(ps.every((p) => p.interests.length >= 1));
});
