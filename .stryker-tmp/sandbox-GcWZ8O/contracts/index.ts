// @ts-nocheck
// The contract harness as a library: run it from code as `cortex-contract` runs it from a
// shell (same flags, same reports), or build on its parts.
export { main as runContracts } from './run';
export { createHarness, type Harness, type CallOptions } from './lib/harness';
export type { Settings, TargetKind } from './lib/settings';
