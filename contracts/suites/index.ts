// The suites in the order they run: the rate-limit suite, which may use up the account's
// window, comes after everything that needs budget.
import type { Harness } from '../lib/harness';
import type { ConductBreaking } from '../lib/conduct';
import * as responses from './01-responses.contract';
import * as authMatrix from './02-auth-matrix.contract';
import * as validation from './03-validation.contract';
import * as forced from './04-forced-outcomes.contract';
import * as lifecycle from './05-lifecycle.contract';
import * as natural from './06-natural-outcomes.contract';
import * as stateful from './07-stateful.contract';
import * as generative from './08-generative.contract';
import * as rateLimit from './09-rate-limit.contract';
import * as signing from './10-signing.contract';
import * as caching from './11-caching.contract';

/** Each suite, and the conduct rules it breaks on purpose (docs/harness.md#the-conduct-report). */
export const SUITES: Array<[string, { register(h: Harness): void } & ConductBreaking]> = [
  ['responses', responses],
  ['auth matrix', authMatrix],
  ['validation', validation],
  ['forced outcomes', forced],
  ['lifecycle', lifecycle],
  ['natural outcomes', natural],
  ['stateful', stateful],
  ['generative', generative],
  ['caching', caching],
  ['rate limits', rateLimit],
  ['request signing', signing],
];
