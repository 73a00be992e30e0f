import { Cidr, contains, parseCidr } from './cidr';

/*
 * How broad a source range may be. A private range is reachable only through the organization's own
 * network (peering, VPN, ExpressRoute), so its size says nothing about exposure: "all of 10.0.0.0/8" is a
 * common way to say "the corporate network". A public range is different: beyond a single organization's
 * allocation it is a slice of the Internet, and an NSG rule that admits it is an Internet rule in all but
 * name. The README explains the threshold.
 */

/** Ranges that are not routed on the Internet: RFC 1918 private space and RFC 6598 shared (carrier-grade NAT) space. */
export const PRIVATE_RANGES: readonly { readonly cidr: Cidr; readonly why: string }[] = [
  { text: '10.0.0.0/8', why: 'RFC 1918' },
  { text: '172.16.0.0/12', why: 'RFC 1918' },
  { text: '192.168.0.0/16', why: 'RFC 1918' },
  { text: '100.64.0.0/10', why: 'RFC 6598 shared address space' },
].map(({ text, why }) => ({ cidr: parseCidr(text)!, why }));

/** RFC 1918 alone: the ranges Key Vault's firewall refuses in IP rules. */
export const RFC1918_RANGES: readonly Cidr[] = PRIVATE_RANGES.filter((r) => r.why === 'RFC 1918').map((r) => r.cidr);

/**
 * The broadest public range a source list may name: a /16 (65,536 addresses). Regional registries assign end
 * users /24 to /20 blocks, and a /16 (a former class B) is the largest block a single organization commonly
 * holds; anything broader spans many organizations' networks.
 */
export const BROADEST_PUBLIC_PREFIX = 16;

/** True when the range lies wholly inside private (RFC 1918) or shared (RFC 6598) space. */
export function isPrivateRange(cidr: Cidr): boolean {
  return PRIVATE_RANGES.some((r) => contains(r.cidr, cidr));
}

/** True when the range lies wholly inside RFC 1918 space. */
export function isRfc1918(cidr: Cidr): boolean {
  return RFC1918_RANGES.some((r) => contains(r, cidr));
}

/**
 * The expectation a source range breaks by being a public range broader than `broadest`, or undefined.
 * A range that is partly private and partly public (0.0.0.0/1 holds 10.0.0.0/8) counts as public.
 */
export function broadPublicRange(text: string, broadest = BROADEST_PUBLIC_PREFIX): string | undefined {
  const cidr = parseCidr(text);
  if (cidr === undefined || isPrivateRange(cidr) || cidr.bits >= broadest) return undefined;
  return `must be a private range or a public range of /${broadest} or narrower (a public /${cidr.bits} holds ${(2 ** (32 - cidr.bits)).toLocaleString('en-US')} addresses of many organizations: a slice of the Internet)`;
}
