// Decides allow or deny for (operation, principal) from the spec's role lists and its
// x-cortex-permissions implications (admin implies read and write), with the operation's
// security alternatives OR'd.

export type PermissionDecision =
  | { allowed: true }
  | { allowed: false; required: string[]; provided: string[] }
  /** The key came by a scheme none of the operation's alternatives accepts. */
  | { allowed: false; scheme: string };

/** Creates the permission check for one spec's implication table. */
export function createPermissionCheck(implications: Record<string, string[]>) {
  /** Every permission a key's declared permissions grant, implications followed. */
  function effective(declared: readonly string[]): Set<string> {
    const granted = new Set<string>();
    const queue = [...declared];
    while (queue.length > 0) {
      const p = queue.pop()!;
      if (granted.has(p)) continue;
      granted.add(p);
      queue.push(...(implications[p] ?? []));
    }
    return granted;
  }

  function decide(required: readonly string[], declared: readonly string[]): PermissionDecision {
    if (required.length === 0) return { allowed: true };
    const granted = effective(declared);
    if (required.every((p) => granted.has(p))) return { allowed: true };
    return { allowed: false, required: [...required], provided: [...declared] };
  }

  type Security = ReadonlyArray<Readonly<Record<string, readonly string[]>>>;
  /** The alternatives a scheme can satisfy alone, per operation's security (asked on every request). */
  const usableCache = new WeakMap<Security, Map<string, Security>>();
  function usableBy(security: Security, scheme: string): Security {
    let byScheme = usableCache.get(security);
    if (!byScheme) usableCache.set(security, (byScheme = new Map()));
    let usable = byScheme.get(scheme);
    if (!usable) byScheme.set(scheme, (usable = security.filter((alternative) => Object.keys(alternative).every((s) => s === scheme))));
    return usable;
  }

  /**
   * OpenAPI security alternatives are OR'd: a key that arrived by `scheme` is allowed when
   * any alternative it can satisfy alone (that scheme only, or `{}`) grants its roles. A
   * refusal names the roles of the first such alternative.
   */
  function permit(security: Security, scheme: string, declared: readonly string[]): PermissionDecision {
    if (security.length === 0) return { allowed: true };
    const usable = usableBy(security, scheme);
    if (usable.length === 0) return { allowed: false, scheme };
    let refusal: PermissionDecision | undefined;
    for (const alternative of usable) {
      const decision = decide(alternative[scheme] ?? [], declared);
      if (decision.allowed) return decision;
      refusal ??= decision;
    }
    return refusal!;
  }

  return { effective, decide, permit };
}
