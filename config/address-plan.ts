import * as ipaddr from 'ipaddr.js';
import { Cidr, lastAssignable, parseCidr, parseIp } from './cidr';
import type { RuleViolation } from './rules';
import type { Environment } from './schema';
import { configuredTiers, tierSettingsOf } from './server-tiers';

/*
 * Does every subnet hold what the toolkit puts in it? Azure reserves five addresses of every subnet: the
 * network address, .1 (default gateway), .2 and .3 (Azure DNS) and the broadcast address
 * (learn.microsoft.com/azure/virtual-network/virtual-networks-faq#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets).
 * The servers' NICs take dynamic addresses: Azure "assigns the next available unassigned or unreserved IP
 * address in the subnet's address range" (learn.microsoft.com/azure/virtual-network/ip-services/private-ip-addresses),
 * so N servers take the N lowest assignable addresses. A static load-balancer frontend among them would
 * collide with a server when Terraform creates the NICs first, or when a server's NIC is recreated. The
 * toolkit refuses such a frontend rather than making the servers' addresses static: switching existing NICs to
 * static allocation would change every server's NIC, and which address Azure gave each server cannot be known
 * offline. The default frontend, the subnet's last assignable address, is above them whenever the subnet holds
 * the tier.
 */

/** Addresses Azure reserves in every subnet. */
export const AZURE_RESERVED_ADDRESSES = 5;
/** Offset of the first address Azure lets a resource use (.0 to .3 are reserved). */
const FIRST_ASSIGNABLE_OFFSET = 4;

/** Tiers behind an internal load balancer whose frontend sits in the tier's own subnet. */
const INTERNAL_FRONTEND_TIERS: readonly string[] = ['mfa', 'portal', 'adfs', 'nps'];

/** Addresses a resource can take in a subnet. */
export const assignableAddresses = (subnet: Cidr) => 2 ** (32 - subnet.bits) - AZURE_RESERVED_ADDRESSES;

/** The longest prefix whose subnet holds `needed` addresses after Azure's reservations. */
export function smallestPrefixFor(needed: number): number {
  let bits = 29;
  while (bits > 0 && 2 ** (32 - bits) - AZURE_RESERVED_ADDRESSES < needed) bits--;
  return bits;
}

const toInt = (ip: ipaddr.IPv4) => ip.octets.reduce((n, o) => n * 256 + o, 0);
const fromInt = (n: number) => ipaddr.IPv4.parse([24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')).toString();

/** The addresses Azure hands to `count` servers' dynamic NICs: the lowest assignable ones. */
export function dynamicRange(subnet: Cidr, count: number): { first: string; last: string } {
  const base = toInt(ipaddr.IPv4.networkAddressFromCIDR(subnet.text));
  return { first: fromInt(base + FIRST_ASSIGNABLE_OFFSET), last: fromInt(base + FIRST_ASSIGNABLE_OFFSET + count - 1) };
}

/** Subnet capacity and frontend placement, for every count the schema allows. */
export function* addressPlanViolations(env: Environment): Generator<RuleViolation> {
  for (const tier of configuredTiers(env)) {
    const cidr = env.network.subnets[tier];
    // A missing NPS subnet is the migration rules' to report (config/migration-rules.ts).
    if (cidr === undefined) continue;
    const subnet = parseCidr(cidr)!;
    const settings = tierSettingsOf(env, tier);
    const count = settings.count;
    const hasFrontend = INTERNAL_FRONTEND_TIERS.includes(tier);
    const needed = count + (hasFrontend ? 1 : 0);
    if (assignableAddresses(subnet) < needed) {
      yield {
        path: `network.subnets.${tier}`,
        expected: `must hold ${tier}.count (${count}) servers${hasFrontend ? ' and the load-balancer frontend' : ''} after the 5 addresses Azure reserves: /${smallestPrefixFor(needed)} or larger`,
        got: subnet.text,
      };
      continue;
    }
    const frontendIp = hasFrontend ? settings.frontendIp : undefined;
    if (frontendIp === undefined) continue;
    const dynamic = dynamicRange(subnet, count);
    const offset = toInt(parseIp(frontendIp)!) - toInt(parseIp(dynamic.first)!);
    if (offset >= 0 && offset < count) {
      yield {
        path: `${tier}.frontendIp`,
        expected: `must lie outside ${dynamic.first}-${dynamic.last}, where Azure hands out the ${count} servers' dynamic addresses (lowest free first): use one from ${fromInt(toInt(parseIp(dynamic.last)!) + 1)} to ${lastAssignable(subnet)}`,
        got: frontendIp,
      };
    }
  }
}
