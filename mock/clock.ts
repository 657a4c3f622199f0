// Time as the mock sees it. Everything that depends on time (rate-limit windows, key
// expiry, scan progress) reads a Clock instead of Date.now(), so tests and SDK suites can
// fix or advance it without sleeping.

/** What the mock reads time from. */
export interface Clock {
  /** Milliseconds since the UNIX epoch. */
  now(): number;
}

/** A clock the control API and the in-process handle can set, freeze and advance. */
export interface ControllableClock extends Clock {
  /** Moves time forward by `ms` (frozen or running). */
  advance(ms: number): void;
  /** Jumps to `epochMs`; frozen there unless `running` is true. */
  set(epochMs: number, options?: { running?: boolean }): void;
  isFrozen(): boolean;
  /** Back to how the clock was created. */
  reset(): void;
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
      if (frozenAt !== null) frozenAt += ms;
      else offset += ms;
    },
    set(epochMs, opts = {}) {
      if (opts.running) {
        frozenAt = null;
        offset = epochMs - source();
      } else {
        frozenAt = epochMs;
      }
    },
    isFrozen: () => frozenAt !== null,
    reset: init,
  };
}
