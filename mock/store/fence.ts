// The state fence: a script that answers a request can be told the version of the shared
// state (`<prefix>state:version`) this instance holds; when Redis holds another, the script
// changes nothing and answers stale, and the request is run again once the instance has
// caught up (docs/scaling.md). No import: the pipeline and the browser bundle know it
// without the Redis client.

/** The state version an instance holds, given to each fenced store call. */
export interface StateFence {
  /** The version of the shared state this instance has applied. */
  version(): number;
}

/**
 * A fenced call found the shared state at `version`, newer than the instance's: nothing
 * was counted or changed. Whoever runs the request catches up to `version` and runs it again;
 * the pipeline lets it through rather than answer it.
 */
export class StaleStateError extends Error {
  constructor(readonly version: number) {
    super(`the shared state is at version ${version}, ahead of this instance`);
    this.name = 'StaleStateError';
  }
}
