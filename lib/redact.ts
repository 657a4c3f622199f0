// Removes key material from anything that is logged, journaled or printed by the harness.
// One function for the mock's log lines, its journal and the contract harness's messages.
// It works on what a server would decode, not on the literal text: a name or value is
// percent-decoded (any case of escape, `+` as a space, several times over for double
// encoding) before it is judged, because the mock's pipeline decodes `?%61pi_key=%73k_...`
// into `api_key=sk_...` and authenticates with it.

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';

/**
 * A key's prefix, as the spec's ApiKeySecret pattern starts (compared without case), then
 * something a key is made of (a letter, digit or underscore, after at most an ellipsis).
 * A bare prefix is a name, not a key: the format's placeholder `sk_test_...` of the 401
 * hint, or `--allow-live  allow the above with sk_live_ keys` in the harness's --help.
 */
const KEY_PREFIX = /sk_(?:test|live)_(?=\.{0,3}[A-Za-z0-9_])/i;
/** Parameter names (decoded, lower case, letters and digits only) whose value is a secret. */
const SECRET_NAMES = new Set(['apikey', 'accesstoken', 'token', 'key', 'secret', 'controltoken']);
/** Cheap pre-check: text without any of these cannot hold a secret in any encoding. */
const MAY_HOLD_SECRET = /%|sk_|api|token|key|secret/i;
/** Where one name, value or path segment ends. */
const COMPONENT = /[^/?&;#\s"'<>,=]+(?:=[^/?&;#\s"'<>,]*)?/g;

/** Decodes %XX escapes of ASCII characters (never throws); `+` as a space when asked. */
function decodeAscii(text: string, plusIsSpace: boolean): string {
  const spaced = plusIsSpace ? text.replace(/\+/g, ' ') : text;
  return spaced.replace(/%([0-7][0-9A-Fa-f])/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Every decoding of `text` a server could arrive at, up to four levels of escaping. */
function decodings(text: string): string[] {
  const forms = [text];
  let current = text;
  for (let i = 0; i < 4; i++) {
    const next = decodeAscii(current, true);
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

/** Whether any decoding of `text` holds a key. */
export function holdsKey(text: string): boolean {
  return decodings(text).some((form) => KEY_PREFIX.test(form));
}

/** Whether a parameter name, in any encoding or case, names a secret (api_key, access_token...). */
export function isSecretName(name: string): boolean {
  return decodings(name).some((form) => SECRET_NAMES.has(form.toLowerCase().replace(/[^a-z0-9]/g, '')));
}

function redactComponent(component: string): string {
  const eq = component.indexOf('=');
  if (eq !== -1) {
    const name = component.slice(0, eq);
    const value = component.slice(eq + 1);
    if (isSecretName(name) || holdsKey(value)) return `${holdsKey(name) ? REDACTED : name}=${REDACTED}`;
    return holdsKey(name) ? `${REDACTED}=${value}` : component;
  }
  return holdsKey(component) ? REDACTED : component;
}

/**
 * A URL, header value or message with every secret replaced by [REDACTED]: the value of any
 * parameter named like a secret (api_key, access_token...), and any name, value or path
 * segment that holds a key in any encoding.
 */
export function redact(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  return text.replace(COMPONENT, redactComponent);
}

/**
 * Shortens text past `max` characters, saying how much was cut. The kept part is copied:
 * V8 makes a slice of a long string that points into it, so a kept slice of a 60 KB URL
 * would keep all 60 KB alive (a journal of 1,000 such slices held 120 MB).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return Buffer.from(`${text.slice(0, max)}...[${text.length - max} more characters]`, 'utf8').toString('utf8');
}
