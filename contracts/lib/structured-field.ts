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
  return new ListParser(field).list();
}

/** One parse: the input and where it has got to, each production a method (RFC 9651 4.2). */
class ListParser {
  private i = 0;

  constructor(private readonly input: string) {}

  list(): SfItem[] {
    this.skipSp();
    const members: SfItem[] = [];
    while (this.i < this.input.length) {
      const value = this.bareItem();
      members.push({ value, params: this.parameters() });
      this.skipOws();
      if (this.i >= this.input.length) break;
      if (this.peek() !== ',') this.fail('members of a List are separated by commas');
      this.i++;
      this.skipOws();
      if (this.i >= this.input.length) this.fail('a List does not end with a comma');
    }
    // Trailing spaces were dropped (RFC 9651 4.2: leading and trailing SP are discarded).
    return members;
  }

  private peek(): string {
    return this.input[this.i] ?? '';
  }

  private fail(reason: string): never {
    throw new StructuredFieldError(reason, this.i);
  }

  private skipSp(): void {
    while (this.peek() === ' ') this.i++;
  }

  private skipOws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }

  private bareItem(): BareItem {
    const c = this.peek();
    if (c === '-' || isDigit(c)) return this.integerOrDecimal();
    if (c === '"') return this.string();
    if (c === '*' || isAlpha(c)) return this.token();
    if (c === ':') return this.bytes();
    if (c === '?') return this.boolean();
    if (c === '(') return this.fail('an Inner List is not a shape of this field');
    return this.fail('not the start of an Item');
  }

  private integerOrDecimal(): number {
    const start = this.i;
    if (this.peek() === '-') this.i++;
    if (!isDigit(this.peek())) this.fail('a number needs a digit');
    let digits = '';
    let decimal = false;
    while (this.i < this.input.length) {
      const c = this.peek();
      if (isDigit(c)) digits += c;
      else if (c === '.' && !decimal) {
        if (digits.length > 12) this.fail('a Decimal has at most 12 integer digits');
        decimal = true;
        digits += c;
      } else break;
      this.i++;
      if (!decimal && digits.length > 15) this.fail('an Integer has at most 15 digits');
      if (decimal && digits.length > 16) this.fail('a Decimal has at most 16 characters');
    }
    if (decimal) {
      if (digits.endsWith('.')) this.fail('a Decimal needs a fractional digit');
      if (digits.length - digits.indexOf('.') - 1 > 3) this.fail('a Decimal has at most 3 fractional digits');
    }
    return Number(this.input.slice(start, this.i));
  }

  private string(): string {
    this.i++; // the opening DQUOTE
    let out = '';
    for (;;) {
      if (this.i >= this.input.length) this.fail('a String is not closed');
      const c = this.input[this.i++];
      if (c === '\\') {
        const next = this.input[this.i++] ?? '';
        if (next !== '"' && next !== '\\') this.fail('a String escapes only " and \\');
        out += next;
      } else if (c === '"') return out;
      else if (c < ' ' || c > '~') this.fail('a String holds printable ASCII only');
      else out += c;
    }
  }

  private token(): { token: string } {
    const start = this.i++;
    while (this.i < this.input.length && isTokenChar(this.peek())) this.i++;
    return { token: this.input.slice(start, this.i) };
  }

  private bytes(): { bytes: string } {
    const start = ++this.i;
    while (this.i < this.input.length && this.peek() !== ':') {
      if (!/^[A-Za-z0-9+/=]$/.test(this.peek())) this.fail('a Byte Sequence holds base64 only');
      this.i++;
    }
    if (this.peek() !== ':') this.fail('a Byte Sequence is not closed');
    const text = this.input.slice(start, this.i);
    // Padding may be missing (RFC 9651 4.2.7), but the text must decode: atob's forgiving
    // base64 refuses a length of 4n+1 or "=" inside.
    try {
      atob(text);
    } catch {
      this.fail('a Byte Sequence is not base64');
    }
    this.i++;
    return { bytes: text };
  }

  private boolean(): boolean {
    this.i++;
    const b = this.peek();
    if (b !== '0' && b !== '1') this.fail('a Boolean is ?0 or ?1');
    this.i++;
    return b === '1';
  }

  private key(): string {
    if (!(isLcAlpha(this.peek()) || this.peek() === '*')) this.fail('a parameter key starts with a lower-case letter or *');
    const start = this.i++;
    while (this.i < this.input.length && /^[a-z0-9_\-.*]$/.test(this.peek())) this.i++;
    return this.input.slice(start, this.i);
  }

  private parameters(): Map<string, BareItem> {
    const params = new Map<string, BareItem>();
    while (this.peek() === ';') {
      this.i++;
      this.skipSp();
      const name = this.key();
      let value: BareItem = true;
      if (this.peek() === '=') {
        this.i++;
        value = this.bareItem();
      }
      // A repeated key keeps its first place and takes the last value (RFC 9651 4.2.3.2).
      params.set(name, value);
    }
    return params;
  }
}
