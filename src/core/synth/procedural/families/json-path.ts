/** json_path queries for checks. */

/** Quote keys into a json_path query: q('a', 0, 'b') → $['a'][0]['b']. */
export function q(...keys: Array<string | number>): string {
  return '$' + keys.map((k) => (typeof k === 'number' ? `[${k}]` : `['${k}']`)).join('');
}
