// @ts-nocheck
// RFC 3339 date-times as the mock accepts them: only those JavaScript's Date can hold.
// Ajv's `date-time` format accepts a leap second (`23:59:60`) and an offset without
// minutes (`+01`), which Date.parse turns into NaN; a NaN clock switched rate limiting off.
// This parser is the one place a date-time string becomes epoch milliseconds, and the
// schema validators use it as their `date-time` format, so a value that passes validation
// always has a finite time.

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const daysIn = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/**
 * Epoch milliseconds of an RFC 3339 date-time (section 5.6), or undefined when the text is
 * not one or names an instant Date cannot hold: a leap second, a day the month lacks, an
 * hour past 23. Fractions beyond milliseconds are cut, not rounded.
 */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let offsetMinutes = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  const epoch = date.getTime() - offsetMinutes * 60_000;
  return isHoldable(epoch) ? epoch : undefined;
}

/** The largest distance from the epoch a Date holds (ECMA-262 section 21.4.1.22). */
export const MAX_EPOCH_MS = 8.64e15;

/** Whether `ms` is an integer instant that Date can hold. */
export function isHoldable(ms: number): boolean {
  return Number.isSafeInteger(ms) && Math.abs(ms) <= MAX_EPOCH_MS;
}

/** The `date-time` format for Ajv: RFC 3339 and holdable by Date. */
export const dateTimeFormat = { type: 'string' as const, validate: (text: string) => parseDateTime(text) !== undefined };
