// Verifies a request's RFC 9421 signature for a key that requires one: parses Signature-Input
// and Signature (Structured Fields, RFC 8941), picks the signature whose keyid is the key's
// id, checks it against the policy (parameters, algorithm, covered components, the mock's
// clock, replay) and verifies it. Pure apart from the replay cache; gives a reason, never an
// HTTP status (the credentials stage makes the 401).
import { parseDictionary, serializeDictionary, type Dictionary, type InnerList } from './structured-fields';
import { ed25519Verifies, hmacSha256, sameBytes } from './crypto';
import type { ReplayCache } from './replay-cache';
import type { SigningPolicy, SigningRequirement } from './policy';
import { signatureBase, type SignedRequest } from './signature-base';

export type SignatureReason =
  | 'signature_missing'
  | 'signature_malformed'
  | 'signature_key_unknown'
  | 'signature_algorithm'
  | 'signature_expired'
  | 'signature_replayed'
  | 'signature_components'
  | 'signature_invalid';

export type SignatureOutcome =
  | { ok: true; label: string; covered: readonly string[] }
  | { ok: false; reason: SignatureReason; details: { parameter?: string; missing_components?: string[]; signature_base?: string } };

export interface VerifyInput {
  request: SignedRequest;
  keyId: string;
  requirement: SigningRequirement;
  /** The credential the request presented: never echoed in a signature base. */
  secret: string;
  /** Whether the request declares a body (Content-Length past 0, Transfer-Encoding, or a Content-Digest). */
  hasBody: boolean;
  now: number;
}

const REDACTED = '[redacted]';
const encoder = new TextEncoder();

const refuse = (reason: SignatureReason, details: Extract<SignatureOutcome, { ok: false }>['details'] = {}): SignatureOutcome => ({ ok: false, reason, details });

/** A field's value as one string (a repeated field joined, RFC 9110 section 5.3), or undefined. */
function fieldOf(fields: SignedRequest['fields'], name: string): string | undefined {
  const values = fields[name];
  return values && values.length > 0 ? values.join(', ') : undefined;
}

function parse(text: string): Dictionary | undefined {
  try {
    return parseDictionary(text);
  } catch {
    return undefined;
  }
}

/** The base with the credential taken out: the authorization line's value, and the key wherever else it appears. */
export function redactBase(base: string, secret: string): string {
  const lines = base.split('\n').map((line) => (line.startsWith('"authorization":') ? `"authorization": ${REDACTED}` : line));
  const joined = lines.join('\n');
  return secret === '' ? joined : joined.split(secret).join(REDACTED);
}

/** The components a signing key's request must cover. */
export function requiredComponents(policy: SigningPolicy, hasBody: boolean): string[] {
  return [...policy.requiredComponents, ...(hasBody ? policy.bodyComponents : [])];
}

/** RFC 9421 section 5.1: the Accept-Signature member that says what the mock expects of this key. */
export function acceptSignature(policy: SigningPolicy, keyId: string, requirement: SigningRequirement, hasBody: boolean): string {
  const params = new Map<string, string | boolean>([
    ['keyid', keyId],
    ['alg', requirement.alg],
  ]);
  for (const p of policy.requiredParameters) if (!params.has(p)) params.set(p, true);
  const list: InnerList = [requiredComponents(policy, hasBody).map((c) => [c, new Map()]), params];
  return serializeDictionary(new Map([['sig1', list]]));
}

/** Checks the request's signature for `keyId`; remembers its nonce when it verifies. */
export function verifyRequestSignature(input: VerifyInput, policy: SigningPolicy, replay: ReplayCache): SignatureOutcome {
  const { request, keyId, requirement } = input;
  const inputText = fieldOf(request.fields, 'signature-input');
  const signatureText = fieldOf(request.fields, 'signature');
  if (inputText === undefined || signatureText === undefined) return refuse('signature_missing');
  const inputs = parse(inputText);
  if (!inputs) return refuse('signature_malformed', { parameter: 'Signature-Input' });
  const signatures = parse(signatureText);
  if (!signatures) return refuse('signature_malformed', { parameter: 'Signature' });

  // Section 4.1: each member is an inner list of components with the signature's parameters.
  const labels = [...inputs];
  if (labels.length === 0) return refuse('signature_missing');
  if (labels.some(([, member]) => !Array.isArray(member[0]))) return refuse('signature_malformed', { parameter: 'Signature-Input' });
  const keyids = labels.map(([, member]) => member[1].get('keyid'));
  if (keyids.every((k) => k === undefined)) return refuse('signature_malformed', { parameter: 'keyid' });
  const chosen = labels.find(([, member]) => member[1].get('keyid') === keyId);
  if (!chosen) return refuse('signature_key_unknown', { parameter: 'keyid' });
  const [label, member] = chosen;
  const list = member as InnerList;
  const params = list[1];

  const signed = signatures.get(label);
  if (!signed || !(signed[0] instanceof ArrayBuffer)) return refuse('signature_malformed', { parameter: 'Signature' });
  const signature = new Uint8Array(signed[0]);

  for (const name of policy.requiredParameters) if (!params.has(name)) return refuse('signature_malformed', { parameter: name });
  const created = params.get('created');
  const expires = params.get('expires');
  const nonce = params.get('nonce');
  const alg = params.get('alg');
  if (created !== undefined && !Number.isInteger(created)) return refuse('signature_malformed', { parameter: 'created' });
  if (expires !== undefined && !Number.isInteger(expires)) return refuse('signature_malformed', { parameter: 'expires' });
  if (nonce !== undefined && typeof nonce !== 'string') return refuse('signature_malformed', { parameter: 'nonce' });
  if (alg !== undefined && typeof alg !== 'string') return refuse('signature_malformed', { parameter: 'alg' });
  // Section 3.2 step 6: the algorithm is the key's; an alg that names another is refused.
  if (alg !== undefined && alg !== requirement.alg) return refuse('signature_algorithm', { parameter: 'alg' });
  if (!policy.algorithms.includes(requirement.alg)) return refuse('signature_algorithm', { parameter: 'alg' });

  const built = signatureBase(list, request);
  if (!built.ok) return refuse('signature_malformed', { parameter: built.component });

  const covered = list[0].map((item) => String(item[0]));
  const missing = requiredComponents(policy, input.hasBody).filter((c) => !covered.includes(c));
  if (missing.length > 0) return refuse('signature_components', { missing_components: missing });

  // Section 3.2.1: created within the tolerance of the mock's clock, either way; expires not passed.
  const nowSeconds = Math.floor(input.now / 1000);
  const tolerance = policy.toleranceSeconds;
  if (typeof created === 'number' && Math.abs(nowSeconds - created) > tolerance) return refuse('signature_expired', { parameter: 'created' });
  if (typeof expires === 'number' && expires < nowSeconds) return refuse('signature_expired', { parameter: 'expires' });

  const data = encoder.encode(built.base);
  const verifies =
    requirement.alg === 'hmac-sha256'
      ? sameBytes(hmacSha256(Buffer.from(requirement.secret, 'base64'), data), signature)
      : ed25519Verifies(requirement.public_key, data, signature);
  if (!verifies) return refuse('signature_invalid', { signature_base: redactBase(built.base, input.secret) });

  // Only a signature that verifies spends its nonce: a forged one cannot block the real one.
  if (typeof nonce === 'string') {
    const until = ((typeof created === 'number' ? created : nowSeconds) + tolerance) * 1000;
    if (replay.seen(keyId, nonce, input.now, until)) return refuse('signature_replayed', { parameter: 'nonce' });
  }
  return { ok: true, label, covered };
}
