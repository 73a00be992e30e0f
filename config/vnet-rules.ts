import { contains, overlaps, parseCidr } from './cidr';
import type { RuleViolation } from './rules';
import type { Environment } from './schema';

/*
 * The virtual network's address space and the DNS servers it hands out.
 * - Azure refuses these ranges in a virtual network: "224.0.0.0/4 (Multicast), 255.255.255.255/32 (Broadcast),
 *   127.0.0.0/8 (Loopback), 169.254.0.0/16 (Link-local), 168.63.129.16/32 (Internal DNS)"
 *   (learn.microsoft.com/azure/virtual-network/virtual-networks-faq#what-address-ranges-can-i-use-in-my-virtual-networks).
 * - network.dnsServers are the domain controllers, which the toolkit does not create. An address in one of the
 *   toolkit's subnets is one of its servers, its load balancer or an address Azure reserves. An address elsewhere in
 *   the address space is in no subnet: the VNet's system route sends its whole address space to the VNet itself
 *   (learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#system-routes), and neither peering nor a
 *   VPN gateway may bring in a range that overlaps it
 *   (learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering#requirements-and-constraints), so a
 *   domain controller there is unreachable. Nor can a DNS server be an address no host holds (loopback, multicast,
 *   link-local, broadcast) or Azure's own resolver, which does not serve the AD domain's records.
 */

/** A range Azure keeps for itself or that no host holds, and what it is. */
interface Reserved {
  readonly cidr: string;
  readonly what: string;
}

/** The ranges a virtual network cannot hold, as the VNet FAQ lists them. */
export const REFUSED_IN_A_VNET: readonly Reserved[] = [
  { cidr: '168.63.129.16/32', what: "Azure's platform address: DNS, DHCP, health probes" },
  { cidr: '169.254.0.0/16', what: 'link-local, where Azure keeps the instance metadata service 169.254.169.254' },
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '255.255.255.255/32', what: 'broadcast' },
];

/** What a reserved range is called in a DNS server's line. */
const DNS_NAMES: Readonly<Record<string, string>> = {
  '168.63.129.16/32': "Azure's platform address (its own resolver, which does not hold the AD domain's records)",
  '169.254.0.0/16': 'link-local space',
  '224.0.0.0/4': 'multicast',
  '127.0.0.0/8': 'loopback',
  '255.255.255.255/32': 'the broadcast address',
};

const SUBNETS = ['mfa', 'portal', 'adfs', 'wap', 'nps', 'bastion'] as const;

/** Reserved ranges in the address space; DNS servers no domain controller could hold. */
export function* vnetViolations(env: Environment): Generator<RuleViolation> {
  const vnet = parseCidr(env.network.addressSpace)!;
  for (const range of REFUSED_IN_A_VNET) {
    if (overlaps(vnet, parseCidr(range.cidr)!)) {
      yield {
        path: 'network.addressSpace',
        expected: `must not overlap ${range.cidr} (${range.what}), which Azure refuses in a virtual network`,
        got: env.network.addressSpace,
      };
    }
  }
  for (const [i, server] of env.network.dnsServers.entries()) {
    const path = `network.dnsServers[${i}]`;
    const address = parseCidr(`${server}/32`)!;
    const reserved = REFUSED_IN_A_VNET.find((r) => contains(parseCidr(r.cidr)!, address));
    if (reserved) {
      yield { path, expected: `must be a domain controller's address, not ${DNS_NAMES[reserved.cidr]}`, got: server };
      continue;
    }
    const subnet = SUBNETS.find((s) => env.network.subnets[s] !== undefined && contains(parseCidr(env.network.subnets[s]!)!, address));
    if (subnet !== undefined) {
      yield {
        path,
        expected: `must be a domain controller's address outside network.subnets.${subnet} (${env.network.subnets[subnet]}), where the toolkit's servers and load balancer take their addresses`,
        got: server,
      };
    } else if (contains(vnet, address)) {
      yield {
        path,
        expected: `must lie outside network.addressSpace ${vnet.text}: the domain controllers are not in this virtual network, which keeps its whole address space to itself, so they could not be reached`,
        got: server,
      };
    }
  }
}
