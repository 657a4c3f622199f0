// The fault registry: the rules of one mock, their counts and their seeded draws. It decides,
// for the facts of a request, whether a rule fires and what it does; it never touches a
// request or a socket (the surfaces carry the decision out). Time comes in with the facts.
import { parseDateTime } from '../../../lib/date-time';
import { deriveSeed, lognormal, mulberry32, sharedDraws, uniformInt, type Prng } from './prng';
import type { FaultRuleProblem } from './check-rule';
import { surfaceRefusal, type FaultSurface, type FaultSurfaceTable } from './spec-tables';
import {
  DEFAULT_HANG_MS,
  DEFAULT_STATUS_RETRY_AFTER,
  MAX_FAULT_MS,
  type AppliedFault,
  type Fault,
  type FaultDecision,
  type FaultFacts,
  type FaultKind,
  type FaultRule,
  type FaultRuleInput,
} from './rule';

/** The seed of the rules' draws when neither the rule nor the mock (`faults_seed`) gives one. */
export const DEFAULT_FAULTS_SEED = 22;

/** A rule refused: the field and the reason, as a 400 or a config error names them. */
export class FaultRuleError extends Error {
  constructor(readonly problem: FaultRuleProblem) {
    super(`${problem.path.join('.') || 'rule'}: ${problem.reason}`);
    this.name = 'FaultRuleError';
  }
}

export interface FaultRegistryOptions {
  /** The mock's `faults_seed`; DEFAULT_FAULTS_SEED when absent. */
  seed?: number;
  /** The configuration's rules (checked by the config): added first, and restored by reset(). */
  rules?: readonly FaultRuleInput[];
  /** The surface the rules run on, and the spec's table of what each surface expresses. */
  surface?: { name: FaultSurface; table: FaultSurfaceTable };
  /** Checks a rule before it is added (checkFaultRule over the spec); none: rules are trusted. */
  check?: (input: unknown) => FaultRuleProblem | undefined;
  /**
   * Counts kept where every instance sharing a store counts (store/redis-fault-counts.ts):
   * decideAcross() counts there, in one atomic script, and draws by the shared index.
   */
  shared?: SharedFaultCounts;
}

/** A rule as the shared counter needs it: its id, its schedule, its cap and its seed. */
export interface CountedRule {
  id: string;
  schedule: 'first' | 'after' | 'every' | 'probability';
  /** The schedule's number: `first`, `after`, `every` or the probability. */
  param: number;
  /** `times`, or -1 for no cap. */
  times: number;
  seed: number;
}

/** A rule's counts as the shared counter holds them. */
export interface RuleCounts {
  seen: number;
  fired: number;
}

/** Fault counts shared across instances: one atomic count per request, as decide() counts in memory. */
export interface SharedFaultCounts {
  /**
   * Counts one request against `rules` (the rules it matches, in order): each one's seen goes
   * up; the first that is due at its new seen, and under its cap, fires. Gives every rule's
   * counts after the request and the index (in `rules`) of the one that fired, or -1.
   */
  count(rules: readonly CountedRule[]): Promise<{ counts: RuleCounts[]; fired: number }>;
  /** The counts of the rules `ids` (0 for a rule never counted). */
  read(ids: readonly string[]): Promise<RuleCounts[]>;
}

