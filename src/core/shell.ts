/** POSIX shell quoting, for command lines ClawGym writes (agent commands, terminal runs). */

/** One word, always single-quoted: safe for any string. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A command line: plain words stay bare so a person can read it; anything else is quoted. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : shellQuote(a))).join(' ');
}
