/** Gregorian date and clock arithmetic for workspaces (no Date: it depends on the host's zone). */

/** Day of week (0 = Monday … 6 = Sunday) for a Gregorian date. */
export function weekday(y: number, m: number, d: number): number {
  const t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
  const yy = m < 3 ? y - 1 : y;
  const sun0 = (yy + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400) + t[m - 1]! + d) % 7; // 0 = Sunday
  return (sun0 + 6) % 7;
}

export const DOW = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const MON3 = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Days in a month (m 1–12). */
export function daysInMonth(y: number, m: number): number {
  return [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Add `n` days to a date. */
export function addDays(y: number, m: number, d: number, n: number): [number, number, number] {
  let [yy, mm, dd] = [y, m, d + n];
  while (dd > daysInMonth(yy, mm)) {
    dd -= daysInMonth(yy, mm);
    mm++;
    if (mm > 12) {
      mm = 1;
      yy++;
    }
  }
  while (dd < 1) {
    mm--;
    if (mm < 1) {
      mm = 12;
      yy--;
    }
    dd += daysInMonth(yy, mm);
  }
  return [yy, mm, dd];
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Minutes since midnight → HH:MM. */
export function hhmm(min: number): string {
  return `${pad2(Math.floor(min / 60))}:${pad2(min % 60)}`;
}
