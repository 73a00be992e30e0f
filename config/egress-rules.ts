import * as ipaddr from 'ipaddr.js';
import { contains, parseCidr } from './cidr';
import { broadPublicRange, isPrivateRange, PRIVATE_RANGES } from './networks';
import type { RuleViolation } from './rules';
import type { Environment } from './schema';

/*
 * Where the workload subnets send what leaves them: the hub firewall that a route table points at, and the
 * destination ranges that narrow the MFA servers' and the revocation checks' egress.
 *
 * A virtual appliance next hop is "the private IP address of a network interface attached to a virtual machine"
 * or "the private IP address of an Azure internal load balancer"
 * (learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#custom-routes). So the address is
 * private, never an address Azure keeps for itself, and never one Azure reserves in every subnet that could
 * hold it (the first four and the last of each subnet, learn.microsoft.com/azure/virtual-network/virtual-networks-faq).
 */

/** Addresses no NIC can hold, and why. */
const NOT_A_NIC: readonly { readonly cidr: string; readonly why: string }[] = [
  {
    cidr: '168.63.129.16/32',
    why: "Azure's platform address (DNS, DHCP and health probes: learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16)",
  },
  { cidr: '169.254.0.0/16', why: 'link-local space, where Azure keeps the instance metadata service (169.254.169.254)' },
];

/** The longest subnet prefix Azure allows (/29: the VNet FAQ). */
const LONGEST_SUBNET_PREFIX = 29;

const toInt = (ip: ipaddr.IPv4) => ip.octets.reduce((n, o) => n * 256 + o, 0);

/**
 * True when `ip`, a private address, is one of the five addresses Azure reserves in every subnet that could hold
 * it: every subnet from its private block's prefix (a subnet of private addresses lies in one private block) to /29.
 * `10.0.0.0`-`10.0.0.3` and `10.255.255.255` are; `192.168.1.0` is not (a /16 subnet can hand it out).
 */
export function reservedInEverySubnet(ip: ipaddr.IPv4): boolean {
  const block = PRIVATE_RANGES.find((r) => ip.match(r.cidr.address, r.cidr.bits));
  if (block === undefined) return false;
  const n = toInt(ip);
  for (let bits = block.cidr.bits; bits <= LONGEST_SUBNET_PREFIX; bits++) {
    const size = 2 ** (32 - bits);
    const offset = n % size;
    if (offset >= 4 && offset !== size - 1) return false;
  }
  return true;
}

/** What the egress settings name that no appliance could hold, or no narrowing would narrow. */
export function* egressViolations(env: Environment): Generator<RuleViolation> {
  const egress = env.network.egress;
  if (egress.mode === 'virtualAppliance') {
    const path = 'network.egress.nextHopIp';
    const ip = parseCidr(`${egress.nextHopIp}/32`)!;
    const vnet = parseCidr(env.network.addressSpace)!;
    const reserved = NOT_A_NIC.find((r) => contains(parseCidr(r.cidr)!, ip));
    if (reserved) {
      yield { path, expected: `must be the hub firewall's private address, not ${reserved.why}`, got: egress.nextHopIp };
    } else if (!isPrivateRange(ip)) {
      yield {
        path,
        expected:
          "must be the hub firewall's private address (RFC 1918 or 100.64.0.0/10): a route's virtual appliance is a NIC's or an internal load balancer's private IP, not a public one",
        got: egress.nextHopIp,
      };
    } else if (contains(vnet, ip)) {
      yield { path, expected: `must be the hub firewall's private address, outside network.addressSpace ${vnet.text}`, got: egress.nextHopIp };
    } else if (reservedInEverySubnet(ip.address)) {
      yield {
        path,
        expected:
          'must be an address a NIC can hold: Azure reserves the first four and the last address of every subnet, and this one is among them in any subnet that could contain it',
        got: egress.nextHopIp,
      };
    }
  }
  const lists: [string, readonly string[]][] = [
    ['mfa.serviceEgressCidrs', env.mfa.serviceEgressCidrs],
    ['nps.serviceEgressCidrs', env.nps?.serviceEgressCidrs ?? []],
    ['certificates.revocationCheckCidrs', env.certificates?.revocationCheckCidrs ?? []],
  ];
  for (const [path, cidrs] of lists) {
    for (const [i, c] of cidrs.entries()) {
      const broad = broadPublicRange(c);
      if (broad) yield { path: `${path}[${i}]`, expected: `${broad}; an empty list means the Internet, said plainly`, got: c };
    }
  }
}
