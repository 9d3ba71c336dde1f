/** Date and datetime values: SOQL date literals as UTC ranges, and the REST output formats. */

const DAY = 86_400_000;

/** A half-open range of epoch milliseconds. */
export type Range = { start: number; end: number };

type DateLiteralDef = { takesN: boolean; range: (today: number, n: number) => Range };

function monthStart(today: number, monthsFromNow: number): number {
  const d = new Date(today);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthsFromNow, 1);
}

/** Supported relative date literals (UTC; `today` is 00:00 of the current day). */
export const DATE_LITERALS: ReadonlyMap<string, DateLiteralDef> = new Map<string, DateLiteralDef>([
  ['TODAY', { takesN: false, range: (t) => ({ start: t, end: t + DAY }) }],
  ['YESTERDAY', { takesN: false, range: (t) => ({ start: t - DAY, end: t }) }],
  ['TOMORROW', { takesN: false, range: (t) => ({ start: t + DAY, end: t + 2 * DAY }) }],
  // includes today: LAST_N_DAYS:1 is yesterday and today
  ['LAST_N_DAYS', { takesN: true, range: (t, n) => ({ start: t - n * DAY, end: t + DAY }) }],
  // starts tomorrow
  ['NEXT_N_DAYS', { takesN: true, range: (t, n) => ({ start: t + DAY, end: t + (n + 1) * DAY }) }],
  ['N_DAYS_AGO', { takesN: true, range: (t, n) => ({ start: t - n * DAY, end: t - (n - 1) * DAY }) }],
  ['THIS_MONTH', { takesN: false, range: (t) => ({ start: monthStart(t, 0), end: monthStart(t, 1) }) }],
  ['LAST_MONTH', { takesN: false, range: (t) => ({ start: monthStart(t, -1), end: monthStart(t, 0) }) }],
  // the n whole months before the current one
  ['LAST_N_MONTHS', { takesN: true, range: (t, n) => ({ start: monthStart(t, -n), end: monthStart(t, 0) }) }],
]);

export function dateLiteralRange(name: string, n: number, now: Date): Range {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const def = DATE_LITERALS.get(name);
  if (!def) throw new Error(`unknown date literal ${name}`);
  return def.range(today, n);
}

/** The day a `YYYY-MM-DD` value (or literal) covers. */
export function dayRange(date: string): Range {
  const start = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return { start, end: start + DAY };
}

/** Epoch milliseconds of a stored datetime (ISO string) or date, NaN when unparsable. */
let lastText = '';
let lastMillis = Number.NaN;

export function toMillis(value: string): number {
  // a scan reads the same value for WHERE and MAX/MIN/ORDER BY: parse it once
  if (value === lastText) return lastMillis;
  lastText = value;
  lastMillis = value.length === 10 ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  return lastMillis;
}

/** `2026-01-01T00:00:00.000+0000`, as the REST API writes datetimes. */
export function formatDateTime(value: string): string {
  const ms = toMillis(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString().replace('Z', '+0000');
}

/** `YYYY-MM-DD` */
export function formatDate(value: string): string {
  return value.slice(0, 10);
}
