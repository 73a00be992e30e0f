import * as ipaddr from 'ipaddr.js';

/** An IPv4 range, parsed once; the arithmetic is ipaddr.js's. */
export interface Cidr {
  readonly text: string;
  readonly address: ipaddr.IPv4;
  readonly bits: number;
}

/** Ranges and addresses already parsed: a configuration and its NSGs name the same few in many rules. */
const parsed = new Map<string, Cidr | undefined>();
const MAX_REMEMBERED = 4096;

/** Parses `a.b.c.d/n`; returns undefined for anything else. */
export function parseCidr(text: string): Cidr | undefined {
  if (parsed.has(text)) return parsed.get(text);
  if (parsed.size >= MAX_REMEMBERED) parsed.clear();
  let cidr: Cidr | undefined;
  if (/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text) && ipaddr.IPv4.isValidCIDR(text)) {
    const [address, bits] = ipaddr.IPv4.parseCIDR(text);
    cidr = Object.freeze({ text, address, bits });
  }
  parsed.set(text, cidr);
  return cidr;
}

/** True when the address part has no host bits set (Azure rejects `10.0.1.5/24`). */
export function isAligned(cidr: Cidr): boolean {
  return toInt(cidr.address) % 2 ** (32 - cidr.bits) === 0;
}

const parsedIps = new Map<string, ipaddr.IPv4 | undefined>();

/** Parses a dotted IPv4 address; undefined for anything else. */
export function parseIp(text: string): ipaddr.IPv4 | undefined {
  if (parsedIps.has(text)) return parsedIps.get(text);
  if (parsedIps.size >= MAX_REMEMBERED) parsedIps.clear();
  const ip = ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text) : undefined;
  parsedIps.set(text, ip);
  return ip;
}

/** True when `inner` lies wholly inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.bits >= outer.bits && inner.address.match(outer.address, outer.bits);
}

/** True when the two ranges share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b) || contains(b, a);
}

const toInt = (ip: ipaddr.IPv4) => ip.octets.reduce((n, o) => n * 256 + o, 0);
const fromInt = (n: number) => ipaddr.IPv4.parse([24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.'));

/**
 * True when `ip` can be assigned statically in `subnet`: Azure reserves the network address, the next
 * three addresses and the broadcast address of every subnet.
 */
export function isAssignable(subnet: Cidr, ip: ipaddr.IPv4): boolean {
  if (!ip.match(subnet.address, subnet.bits)) return false;
  const offset = toInt(ip) - toInt(ipaddr.IPv4.networkAddressFromCIDR(subnet.text));
  return offset >= 4 && offset < 2 ** (32 - subnet.bits) - 1;
}

/**
 * The last assignable address of a subnet: the default static frontend of a tier's load balancer,
 * chosen at the top of the range so that it never collides with the dynamic NIC addresses Azure hands
 * out from the bottom.
 */
export function lastAssignable(subnet: Cidr): string {
  const broadcast = toInt(ipaddr.IPv4.broadcastAddressFromCIDR(subnet.text));
  return fromInt(broadcast - 1).toString();
}
