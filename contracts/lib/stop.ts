// The run's stop: why a run ends early for a reason that is not one check's failure.

/**
 * The run stops here, for a reason that is not one check's failure: the deadline passed,
 * the rate-limit budget is used up and will not come back in time, the server cannot be
 * reached, a 429 does not say when the budget comes back, or the run was interrupted. The
 * runner lists what was not run.
 */
export class RunStopped extends Error {
  constructor(
    readonly kind: 'deadline' | 'rate-limit-budget' | 'malformed-429' | 'unreachable' | 'interrupted',
    message: string,
  ) {
    super(`[${kind}] ${message}`);
    this.name = 'RunStopped';
  }
}
