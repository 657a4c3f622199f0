// Everything the harness writes (stdout, stderr, junit.xml, results.json, the coverage
// files) passes through one redaction: lib/redact's rules for key-shaped values and secret
// parameters in any encoding, plus the run's own secrets by value (the keys it was given,
// and whatever secret the base URL carries in its user-info, query or path), because a
// server may echo them in any form, and a key need not look like `sk_...`: %-encoded,
// JSON- or XML-escaped, base64, or cut short or broken across lines so that only its
// beginning or its end is left.
import { writeFileSync } from 'node:fs';
import { holdsKey, isSecretName, redact, REDACTED } from '../../lib/redact';

/** Shorter values are not redacted by value: they would blot out ordinary text. */
const MIN_SECRET_LENGTH = 8;
/** A URL's user-info with a password (`//user:password@`): the password is a secret. */
const USER_INFO = /(\/\/[^/\s?#@:"'<>]*:)[^/\s?#@"'<>]*@/g;

/** Redacts text for output: every known secret by value, then lib/redact's rules. */
export type Redact = (text: string) => string;

/** The secrets a base URL carries: its user-info (and the Basic credential made of it), secret or key-shaped query values, key-shaped path segments. */
export function secretsInUrl(text: string | undefined): string[] {
  if (!text) return [];
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (url.username || url.password) {
    out.push(url.username, decode(url.username), url.password, decode(url.password));
    // node:http sends a URL's user-info as `Authorization: Basic base64(user:password)`.
    out.push(Buffer.from(`${decode(url.username)}:${decode(url.password)}`).toString('base64'));
  }
  for (const [name, value] of url.searchParams) if (isSecretName(name) || holdsKey(value)) out.push(value);
  for (const segment of url.pathname.split('/')) if (holdsKey(segment)) out.push(segment, decode(segment));
  return out;
}

/** Every byte as %XX, in upper- or lower-case hex: a server may echo a secret so. */
const percentAll = (text: string, lower: boolean) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')[lower ? 'toLowerCase' : 'toUpperCase']()}`).join('');
/** As a JSON string's content: a secret holding `"` or `\` is echoed escaped in JSON bodies. */
const jsonEscaped = (text: string) => JSON.stringify(text).slice(1, -1);
/** As XML or HTML text: junit.xml and servers' error pages escape `&`, `<`, `>` and quotes. */
const xmlEscaped = (text: string) => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
const htmlEscaped = (text: string) => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&#34;', "'": '&#39;' })[c]!);

/** The forms in which text may carry `secret`: as given, %-encoded (partly or every byte, either case), JSON- and XML-escaped (and both), base64. */
export function secretForms(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const json = jsonEscaped(secret);
  return [
    secret,
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    percentAll(secret, false),
    percentAll(secret, true),
    json,
    jsonEscaped(json),
    xmlEscaped(secret),
    htmlEscaped(secret),
    xmlEscaped(json),
    Buffer.from(secret, 'utf8').toString('base64'),
    Buffer.from(secret, 'utf8').toString('base64url'),
  ];
}

/** A fragment of a secret this long or longer, left at the edge of a cut, gives part of it away. */
const MIN_FRAGMENT = 6;
/**
 * What ends a run of text: where an excerpt is cut (`...`, a closing quote), a line ends, or
 * a JSON escape (`\n`) splits a secret the server broke in two.
 */
const SEPARATORS = String.raw`\s"'<>&;,()[\]{}=?/\\.`;
/**
 * A whole run between separators, MIN_FRAGMENT to `max` characters long. Bounded, and
 * anchored by lookarounds: `[^...]{6,}` over a 9 MB run overflows V8's regexp stack.
 */
const tokenPattern = (max: number) => new RegExp(`(?<![^${SEPARATORS}])[^${SEPARATORS}]{${MIN_FRAGMENT},${max}}(?![^${SEPARATORS}])`, 'g');
/** A bare key prefix (`sk_live_`) is a name, not part of one key. */
const BARE_PREFIX = /^(?:sk_test_|sk_live_)$/i;

/**
 * A fragment that reads as a word (`unknown`, `Secret`) is ordinary text more often than
 * what a cut left of a key: taken only from 12 characters on. A random fragment of six
 * key characters is such a word about once in 200.
 */
const WORD = /^[A-Za-z][a-z]{5,10}$/;

/** The beginnings and ends of `secret` (MIN_FRAGMENT characters or more, short of the whole) that a cut or a line break can leave. */
function fragmentsOf(secret: string): string[] {
  const out: string[] = [];
  for (let n = MIN_FRAGMENT; n < secret.length; n++) {
    const head = secret.slice(0, n);
    const tail = secret.slice(secret.length - n);
    if (!'sk_test_'.startsWith(head) && !'sk_live_'.startsWith(head) && !BARE_PREFIX.test(head) && !WORD.test(head)) out.push(head);
    if (!WORD.test(tail)) out.push(tail);
  }
  return out;
}

/**
 * One redaction for the run, knowing its secrets by value: each in every form
 * `secretForms` gives, and what is left of one where text was cut or broken across lines
 * (a run of text that is how a secret begins, or how it ends).
 */
export function createRedactor(secrets: Iterable<string | undefined>): Redact {
  const forms = new Set<string>();
  const fragments = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretForms(secret)) forms.add(form);
    for (const fragment of fragmentsOf(secret)) fragments.add(fragment);
  }
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  // One longer than the longest fragment: a JSON escape's letter may lead it.
  const token = tokenPattern(Math.max(MIN_FRAGMENT, ...[...fragments].map((f) => f.length + 1)));
  const fragment = (token: string, offset: number, whole: string): string => {
    if (fragments.has(token)) return REDACTED;
    // After a JSON escape's backslash (`...\n2mN9...`), the escape's letter is not the secret's.
    if (whole[offset - 1] === '\\' && /^[nrtbf]/.test(token) && fragments.has(token.slice(1))) return `${token[0]}${REDACTED}`;
    return token;
  };
  return (text: string) => {
    let out = text;
    for (const form of ordered) if (out.includes(form)) out = out.split(form).join(REDACTED);
    if (fragments.size) out = out.replace(token, fragment);
    return redact(out.replace(USER_INFO, `$1${REDACTED}@`));
  };
}

/** Where the harness writes; every string goes through `redact` first. */
export interface Output {
  redact: Redact;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Writes a report file. */
  file(path: string, text: string): void;
}

export function createOutput(redactText: Redact, streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Output {
  return {
    redact: redactText,
    stdout: (text) => void streams.stdout.write(redactText(text)),
    stderr: (text) => void streams.stderr.write(redactText(text)),
    file: (path, text) => writeFileSync(path, redactText(text)),
  };
}
