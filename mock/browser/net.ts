// node:net in the browser bundle: the address checks the mock uses (isIPv6, isIPv4), in plain
// JavaScript, answering as Node's do (test/surfaces/browser-build.test.ts compares them).

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** True for a dotted-quad IPv4 address, no leading zeros, as net.isIPv4. */
export function isIPv4(input: string): boolean {
  return IPV4.test(input);
}

/** True for an IPv6 address (RFC 4291 section 2.2, with an optional zone id), as net.isIPv6. */
export function isIPv6(input: string): boolean {
  let text = input;
  const zone = text.indexOf('%');
  if (zone !== -1) {
    if (!/^[^\s%]+$/.test(text.slice(zone + 1))) return false;
    text = text.slice(0, zone);
  }
  // A trailing IPv4 part stands for the last two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) !== -1) {
    if (!isIPv4(text.slice(lastColon + 1))) return false;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (![...head, ...tail].every((g) => GROUP.test(g))) return false;
  return halves.length === 1 ? head.length === 8 : head.length + tail.length <= 7;
}

/** 6 or 4 for an address of that family, else 0, as net.isIP. */
export function isIP(input: string): number {
  return isIPv6(input) ? 6 : isIPv4(input) ? 4 : 0;
}
