// A small strict parser of RFC 9651 Lists of Items (section 4.2.1), enough for the IETF
// rate-limit fields (RateLimit-Policy, RateLimit): each member a bare Item (Integer, Decimal,
// String, Token, Byte Sequence or Boolean) with its Parameters. The harness is a black box
// that ships without structured-headers (a development dependency only), so it parses the
// fields itself; test/contracts/structured-field.test.ts checks it against structured-headers.
// An Inner List is valid RFC 9651 but not a shape these fields take: it is refused here.

/** A bare item: a Token is kept apart from a String, a Byte Sequence as its base64 text. */
export type BareItem = number | string | boolean | { token: string } | { bytes: string };

/** One List member: its value and its parameters, in order (a later duplicate wins, RFC 9651 4.2.3.2). */
export interface SfItem {
  value: BareItem;
  params: Map<string, BareItem>;
}

/** A field that does not parse, with the offset where it broke. */
export class StructuredFieldError extends Error {
  constructor(reason: string, at: number) {
    super(`${reason} at character ${at}`);
    this.name = 'StructuredFieldError';
  }
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isLcAlpha = (c: string) => c >= 'a' && c <= 'z';
const isAlpha = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
// tchar (RFC 9110 section 5.6.2), plus ':' and '/' for a Token (RFC 9651 section 3.3.4).
const isTokenChar = (c: string) => /^[!#$%&'*+\-.^_`|~0-9A-Za-z:/]$/.test(c);

/** Parses `field` as an sf-list (RFC 9651 sections 4.2 and 4.2.1). */
export function parseList(field: string): SfItem[] {
  let i = 0;
  const input = field;
  const peek = () => input[i] ?? '';
  const fail = (reason: string): never => {
    throw new StructuredFieldError(reason, i);
  };
  const skipSp = () => {
    while (peek() === ' ') i++;
  };
  const skipOws = () => {
    while (peek() === ' ' || peek() === '\t') i++;
  };

  function integerOrDecimal(): number {
    const start = i;
    if (peek() === '-') i++;
    if (!isDigit(peek())) fail('a number needs a digit');
    let digits = '';
    let decimal = false;
    while (i < input.length) {
      const c = peek();
      if (isDigit(c)) digits += c;
      else if (c === '.' && !decimal) {
        if (digits.length > 12) fail('a Decimal has at most 12 integer digits');
        decimal = true;
        digits += c;
      } else break;
      i++;
      if (!decimal && digits.length > 15) fail('an Integer has at most 15 digits');
      if (decimal && digits.length > 16) fail('a Decimal has at most 16 characters');
    }
    if (decimal) {
      if (digits.endsWith('.')) fail('a Decimal needs a fractional digit');
      if (digits.length - digits.indexOf('.') - 1 > 3) fail('a Decimal has at most 3 fractional digits');
    }
    return Number(input.slice(start, i));
  }

  function string(): string {
    i++; // the opening DQUOTE
    let out = '';
    for (;;) {
      if (i >= input.length) fail('a String is not closed');
      const c = input[i++];
      if (c === '\\') {
        const next = input[i++] ?? '';
        if (next !== '"' && next !== '\\') fail('a String escapes only " and \\');
        out += next;
      } else if (c === '"') return out;
      else if (c < ' ' || c > '~') fail('a String holds printable ASCII only');
      else out += c;
    }
  }

  function token(): { token: string } {
    const start = i++;
    while (i < input.length && isTokenChar(peek())) i++;
    return { token: input.slice(start, i) };
  }

  function bytes(): { bytes: string } {
    const start = ++i;
    while (i < input.length && peek() !== ':') {
      if (!/^[A-Za-z0-9+/=]$/.test(peek())) fail('a Byte Sequence holds base64 only');
      i++;
    }
    if (peek() !== ':') fail('a Byte Sequence is not closed');
    const text = input.slice(start, i);
    // Padding may be missing (RFC 9651 4.2.7), but the text must decode: atob's forgiving
    // base64 refuses a length of 4n+1 or "=" inside.
    try {
      atob(text);
    } catch {
      fail('a Byte Sequence is not base64');
    }
    i++;
    return { bytes: text };
  }

  function bareItem(): BareItem {
    const c = peek();
    if (c === '-' || isDigit(c)) return integerOrDecimal();
    if (c === '"') return string();
    if (c === '*' || isAlpha(c)) return token();
    if (c === ':') return bytes();
    if (c === '?') {
      i++;
      const b = peek();
      if (b !== '0' && b !== '1') fail('a Boolean is ?0 or ?1');
      i++;
      return b === '1';
    }
    if (c === '(') return fail('an Inner List is not a shape of this field');
    return fail('not the start of an Item');
  }

  function key(): string {
    if (!(isLcAlpha(peek()) || peek() === '*')) fail('a parameter key starts with a lower-case letter or *');
    const start = i++;
    while (i < input.length && /^[a-z0-9_\-.*]$/.test(peek())) i++;
    return input.slice(start, i);
  }

  function parameters(): Map<string, BareItem> {
    const params = new Map<string, BareItem>();
    while (peek() === ';') {
      i++;
      skipSp();
      const name = key();
      let value: BareItem = true;
      if (peek() === '=') {
        i++;
        value = bareItem();
      }
      // A repeated key keeps its first place and takes the last value (RFC 9651 4.2.3.2).
      params.set(name, value);
    }
    return params;
  }

  skipSp();
  const members: SfItem[] = [];
  while (i < input.length) {
    const value = bareItem();
    members.push({ value, params: parameters() });
    skipOws();
    if (i >= input.length) break;
    if (peek() !== ',') fail('members of a List are separated by commas');
    i++;
    skipOws();
    if (i >= input.length) fail('a List does not end with a comma');
  }
  // Trailing spaces were dropped (RFC 9651 4.2: leading and trailing SP are discarded).
  return members;
}
