// Decides allow or deny for (operation, principal) from the spec's role lists and its
// x-cortex-permissions implications (admin implies read and write).

export type PermissionDecision = { allowed: true } | { allowed: false; required: string[]; provided: string[] };

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

  return {
    effective,
    decide(required: readonly string[], declared: readonly string[]): PermissionDecision {
      if (required.length === 0) return { allowed: true };
      const granted = effective(declared);
      if (required.every((p) => granted.has(p))) return { allowed: true };
      return { allowed: false, required: [...required], provided: [...declared] };
    },
  };
}
