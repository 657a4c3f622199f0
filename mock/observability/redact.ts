// Removes key material from anything that is logged or journaled: api_key query values
// whatever their shape, and anything that looks like a key anywhere else.

const KEY_LIKE = /sk_(test|live)_[A-Za-z0-9_]+/g;
const MAY_HOLD_SECRET = /sk_|api_key/i;
const API_KEY_PARAM = /([?&]api_key=)[^&#]*/gi;

/** A URL or text with every secret replaced by [REDACTED]. */
export function redact(text: string): string {
  // Most URLs hold nothing to redact; this test is a superset of both patterns below.
  if (!MAY_HOLD_SECRET.test(text)) return text;
  return text.replace(API_KEY_PARAM, '$1[REDACTED]').replace(KEY_LIKE, 'sk_$1_[REDACTED]');
}
