// Time as the mock sees it. Everything that depends on time (rate-limit windows, key
// expiry, scan progress) reads a Clock instead of Date.now(), so tests and SDK suites can
// fix or advance it without sleeping.

import { parseDateTime } from '../lib/date-time';

/**
 * The range the clock may be set or advanced to: every instant the mock writes (seeded data
 * up to a year old, grace periods and windows ahead) then still has a four-digit year, as
 * RFC 3339 needs. Outside it, set and advance throw ClockRangeError.
 */
export const CLOCK_RANGE = { min: parseDateTime('0001-01-01T00:00:00Z')!, max: parseDateTime('9998-12-31T23:59:59.999Z')! };

/** A time the clock cannot take; the control API answers it with 400. */
export class ClockRangeError extends RangeError {
  constructor(readonly attempted: number) {
    super('The clock must stay between 0001-01-01 and 9998-12-31 (UTC), in whole milliseconds');
    this.name = 'ClockRangeError';
  }
}

/** Throws ClockRangeError unless `ms` is a whole millisecond inside CLOCK_RANGE. */
export function checkClockTime(ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < CLOCK_RANGE.min || ms > CLOCK_RANGE.max) throw new ClockRangeError(ms);
  return ms;
}

/** What the mock reads time from. */
export interface Clock {
  /** Milliseconds since the UNIX epoch. */
  now(): number;
}

/** A clock the control API and the in-process handle can set, freeze and advance. */
export interface ControllableClock extends Clock {
  /** Moves time forward by `ms` (frozen or running). Throws ClockRangeError past the range. */
  advance(ms: number): void;
  /** Jumps to `epochMs`; frozen there unless `running` is true. Throws ClockRangeError outside the range. */
  set(epochMs: number, options?: { running?: boolean }): void;
  isFrozen(): boolean;
  /** Back to how the clock was created. */
  reset(): void;
  /** Where the clock stands: frozen at an instant, or running at an offset from the real time. */
  position(): ClockPosition;
  /** Puts the clock where `position()` said another clock stood (a shared clock's replicas agree on it). */
  restore(position: ClockPosition): void;
}

/** A clock's setting: `frozenAt` (or null when it runs) and the offset from its source. */
export interface ClockPosition {
  frozenAt: number | null;
  offset: number;
}

export interface ClockOptions {
  /** Start (and freeze) at this time; omit for the real time. */
  start?: number;
  /** With `start`, let the clock run on from it instead of freezing. */
  running?: boolean;
  /** The real time source; Date.now unless a test injects another. */
  source?: () => number;
}

/** Creates a clock: real by default, fixed or offset on demand. */
export function createClock(options: ClockOptions = {}): ControllableClock {
  const source = options.source ?? Date.now;
  let frozenAt: number | null = null;
  let offset = 0;

  if (options.start !== undefined) checkClockTime(options.start);

  function init(): void {
    frozenAt = null;
    offset = 0;
    if (options.start !== undefined) {
      if (options.running) offset = options.start - source();
      else frozenAt = options.start;
    }
  }
  init();

  return {
    now: () => (frozenAt !== null ? frozenAt : source() + offset),
    advance(ms) {
      // Checked before it moves: the clock's time is a finite integer by construction.
      if (!Number.isSafeInteger(ms) || ms < 0) throw new ClockRangeError(ms);
      const current = frozenAt !== null ? frozenAt : source() + offset;
      checkClockTime(current + ms);
      if (frozenAt !== null) frozenAt += ms;
      else offset += ms;
    },
    set(epochMs, opts = {}) {
      checkClockTime(epochMs);
      if (opts.running) {
        frozenAt = null;
        offset = epochMs - source();
      } else {
        frozenAt = epochMs;
      }
    },
    isFrozen: () => frozenAt !== null,
    reset: init,
    position: () => ({ frozenAt, offset }),
    restore(position) {
      if (position.frozenAt !== null) checkClockTime(position.frozenAt);
      frozenAt = position.frozenAt;
      offset = position.offset;
    },
  };
}
