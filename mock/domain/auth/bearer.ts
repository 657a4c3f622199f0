// Parses an Authorization header value into scheme and credentials (RFC 9110 section
// 11.6.2). Knows nothing of policy: credentials.ts decides what a parse result means.

/** The parsed header: the scheme (as sent) and the rest. */
export interface ParsedAuthorization {
  scheme: string;
  credentials: string;
}

/**
 * Splits `Scheme credentials`. Returns null for a value with no scheme. Whitespace around
 * the value is ignored; one or more spaces separate scheme and credentials.
 */
export function parseAuthorization(value: string): ParsedAuthorization | null {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  const space = trimmed.search(/[ \t]/);
  if (space === -1) return { scheme: trimmed, credentials: '' };
  return { scheme: trimmed.slice(0, space), credentials: trimmed.slice(space).trim() };
}

/** RFC 9110 section 11.1: auth scheme names are case-insensitive. */
export function isBearer(parsed: ParsedAuthorization): boolean {
  return parsed.scheme.toLowerCase() === 'bearer';
}
