// DNS rebinding defence: a web page on a name its attacker controls can point that name at
// 127.0.0.1, and the browser then treats the mock as that page's own origin. The name
// stays in the Host header, so every request is checked against the names the mock
// answers to (as Vite's server.allowedHosts and webpack-dev-server's allowedHosts do).
// Passes: loopback names (localhost, *.localhost), any IP literal (rebinding needs a
// name), the host the mock is bound to, and the configured allowed_hosts.

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

/** The host name of a Host header value, lower case, without port or trailing dot. */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end === -1 ? value : value.slice(0, end + 1);
  }
  const colon = value.lastIndexOf(':');
  const name = colon !== -1 && /^\d*$/.test(value.slice(colon + 1)) ? value.slice(0, colon) : value;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

const isIpLiteral = (name: string) => IPV4.test(name) || (name.startsWith('[') && name.endsWith(']'));
const isLoopbackName = (name: string) => name === 'localhost' || name.endsWith('.localhost');

/** Whether an address the server binds to reaches only this machine. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  return a === 'localhost' || a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(a);
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
  if (boundHost) exact.add(hostName(boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost));

  /** Undefined when the request may proceed; the refusal otherwise. */
  return function checkHost(header: string | undefined): HostRefusal | undefined {
    // No Host (HTTP/1.0): no name, so nothing to rebind. HTTP/1.1 without one is refused
    // earlier, as RFC 9112 section 3.2 requires.
    if (allowed === 'all' || header === undefined) return undefined;
    const name = hostName(header);
    if (isLoopbackName(name) || isIpLiteral(name) || exact.has(name) || suffixes.some((s) => name.endsWith(s))) return undefined;
    return { host: name.replace(/[^a-z0-9.\-[\]:]/g, '').slice(0, 253) };
  };
}

export type HostCheck = ReturnType<typeof createHostCheck>;
