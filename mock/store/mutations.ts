// The mutations of a mock's state, as the control API, the handle and the API's creates,
// updates and deletes ask for them: each is a named command over serializable input, so it
// runs the same way on the instance that asked and, replayed from the shared log
// (replication.ts), on every other. With the memory store a command runs at once, in the same
// tick; with Redis it is appended to the log first and answers with a promise.
import type { ControllableClock, ClockPosition } from '../clock';
import { addAccount } from '../domain/auth/accounts';
import type { Account, KeyRecord } from '../domain/auth/key-store';
import { addKey, revokeKey, rotateKey, type NewKey } from '../domain/auth/key-lifecycle';
import { sealSecret, type SecretSource } from '../domain/auth/secrets';
import type { FaultRegistry, FaultRule } from '../domain/faults';
import type { BoundOperation, OperationRequest, OperationResult } from '../domain/operations/types';
import type { MockState } from '../domain/resources/state';
import { ApiError } from '../errors/api-error';
import type { LoadedSpec, Plan } from '../../lib/openapi/load-spec';
import type { LogEntry, Replica } from './replication';

/** An answer now (memory store) or once the shared log has it (Redis). */
export type Mutated<T> = T | Promise<T>;

/** The mutations every way in shares. */
export interface Mutations {
  /** Seeded data, keys, clock, counters and fault rules back to start-up (every instance). */
  reset(): Mutated<void>;
  /** Moves the clock to `position` (ControllableClock.position() of a clock set there). */
  setClock(position: ClockPosition): Mutated<void>;
  /** Moves the clock on by `ms` (checked here first: a ClockRangeError is thrown before anything is shared). */
  advanceClock(ms: number): Mutated<void>;
  /** Adds a key (addKey's rules); a copy of the key, and its secret, shown once. */
  addKey(input: NewKey): Mutated<{ key: KeyRecord; secret: string }>;
  rotateKey(keyId: string, graceSeconds: number): Mutated<{ key: KeyRecord; secret: string }>;
  revokeKey(keyId: string): Mutated<KeyRecord>;
  addAccount(account: Account): Mutated<void>;
  /** Adds a fault rule; the rule as listed. */
  addFault(rule: unknown): Mutated<FaultRule>;
  removeFault(id: string): Mutated<boolean>;
  clearFaults(): Mutated<void>;
  /** Runs an API operation that changes state (every method but GET and HEAD). */
  operate(operation: BoundOperation, request: OperationRequest): Mutated<OperationResult>;
}

export interface MutationDeps {
  spec: LoadedSpec;
  state: MockState;
  clock: ControllableClock;
  faults: FaultRegistry;
  plans: ReadonlyMap<string, Plan>;
  /** The operations as bound to the state (bindHandlers): a replayed operation runs one. */
  operations: ReadonlyMap<string, BoundOperation>;
  maxAccounts: number;
  /** Everything reset() puts back, at `now` (the reset's own instant, for the seeded data). */
  resetAt(now: number): void;
  /** The time a reset seeds its data at: the clock as the configuration starts it. */
  resetTime(): number;
}

/** An operation's request as the log keeps it: the caller by id, the plan by id. */
interface LoggedOperation extends Omit<OperationRequest, 'op' | 'principal' | 'plan'> {
  operationId: string;
  keyId: string;
  accountId: string;
  scheme: string;
  via: 'header' | 'query';
  planId: string;
}

type Command = (input: never, entry: LogEntry) => unknown;

