// The harness's own RFC 9651 List parser (contracts/lib/structured-field.ts: the harness
// ships without structured-headers) against structured-headers, a parser this project did
// not write: the same members for every field both accept, a refusal for every field
// structured-headers refuses, over fixed cases and generated ones.
// structured-headers 2 names its types only in package.json "exports", which the project's
// moduleResolution (node) does not read: the types come from its CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const reference = require('structured-headers') as typeof import('../../node_modules/structured-headers/cjs/index.cjs');
import fc from 'fast-check';
import { parseList, StructuredFieldError, type BareItem } from '../../contracts/lib/structured-field';

/** structured-headers' answer in this parser's terms; 'inner-list' where it has one. */
function theirs(field: string): Array<[BareItem, Array<[string, BareItem]>]> | 'refused' | 'inner-list' {
  let list;
  try {
    list = reference.parseList(field);
  } catch {
    return 'refused';
  }
  const bare = (v: unknown): BareItem => {
    if (v instanceof reference.Token) return { token: v.toString() };
    if (v instanceof ArrayBuffer) return { bytes: Buffer.from(v).toString('base64') };
    return v as BareItem;
  };
  if (list.some(([value]) => Array.isArray(value))) return 'inner-list';
  return list.map(([value, params]) => [bare(value), [...params].map(([k, v]) => [k, bare(v)] as [string, BareItem])]);
}

function ours(field: string): Array<[BareItem, Array<[string, BareItem]>]> | 'refused' {
  try {
    return parseList(field).map(({ value, params }) => [
      // A Byte Sequence compares by its bytes: base64 text may differ in padding.
      typeof value === 'object' && 'bytes' in value ? { bytes: Buffer.from(value.bytes, 'base64').toString('base64') } : value,
      [...params].map(([k, v]) => [k, typeof v === 'object' && 'bytes' in v ? { bytes: Buffer.from(v.bytes, 'base64').toString('base64') } : v] as [string, BareItem]),
    ]);
  } catch (err) {
    expect(err).toBeInstanceOf(StructuredFieldError);
    return 'refused';
  }
}

function agree(field: string): void {
  const expected = theirs(field);
  // An Inner List is valid RFC 9651 but no shape of the rate-limit fields: refused here.
  expect([field, ours(field)]).toEqual([field, expected === 'inner-list' ? 'refused' : expected]);
}

describe("the harness's structured-field parser", () => {
  it('reads the rate-limit fields as structured-headers does', () => {
    expect(parseList('"developer";q=500;w=60')).toEqual([{ value: 'developer', params: new Map([['q', 500], ['w', 60]]) }]);
    expect(parseList('"developer";r=499;t=30')).toEqual([{ value: 'developer', params: new Map([['r', 499], ['t', 30]]) }]);
    for (const field of ['"developer";q=500;w=60', '"auth_failures";r=0;t=17', '  "a";q=1 ', '"burst";q=100;w=60, "daily";q=1000;w=86400', '"p";pk=:cHsdsRa894==:;q=5;qu="requests"']) agree(field);
  });

  it.each([
    ['"developer";q=500;w=60,', 'a trailing comma'],
    ['"developer";Q=500', 'an upper-case key'],
    ['"developer";q=1234567890123456', 'an Integer of 16 digits'],
    ['"developer";q=1.2345', 'a Decimal with 4 fractional digits'],
    ['"devel\\oper";q=1', 'an escape other than \\" and \\\\'],
    ['"developer;q=1', 'an unclosed String'],
    ['"développeur";q=1', 'a String outside printable ASCII'],
    ['\t"developer";q=1', 'a leading tab'],
    ['"a" "b"', 'two items without a comma'],
    ['"a";q=', 'a parameter without its value'],
    ['("a" "b");q=1', 'an Inner List'],
  ])('refuses %s (%s), as structured-headers does', (field) => {
    expect(() => parseList(field)).toThrow(StructuredFieldError);
    agree(field);
  });

  it('agrees with structured-headers on generated fields, well-formed and not', () => {
    const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
    const param = fc.tuple(fc.constantFrom('q', 'w', 'r', 't', 'qu', 'pk', 'x-y', '*'), fc.oneof(fc.integer({ min: -999, max: 10 ** 15 }), name.map((n) => `"${n}"`), fc.constantFrom('?0', '?1', ':AQID:', '1.5', 'tok/en'))).map(([k, v]) => `;${k}=${v}`);
    const member = fc.tuple(fc.oneof(name.map((n) => `"${n}"`), name.filter((n) => /^[a-z]/.test(n)), fc.integer()), fc.array(param, { maxLength: 3 })).map(([v, ps]) => `${v}${ps.join('')}`);
    const wellFormed = fc.array(member, { minLength: 1, maxLength: 3 }).map((ms) => ms.join(', '));
    // The same fields with one character changed, dropped or added: mostly malformed.
    const noise = fc.constantFrom('"', '\\', ';', '=', ',', ' ', '\t', '-', '.', '?', '*', ':', '(', ')', 'A', 'a', '0', '9', 'é');
    const broken = fc.tuple(wellFormed, fc.nat(), noise, fc.constantFrom('replace', 'insert', 'delete')).map(([field, at, c, how]) => {
      const i = at % (field.length + 1);
      if (how === 'insert') return field.slice(0, i) + c + field.slice(i);
      if (how === 'delete') return field.slice(0, i) + field.slice(i + 1);
      return field.slice(0, i) + c + field.slice(i + 1);
    });
    fc.assert(fc.property(fc.oneof(wellFormed, broken, fc.string({ unit: noise, maxLength: 12 })), (field) => agree(field)), { numRuns: 3000, seed: 9651 });
  });
});
