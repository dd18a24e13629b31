/** CSV text for workspaces (RFC 4180 quoting). */

/** A CSV line: fields with a comma, quote or newline are quoted. */
export function csvRow(cells: ReadonlyArray<string | number>): string {
  return cells
    .map((c) => {
      const s = String(c);
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',');
}

/** A header and rows, one line each, ending in a newline. */
export function csvText(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return [csvRow(header), ...rows.map(csvRow)].join('\n') + '\n';
}