/** The commands by name: what an entry of the log runs. */
function createCommands(deps: MutationDeps) {
  const { state, clock, faults, spec } = deps;
  const keyModes = spec.vocabulary.keyModes;
  const limits = () => ({ keysPerAccount: state.limits.keysPerAccount, keyModes });
  const findKey = (id: string) => {
    const key = state.keys.getKey(id);
    if (!key) throw ApiError.notFound('api_key', id);
    return key;
  };
  const ops = new Map(spec.operations.map((op) => [op.operationId, op]));
  return {
    reset: (_input: undefined, entry: LogEntry) => deps.resetAt(entry.now),
    'clock.set': (position: ClockPosition) => clock.restore(position),
    'clock.advance': (ms: number) => clock.advance(ms),
    'keys.add': (input: NewKey, entry: LogEntry) => {
      const { key, secret } = addKey(state.keys, state.ids, input, entry.now, limits());
      return { key: { ...key }, secret };
    },
    'keys.rotate': (input: { keyId: string; graceSeconds: number }, entry: LogEntry) => {
      const key = findKey(input.keyId);
      const secret = rotateKey(state.keys, state.ids, key, entry.now, entry.now + input.graceSeconds * 1000);
      return { key: { ...key }, secret };
    },
    'keys.revoke': (keyId: string) => {
      const key = findKey(keyId);
      revokeKey(state.keys, key);
      return { ...key };
    },
    'accounts.add': (account: Account) => addAccount(state.keys, account, deps.maxAccounts),
    'faults.add': (rule: unknown) => faults.get(faults.add(rule))!,
    'faults.remove': (id: string) => faults.remove(id),
    'faults.clear': () => faults.clear(),
    operate: (input: LoggedOperation, entry: LogEntry) => {
      const { operationId, keyId, accountId, scheme, via, planId, ...request } = input;
      const op = ops.get(operationId);
      const operation = deps.operations.get(operationId);
      const key = state.keys.getKey(keyId);
      const account = state.keys.getAccount(accountId);
      const plan = deps.plans.get(planId);
      // The state the request was let in on is gone (a reset came first): as if the key were unknown.
      if (!op || !operation || !key || !account || !plan) throw ApiError.unauthorized('unknown', spec.vocabulary);
      return operation({ ...request, now: entry.now, op, principal: { key, account, scheme, via }, plan });
    },
  } satisfies Record<string, Command>;
}

export type CommandName = keyof ReturnType<typeof createCommands>;

/** The mutations of one mock, and how a replica applies a log entry. */
export function createMutations(deps: MutationDeps, replica: () => Replica | undefined) {
  const commands = createCommands(deps) as Record<string, Command>;
  const { clock } = deps;
  // The secret a replayed entry hands out (replication.ts); none outside a replay.
  let replaying: SecretSource | undefined;

  const apply = (entry: LogEntry, secrets: SecretSource): unknown => {
    const command = commands[entry.kind];
    if (!command) throw new Error(`the shared log has an entry of kind ${entry.kind}, which this mock does not know`);
    replaying = secrets;
    try {
      return command(entry.input as never, entry);
    } finally {
      replaying = undefined;
    }
  };

  /** Runs a command here and now, or through the log when the instances share one. */
  const run = <T>(kind: CommandName, input: unknown, options: { secret?: boolean; now?: number } = {}): Mutated<T> => {
    const now = options.now ?? clock.now();
    const shared = replica();
    if (shared) return shared.mutate<T>(kind, input, now, options);
    return commands[kind](input as never, { id: '', kind, now, input }) as T;
  };

  const keyModes = deps.spec.vocabulary.keyModes;
  const mutations: Mutations = {
    reset: () => run('reset', undefined, { now: deps.resetTime() }),
    setClock: (position) => run('clock.set', position),
    advanceClock(ms) {
      // Tried on this clock first, so an advance past the range is refused before it is shared.
      const before = clock.position();
      try {
        clock.advance(ms);
      } finally {
        clock.restore(before);
      }
      return run('clock.advance', ms);
    },
    // A secret given in the request is logged sealed: the log never holds one.
    addKey: (input) => {
      if (!replica() || input.secret === undefined) return run('keys.add', input, { secret: true });
      const given = input.secret;
      const added = run<{ key: KeyRecord; secret: string }>('keys.add', { ...input, secret: sealSecret(given, keyModes) });
      return Promise.resolve(added).then((r) => ({ ...r, secret: given }));
    },
    rotateKey: (keyId, graceSeconds) => run('keys.rotate', { keyId, graceSeconds }, { secret: true }),
    revokeKey: (keyId) => run('keys.revoke', keyId),
    addAccount: (account) => run('accounts.add', account),
    addFault: (rule) => run('faults.add', rule),
    removeFault: (id) => run('faults.remove', id),
    clearFaults: () => run('faults.clear', undefined),
    operate(operation, request) {
      if (!replica()) return operation(request);
      const { op, principal, plan, ...rest } = request;
      const logged: LoggedOperation = { ...rest, operationId: op.operationId, keyId: principal.key.id, accountId: principal.account.id, scheme: principal.scheme, via: principal.via, planId: plan.id };
      return run('operate', logged, { secret: true, now: request.now });
    },
  };
  return { mutations, apply, replaySecrets: () => replaying };
}
