/** Name pools for workspaces: people (a wider pool than common.ts, so workspaces vary across seeds), teams, hosts. All deterministic. */
import type { Rng } from '../../../rng.js';

export const WIDE_FIRST_NAMES = [
  'Alice', 'Bruno', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Gustav', 'Hana', 'Ivan', 'Jun', 'Kofi', 'Lucia', 'Mateo', 'Nadia', 'Omar', 'Priya',
  'Quentin', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Aisha', 'Bjorn', 'Carmen', 'Dmitri', 'Elena', 'Farid',
  'Greta', 'Hiro', 'Ingrid', 'Jonas', 'Keiko', 'Leon', 'Maren', 'Nikhil', 'Olga', 'Pablo', 'Ravi', 'Sofia', 'Tomas', 'Valentina', 'Wanjiru', 'Yara',
];
export const WIDE_LAST_NAMES = [
  'Okafor', 'Schmidt', 'Tanaka', 'Garcia', 'Kowalski', 'Nguyen', 'Haddad', 'Silva', 'Johansson', 'Patel', 'Dubois', 'Rossi', 'Kim', 'Novak',
  'Moreau', 'Ali', 'Andersen', 'Bianchi', 'Costa', 'Deng', 'Eriksen', 'Fischer', 'Gomez', 'Hughes', 'Iyer', 'Jensen', 'Kaur', 'Larsen', 'Mensah',
  'Nakamura', 'Oyelaran', 'Petrov', 'Quispe', 'Reyes', 'Sato', 'Torres', 'Usman', 'Varga', 'Walsh', 'Yilmaz', 'Zhou',
];

export interface CrowdMember {
  first: string;
  last: string;
  full: string;
  handle: string;
}

/** `k` distinct people from the wide pool (distinct full names and handles). */
export function crowd(rng: Rng, k: number): CrowdMember[] {
  const seen = new Set<string>();
  const out: CrowdMember[] = [];
  let guard = 0;
  while (out.length < k && guard++ < 10_000) {
    const first = rng.pick(WIDE_FIRST_NAMES);
    const last = rng.pick(WIDE_LAST_NAMES);
    const full = `${first} ${last}`;
    if (seen.has(full) || out.some((p) => p.first === first && k <= 20)) continue;
    seen.add(full);
    out.push({ first, last, full, handle: `${first.toLowerCase()}.${last.toLowerCase()}` });
  }
  return out;
}

/** Lowercase first names, for user accounts and owners. */
export const SHORT_NAMES = [
  'alice', 'bruno', 'chen', 'dana', 'emeka', 'fatima', 'gustav', 'hana', 'ivan', 'jun', 'kofi', 'lucia', 'mateo', 'nadia', 'omar', 'priya',
  'quentin', 'rosa', 'sven', 'tariq', 'uma', 'viktor', 'wen', 'ximena', 'yusuf', 'zoe', 'aisha', 'bjorn', 'carmen', 'dmitri', 'elena', 'farid',
];

export const TEAM_NAMES = ['atlas', 'borealis', 'cobalt', 'delta', 'ember', 'fjord', 'granite', 'harbor', 'iris', 'juniper', 'kestrel', 'lumen', 'meridian', 'nimbus', 'onyx', 'pioneer', 'quartz', 'redwood', 'sierra', 'tundra', 'umber', 'vertex', 'willow', 'zephyr'];

export const HOST_PREFIXES = ['web', 'api', 'db', 'cache', 'worker', 'batch', 'edge', 'ingest', 'search', 'queue', 'build', 'mail'];
