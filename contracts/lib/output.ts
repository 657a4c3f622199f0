// Everything the harness writes (stdout, stderr, junit.xml, results.json, the coverage
// files) passes through one redaction: lib/redact's rules for key-shaped values and secret
// parameters in any encoding, plus the run's own secrets by value (the keys it was given,
// and whatever secret the base URL carries in its user-info, query or path), because a
// server may echo them in any form, and a key need not look like `sk_...`.
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

/** One redaction for the run, knowing its secrets by value. */
export function createRedactor(secrets: Iterable<string | undefined>): Redact {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const form of ordered) if (out.includes(form)) out = out.split(form).join(REDACTED);
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
