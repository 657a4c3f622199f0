// The signature base of RFC 9421 section 2.5: one line per covered component, in the order
// the signer listed them, then "@signature-params". Pure: it reads a request's method,
// target URI and header fields, and knows nothing of keys or HTTP statuses.
import { serializeInnerList, type InnerList, type Item } from './structured-fields';

/** What the base reads of a request: the components of RFC 9421 section 2. */
export interface SignedRequest {
  method: string;
  /** The target URI as the client sent it (RFC 9110 section 7.1): `https://api.cortex-edr.com/v1/scans?limit=5`. */
  targetUri: string;
  /** Lower-case names, every value of a repeated field. */
  fields: Readonly<Record<string, readonly string[] | undefined>>;
}

export type BaseOutcome =
  | { ok: true; base: string; lines: Array<{ name: string; value: string }> }
  /** The identifier at fault: repeated, with a parameter the mock does not take, or absent from the request. */
  | { ok: false; problem: 'repeated' | 'unsupported' | 'absent'; component: string };

/** The identifier as it appears in the base: `"@query-param";name="Pet"`. */
function identifierOf(item: Item): string {
  return serializeInnerList([[item], new Map()]).slice(1, -1);
}

/** RFC 9421 section 2.1: a field's values, each trimmed, joined by ", ". */
function fieldValue(values: readonly string[]): string {
  return values.map((v) => v.trim()).join(', ');
}

function derived(name: string, params: Map<string, unknown>, url: URL, req: SignedRequest): string | undefined {
  switch (name) {
    case '@method':
      return req.method;
    case '@target-uri':
      return req.targetUri;
    case '@authority':
      return url.host.toLowerCase();
    case '@scheme':
      return url.protocol.slice(0, -1).toLowerCase();
    case '@request-target':
      return `${url.pathname}${url.search}`;
    case '@path':
      return url.pathname;
    case '@query':
      return url.search === '' ? '?' : url.search;
    case '@query-param': {
      const wanted = params.get('name');
      if (typeof wanted !== 'string') return undefined;
      const values = new URLSearchParams(url.search).getAll(wanted);
      // Section 2.2.8: a parameter named twice cannot be signed as one value.
      return values.length === 1 ? encodeURIComponent(values[0]) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The base of `components` (Signature-Input's inner list for one label) over `req`, or the
 * component that makes one impossible. A covered field the request lacks is absent, never
 * an empty value (section 2.5: "the signer or verifier MUST fail"): a missing
 * Content-Digest must not verify as the digest of nothing.
 */
export function signatureBase(components: InnerList, req: SignedRequest): BaseOutcome {
  const [items] = components;
  const url = new URL(req.targetUri);
  const seen = new Set<string>();
  const lines: Array<{ name: string; value: string }> = [];
  for (const item of items) {
    const [name, params] = item;
    const id = identifierOf(item);
    if (typeof name !== 'string') return { ok: false, problem: 'unsupported', component: String(name) };
    // Section 2.5: a component identifier MUST NOT be repeated.
    if (seen.has(id)) return { ok: false, problem: 'repeated', component: id };
    seen.add(id);
    let value: string | undefined;
    if (name.startsWith('@')) {
      const allowed = name === '@query-param' ? ['name'] : [];
      if ([...params.keys()].some((p) => !allowed.includes(p))) return { ok: false, problem: 'unsupported', component: id };
      value = derived(name, params, url, req);
      if (value === undefined) return { ok: false, problem: name === '@query-param' ? 'absent' : 'unsupported', component: id };
    } else {
      // Plain fields only: sf, key, bs, req and tr are not taken (a refusal, not a guess).
      if (params.size > 0 || name !== name.toLowerCase()) return { ok: false, problem: 'unsupported', component: id };
      const values = req.fields[name];
      if (!values || values.length === 0) return { ok: false, problem: 'absent', component: id };
      value = fieldValue(values);
    }
    lines.push({ name: id, value });
  }
  const paramsLine = serializeInnerList(components);
  const base = [...lines.map((l) => `${l.name}: ${l.value}`), `"@signature-params": ${paramsLine}`].join('\n');
  return { ok: true, base, lines };
}