export interface FaultRegistry {
  /** Adds a rule after the others and returns its id (`flt_N`); throws FaultRuleError for a bad rule. */
  add(input: unknown): string;
  /** A rule with its counts, or undefined. */
  get(id: string): FaultRule | undefined;
  /** Every rule in the order they are tried, with their counts and seeds. */
  list(): FaultRule[];
  /** Removes a rule; false when no rule has the id. */
  remove(id: string): boolean;
  /** Removes every rule, the configuration's too (reset() brings those back). */
  clear(): void;
  /** Back to the configuration's rules, their counts at zero and their draws from the start; ids restart. */
  reset(): void;
  /** How many rules there are: a request path can skip decide() at 0. */
  readonly size: number;
  /**
   * Counts the request against every rule it matches, and returns the fault of the first
   * rule (in the order added) that fires, or null. `canShape` says which kinds can shape
   * this request (the request path's budget and answer rules, docs/faults.md); a rule of a
   * kind it refuses does not match the request: it neither counts nor fires.
   */
  decide(facts: FaultFacts, canShape?: (kind: FaultKind) => boolean): FaultDecision | null;
  /**
   * decide(), across instances when the counts are shared: one script counts the request
   * against the rules it matches (none matching: no script, null at once), and a rule's draws
   * come from its seed and its shared seen (sharedDraws): every instance draws what one would.
   */
  decideAcross(facts: FaultFacts, canShape?: (kind: FaultKind) => boolean): FaultDecision | null | Promise<FaultDecision | null>;
  /** list(), with the shared counts when they are shared. */
  listAcross(): FaultRule[] | Promise<FaultRule[]>;
}

interface HeldRule {
  id: string;
  source: FaultRule['source'];
  input: FaultRuleInput;
  seed: number;
  next: Prng;
  from: number;
  to: number;
  seen: number;
  fired: number;
}

/** Whether the request's facts satisfy every field the match gives. */
function matches(match: FaultRuleInput['match'], facts: FaultFacts): boolean {
  if (!match) return true;
  return (
    (match.operation === undefined || match.operation === facts.operationId) &&
    (match.method === undefined || match.method === facts.method.toUpperCase()) &&
    (match.path === undefined || match.path === facts.pathTemplate) &&
    (match.key_id === undefined || match.key_id === facts.keyId) &&
    (match.account_id === undefined || match.account_id === facts.accountId)
  );
}

/** Whether a rule takes the request: its match, its `between` and a kind that can shape it. */
function applies(rule: HeldRule, facts: FaultFacts, canShape?: (kind: FaultKind) => boolean): boolean {
  if (!matches(rule.input.match, facts) || facts.now < rule.from || facts.now >= rule.to) return false;
  return !canShape || canShape(rule.input.fault.kind);
}

/** Whether the rule's schedule takes its `seen`th matching request (a probability draws once per request). */
function scheduled(rule: HeldRule): boolean {
  const { when } = rule.input;
  if (when.first !== undefined) return rule.seen <= when.first;
  if (when.after !== undefined) return rule.seen > when.after;
  if (when.every !== undefined) return rule.seen % when.every === 0;
  return rule.next() < when.probability!;
}

/** The fault as it applies now: a latency's delay drawn from the rule's PRNG, defaults filled in. */
function applied(fault: Fault, next: Prng): AppliedFault {
  switch (fault.kind) {
    case 'latency': {
      const drawn =
        fault.ms !== undefined ? fault.ms : fault.min_ms !== undefined ? uniformInt(next, fault.min_ms, fault.max_ms!) : Math.round(lognormal(next, fault.median_ms!, fault.sigma!));
      return { kind: 'latency', delay_ms: Math.min(drawn, MAX_FAULT_MS) };
    }
    case 'hang':
      return { kind: 'hang', ms: fault.ms ?? DEFAULT_HANG_MS };
    case 'status':
      return { ...fault, retry_after: fault.retry_after ?? DEFAULT_STATUS_RETRY_AFTER };
    default:
      return { ...fault };
  }
}

