// The one command-line idiom of the mock, the harness and the bench: node:util parseArgs,
// strict, with values checked here. An unknown flag or a bad value is a UsageError whose
// message names it; each command prints it with its usage and exits 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>>['values'];

const usage = (err: unknown) =>
  new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/^Unknown option '(.+)'$/, 'unknown option $1'));

/** Parses `argv` strictly; no positionals. Throws UsageError naming the flag. */
export function readFlags<T extends Options>(argv: string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw usage(err);
  }
}

/**
 * Parses `argv` strictly, with at most `maxPositionals` arguments that are not flags (as
 * Prism's `prism mock <document>`). Throws UsageError naming the flag or the extra argument.
 */
export function readArgs<T extends Options>(argv: string[], options: T, maxPositionals: number): { values: Parsed<T>; positionals: string[] } {
  let parsed: { values: Parsed<T>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true }) as { values: Parsed<T>; positionals: string[] };
  } catch (err) {
    throw usage(err);
  }
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`);
  return parsed;
}

/** A whole number from `min` to `max`, or the fallback when the flag is absent. */
export function wholeNumber(flag: string, text: string | undefined, fallback: number, min = 0, max = 2_147_483_647): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  return Number(text);
}

/** A number (fractions allowed) from `min` to `max`, or the fallback when the flag is absent. */
export function decimal(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value < min || value > max) throw new UsageError(`${flag} must be a number from ${min} to ${max}, got "${text}"`);
  return value;
}

/** One of `choices`, or undefined when the flag is absent. */
export function oneOf<C extends string>(flag: string, text: string | undefined, choices: readonly C[]): C | undefined {
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`${flag} must be ${choices.join(', ')}, not "${text}"`);
  return text as C;
}

/** An absolute http(s) URL without its trailing slash. */
export function httpUrl(flag: string, text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return text.replace(/\/$/, '');
  } catch {
    // a usage error below
  }
  throw new UsageError(`${flag} must be an absolute http(s) URL, got "${text}"`);
}
