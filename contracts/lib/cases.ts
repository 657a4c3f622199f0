// The cases a run registers: suites, groups (as `describe` makes them), cases, and the
// skipped ones with why, told apart as CI must tell them apart.

/**
 * Why a case is skipped, which CI must tell apart: a key the run was not given (a gap the
 * run fails on, unless --allow-missing-keys), something the run was not asked to do
 * (--allow-writes and the like), or something the target cannot do (Prism).
 */
export type SkipKind = 'missing-key' | 'not-asked' | 'target-cannot';

/** A precondition: [holds, why the case is skipped when it does not, the kind of that reason (not-asked unless said), the missing key's variable]. */
export type Precondition = [boolean, string] | [boolean, string, SkipKind] | [boolean, string, 'missing-key', string];

export interface RegisteredCase {
  suite: string;
  name: string;
  skip?: string;
  skipKind?: SkipKind;
  /** The variable of the key whose absence skips the case. */
  missingKey?: string;
  fn: () => Promise<void>;
}

/** A scenario the run leaves out, for the summary. */
export interface SkippedNote {
  scenario: string;
  reason: string;
  kind: SkipKind;
}

/** One run's registry of cases. */
export function createCaseRegistry() {
  const cases: RegisteredCase[] = [];
  const skippedNotes: SkippedNote[] = [];
  let suite = '';
  const groups: string[] = [];
  const fullName = (name: string) => [...groups, name].join(' › ');

  /** Groups cases under a name, as `describe` does. */
  function describe(name: string, fn: () => void): void {
    groups.push(name);
    try {
      fn();
    } finally {
      groups.pop();
    }
  }

  function it(name: string, fn: () => Promise<void>): void {
    cases.push({ suite, name: fullName(name), fn });
  }

  /**
   * `it`, or a skipped case with the reason recorded when a precondition fails. A case is
   * put down to a missing key only when nothing else would skip it too.
   */
  function itWhen(preconditions: Precondition[]) {
    const failing = preconditions.filter(([ok]) => !ok);
    const reason = failing.find((p) => p[2] !== 'missing-key') ?? failing[0];
    if (!reason) return it;
    const kind: SkipKind = reason[2] ?? 'not-asked';
    return (name: string, fn: () => Promise<void>) => {
      skippedNotes.push({ scenario: name, reason: reason[1], kind });
      cases.push({ suite, name: fullName(name), skip: reason[1], skipKind: kind, ...(reason[3] ? { missingKey: reason[3] } : {}), fn });
    };
  }

  return {
    cases,
    skippedNotes,
    /** Registers a suite's cases under its name. */
    suite(name: string, register: () => void): void {
      suite = name;
      register();
      suite = '';
    },
    describe,
    it,
    itWhen,
    /** Notes a scenario the run leaves out, and why, for the summary. */
    skipped(scenario: string, reason: string, kind: SkipKind = 'not-asked'): void {
      skippedNotes.push({ scenario, reason, kind });
    },
  };
}
