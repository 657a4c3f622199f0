// The error of a request that met a newer shared state than its instance had applied. Its own
// file, with no import, so the pipeline can let it through without loading the replica.

/**
 * A fenced script answered `stale`: the log is ahead of this instance's replica. The core
 * applies the log and runs the request again (replication.ts, core.ts answerFresh).
 */
export class StaleReplicaError extends Error {
  constructor(readonly version: number) {
    super(`the shared state is at version ${version}`);
    this.name = 'StaleReplicaError';
  }
}