/** The rule's schedule as the shared counter runs it. */
function countedRule(rule: HeldRule): CountedRule {
  const { when } = rule.input;
  const times = when.times ?? -1;
  const base = { id: rule.id, times, seed: rule.seed };
  if (when.first !== undefined) return { ...base, schedule: 'first', param: when.first };
  if (when.after !== undefined) return { ...base, schedule: 'after', param: when.after };
  if (when.every !== undefined) return { ...base, schedule: 'every', param: when.every };
  return { ...base, schedule: 'probability', param: when.probability! };
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A registry over the configuration's rules; see FaultRegistry. */
export function createFaultRegistry(options: FaultRegistryOptions = {}): FaultRegistry {
  const seed = options.seed ?? DEFAULT_FAULTS_SEED;
  let rules: HeldRule[] = [];
  let ordinal = 0;

  function hold(input: FaultRuleInput, source: FaultRule['source']): string {
    if (options.surface) {
      const refusal = surfaceRefusal(options.surface.table, input.fault.kind, options.surface.name);
      if (refusal) throw new FaultRuleError({ path: ['fault', 'kind'], reason: `${input.fault.kind} ${refusal}` });
    }
    ordinal += 1;
    const ruleSeed = input.when.seed ?? deriveSeed(seed, ordinal);
    const between = input.when.between;
    const rule: HeldRule = {
      id: `flt_${ordinal}`,
      source,
      input: copy(input),
      seed: ruleSeed,
      next: mulberry32(ruleSeed),
      from: between ? parseDateTime(between.from)! : -Infinity,
      to: between ? parseDateTime(between.to)! : Infinity,
      seen: 0,
      fired: 0,
    };
    rules.push(rule);
    return rule.id;
  }

  function view(rule: HeldRule): FaultRule {
    const { match, when, fault } = copy(rule.input);
    return { id: rule.id, source: rule.source, match: match ?? {}, when, fault, seed: rule.seed, seen: rule.seen, fired: rule.fired };
  }

  function restore() {
    rules = [];
    ordinal = 0;
    for (const input of options.rules ?? []) hold(input, 'config');
  }
  restore();

  const registry: FaultRegistry = {
    add(input) {
      const problem = options.check?.(input);
      if (problem) throw new FaultRuleError(problem);
      return hold(input as FaultRuleInput, 'runtime');
    },
    get: (id) => {
      const rule = rules.find((r) => r.id === id);
      return rule && view(rule);
    },
    list: () => rules.map(view),
    remove(id) {
      const before = rules.length;
      rules = rules.filter((r) => r.id !== id);
      return rules.length < before;
    },
    clear() {
      rules = [];
    },
    reset: restore,
    get size() {
      return rules.length;
    },
    decideAcross(facts, canShape) {
      const shared = options.shared;
      if (!shared) return registry.decide(facts, canShape);
      const matching = rules.filter((rule) => applies(rule, facts, canShape));
      if (matching.length === 0) return null;
      return shared.count(matching.map(countedRule)).then(({ counts, fired }) => {
        // This instance's view (list()) keeps the counts as the store last told them.
        matching.forEach((rule, i) => Object.assign(rule, counts[i]));
        if (fired < 0) return null;
        const rule = matching[fired];
        const next = sharedDraws(rule.seed, counts[fired].seen);
        // A probability schedule took the index's first draw (the script drew the same).
        if (rule.input.when.probability !== undefined) next();
        return { ruleId: rule.id, fault: applied(rule.input.fault, next) };
      });
    },
    listAcross() {
      const shared = options.shared;
      const held = rules.slice();
      if (!shared) return held.map(view);
      return shared.read(held.map((r) => r.id)).then((counts) => held.map((rule, i) => ({ ...view(rule), ...counts[i] })));
    },
    decide(facts, canShape) {
      let decision: FaultDecision | null = null;
      for (const rule of rules) {
        if (!applies(rule, facts, canShape)) continue;
        rule.seen += 1;
        // Every matching rule counts (and draws), whichever fires: one rule's schedule does
        // not shift when another is added before it.
        const due = scheduled(rule);
        const capped = rule.input.when.times !== undefined && rule.fired >= rule.input.when.times;
        if (!due || capped || decision) continue;
        rule.fired += 1;
        decision = { ruleId: rule.id, fault: applied(rule.input.fault, rule.next) };
      }
      return decision;
    },
  };
  return registry;
}
