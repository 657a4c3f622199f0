// DNS rebinding defence: a web page on a name its attacker controls can point that name at
// 127.0.0.1, and the browser then treats the mock as that page's own origin. The name
// stays in the Host header, so every request is checked against the names the mock
// answers to (as Vite's server.allowedHosts and webpack-dev-server's allowedHosts do).
// Passes: loopback names (localhost, *.localhost), any IP literal (rebinding needs a
// name), the host the mock is bound to, and the configured allowed_hosts. A value that is
// neither a name nor an IP literal (`[evil.example]`, `[::1]evil.example`) is refused.
import { isIPv6 } from 'node:net';
import { holdsKey, REDACTED } from '../../lib/redact';

/**
 * How the user of a mock allows another name, in the words of the way they started it: a
 * flag of cortex-mock, or the config they pass in code (startMockServer, a mount in their
 * Express app, MSW handlers), where a CLI flag means nothing.
 */
export type HostAdvice = 'flag' | 'config';

/** What a Host refusal advises, for the way the mock was started. */
export function allowHostAdvice(host: string, via: HostAdvice): string {
  const name = host || '<name>';
  return via === 'flag'
    ? `start the mock with --allowed-hosts ${name} (or allowed_hosts in the config file); allowed_hosts: all turns the check off`
    : `add it to the mock's config: allowed_hosts: ['${name}'] (allowed_hosts: 'all' turns the check off)`;
}

/** Why a Host header was refused, for the 403 it becomes. */
export interface HostRefusal {
  /** The name as sent, cut to a host name's characters and length. */
  host: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** RFC 9110 section 7.2, Host = uri-host [ ":" port ]: a bracketed IPv6 literal, or a name (labels of letters, digits, `-` and `_`). */
const BRACKETED = /^\[([0-9a-f:.]+)\](?::(\d*))?$/;
const NAME = /^((?:[a-z0-9_-]+\.)*[a-z0-9_-]+)\.?(?::(\d*))?$/;

/**
 * The host name of a Host header value, lower case, without port or trailing dot; an IPv6
 * literal keeps its brackets. Undefined for a value that is neither a name nor an IP literal.
 */
export function hostName(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  const literal = BRACKETED.exec(value);
  if (literal) return isIPv6(literal[1]) ? `[${literal[1]}]` : undefined;
  return NAME.exec(value)?.[1];
}

/**
 * Whether a Host value that is a name or an IPv6 literal names a port no server can listen
 * on: one written but empty (`localhost:`), 0, or past 65535. RFC 3986 section 3.2.3 lets
 * a port be any digits, but the mock listens on a real one, so anything else is an invalid
 * Host, which RFC 9112 section 3.2 answers with 400.
 */
export function hasBadPort(header: string): boolean {
  const value = header.trim().toLowerCase();
  const port = (BRACKETED.exec(value) ?? NAME.exec(value))?.[2];
  if (port === undefined) return false;
  const n = /^\d{1,5}$/.test(port) ? Number(port) : 0;
  return n < 1 || n > 65535;
}

/**
 * The authority of an absolute-form request target (`GET http://host/path`), which stands
 * in for Host (RFC 9112 section 3.2.2: the server must then ignore Host); undefined for the
 * origin-form every browser sends.
 */
export function absoluteFormAuthority(target: string | undefined): string | undefined {
  if (target === undefined || target.startsWith('/')) return undefined;
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(target)?.[1];
  return authority?.slice(authority.lastIndexOf('@') + 1);
}

/**
 * The origin-form of a request target (path and query): an absolute-form target
 * (`http://localhost:4010/v1/whoami`) is routed by its path, as RFC 9112 section 3.2.2 says
 * a server must accept it; an empty path is `/`. Any other target is returned as it is.
 */
export function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  const authority = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  if (!authority) return target;
  const rest = target.slice(authority[0].length).replace(/#.*$/, '');
  return rest.startsWith('/') ? rest : `/${rest}`;
}

const isIpLiteral = (name: string) => IPV4.test(name) || name.startsWith('[');
const isLoopbackName = (name: string) => name === 'localhost' || name.endsWith('.localhost');

/**
 * The first byte of an IPv4 address in any form inet_aton(3) takes, as the resolver that
 * binds it does: `127.1`, `0x7f.0.0.1`, `0177.1`, `2130706433`; undefined for a name.
 */
function firstIpv4Byte(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length > 4) return undefined;
  const values = parts.map((p) => (/^0x[0-9a-f]+$/.test(p) ? parseInt(p, 16) : /^0[0-7]*$/.test(p) ? parseInt(p, 8) : /^[1-9]\d*$/.test(p) ? Number(p) : NaN));
  if (values.some((v) => Number.isNaN(v))) return undefined;
  // The last part fills every byte the others leave: 127.1 is 127.0.0.1.
  const lastBytes = 5 - values.length;
  if (values.slice(0, -1).some((v) => v > 255) || values[values.length - 1] >= 256 ** lastBytes) return undefined;
  return values.length === 1 ? Math.floor(values[0] / 2 ** 24) : values[0];
}

/** Whether an address the server binds to reaches only this machine. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  return a === 'localhost' || a === '::1' || firstIpv4Byte(a) === 127 || /^::ffff:127\.\d+\.\d+\.\d+$/.test(a);
}

/** Creates the check for one mock: `allowed` from the config, `boundHost` from the server. */
export function createHostCheck(allowed: readonly string[] | 'all', boundHost?: string) {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  if (allowed !== 'all') {
    for (const entry of allowed) {
      const name = entry.toLowerCase();
      if (name.startsWith('*.')) suffixes.push(name.slice(1));
      else exact.add(name);
    }
  }
  const bound = boundHost && hostName(boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost);
  if (bound) exact.add(bound);

  /** Undefined when the request may proceed; the refusal otherwise. */
  return function checkHost(header: string | undefined): HostRefusal | undefined {
    // No Host (HTTP/1.0): no name, so nothing to rebind. HTTP/1.1 without one is refused
    // earlier, as RFC 9112 section 3.2 requires.
    if (allowed === 'all' || header === undefined) return undefined;
    const name = hostName(header);
    if (name !== undefined && (isLoopbackName(name) || isIpLiteral(name) || exact.has(name) || suffixes.some((s) => name.endsWith(s)))) return undefined;
    // The refusal repeats the name, but never a key someone pasted into Host (in any case).
    if (holdsKey(header)) return { host: REDACTED };
    return { host: (name ?? header.trim().toLowerCase()).replace(/[^a-z0-9._\-[\]:]/g, '').slice(0, 253) };
  };
}

export type HostCheck = ReturnType<typeof createHostCheck>;
