// The conduct rules as control.yaml's x-cortex-conduct-rules and x-cortex-conduct-limits
// write them: each rule's name, the practice it enforces, its severity and thresholds.
export type Severity = 'warning' | 'error';

export interface ConductRule {
  name: string;
  practice: string;
  /** One severity, or one per key mode (key_in_query: test and live). */
  severity: Severity | Readonly<Record<string, Severity>>;
  thresholds: Readonly<Record<string, number>>;
}

export interface ConductLimits {
  requests_per_client: number;
  clients: number;
  request_ids_per_finding: number;
  window_seconds: number;
}

export interface ConductTable {
  rules: ReadonlyMap<string, ConductRule>;
  limits: ConductLimits;
}

/** The table read from control.yaml's document. */
export function conductTable(doc: Record<string, unknown>): ConductTable {
  const raw = doc['x-cortex-conduct-rules'] as Array<Partial<ConductRule> & { name: string; practice: string }>;
  const rules = new Map(raw.map((r) => [r.name, Object.freeze({ name: r.name, practice: r.practice, severity: r.severity ?? 'error', thresholds: r.thresholds ?? {} })]));
  return { rules, limits: doc['x-cortex-conduct-limits'] as ConductLimits };
}
