import type * as ipaddr from 'ipaddr.js';
import { parseCidr, parseIp } from '../config/cidr';

/** Which way an NSG rule looks at traffic, seen from the subnet the NSG is on. */
export type Direction = 'Inbound' | 'Outbound';

/** An NSG security rule as Azure evaluates it. Prefixes are CIDRs, addresses, service tags or `*`. */
export interface NsgRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: Direction;
  readonly access: 'Allow' | 'Deny';
  /** `Tcp`, `Udp`, `Icmp`, … or `*`. */
  readonly protocol: string;
  readonly sourcePrefixes: readonly string[];
  readonly destinationPrefixes: readonly string[];
  /** Port ranges: `*`, `443` or `1000-2000`. */
  readonly sourcePorts: readonly string[];
  readonly destinationPorts: readonly string[];
  /** True for the rules Azure puts in every NSG. */
  readonly isDefault?: boolean;
}

/** A network security group: a name and its custom rules (the default rules are implied). */
export interface Nsg {
  readonly name: string;
  readonly rules: readonly NsgRule[];
}

/** One connection attempt: the first packet of a flow. */
export interface Packet {
  readonly source: string;
  readonly destination: string;
  readonly protocol: 'Tcp' | 'Udp' | 'Icmp';
  readonly port: number;
  /** @default 49152 (the first ephemeral port of Windows) */
  readonly sourcePort?: number;
}

/** What the service tag `VirtualNetwork` stands for: here, the address spaces of the virtual network. */
export interface AddressSpace {
  readonly virtualNetwork: readonly string[];
}

/** The rule of one NSG that decided a packet. */
export interface Decision {
  readonly nsg: string;
  readonly rule: NsgRule;
}

/** Whether a packet gets through every NSG on its path, and which rules said so. */
export interface PathVerdict {
  readonly allowed: boolean;
  /** The decision of the source subnet's NSG; undefined when it has none. */
  readonly outbound?: Decision;
  /** The decision of the destination subnet's NSG; undefined when it has none, or when outbound denied. */
  readonly inbound?: Decision;
  /** The decision that settled it: the deny, or else the inbound allow, or else the outbound allow. */
  readonly decidedBy?: Decision;
}

/** The address the Azure platform's health probes come from (service tag `AzureLoadBalancer`). */
export const AZURE_LOAD_BALANCER_ADDRESS = '168.63.129.16';

/**
 * Azure service tags that stand for public Azure ranges, each modelled by one representative address from
 * the benchmarking range 198.18.0.0/15, which no virtual network or Internet host uses. A tag matches its own
 * address only; `Internet` covers all of them, as it covers Azure's public ranges.
 */
export const SERVICE_TAG_ADDRESSES: Readonly<Record<string, string>> = {
  AzureUpdateDelivery: '198.18.0.1',
  'AzureFrontDoor.FirstParty': '198.18.0.2',
  AzureKeyVault: '198.18.0.3',
  AzureMonitor: '198.18.0.4',
  AzureResourceManager: '198.18.0.5',
};

const serviceTagAddress = new Map(Object.entries(SERVICE_TAG_ADDRESSES).map(([tag, address]) => [tag.toLowerCase(), address]));

/** The representative address of a modelled service tag (case-insensitive); undefined for anything else. */
export const addressOfServiceTag = (tag: string) => serviceTagAddress.get(tag.toLowerCase());

const defaultRule = (name: string, priority: number, direction: Direction, access: 'Allow' | 'Deny', source: string, destination: string): NsgRule => ({
  name,
  priority,
  direction,
  access,
  protocol: '*',
  sourcePrefixes: [source],
  destinationPrefixes: [destination],
  sourcePorts: ['*'],
  destinationPorts: ['*'],
  isDefault: true,
});

/** The rules Azure adds to every NSG, below every custom rule. */
export const DEFAULT_RULES: readonly NsgRule[] = [
  defaultRule('AllowVnetInBound', 65000, 'Inbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
  defaultRule('AllowAzureLoadBalancerInBound', 65001, 'Inbound', 'Allow', 'AzureLoadBalancer', '*'),
  defaultRule('DenyAllInBound', 65500, 'Inbound', 'Deny', '*', '*'),
  defaultRule('AllowVnetOutBound', 65000, 'Outbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
  defaultRule('AllowInternetOutBound', 65001, 'Outbound', 'Allow', '*', 'Internet'),
  defaultRule('DenyAllOutBound', 65500, 'Outbound', 'Deny', '*', '*'),
];

function parseAddress(text: string): ipaddr.IPv4 {
  const ip = parseIp(text);
  if (ip === undefined) throw new Error(`"${text}" is not an IPv4 address`);
  return ip;
}

/** A CIDR or a single address as a range (parsed once: config/cidr.ts); undefined for anything else. */
const rangeOf = (prefix: string) => parseCidr(prefix.includes('/') ? prefix : `${prefix}/32`);

function inCidr(address: ipaddr.IPv4, cidr: string): boolean {
  const range = rangeOf(cidr);
  if (range === undefined) throw new Error(`"${cidr}" is not an IPv4 range`);
  return address.match(range.address, range.bits);
}

/** True when `address` belongs to the service tag `VirtualNetwork`. */
export function inVirtualNetwork(address: string, space: AddressSpace): boolean {
  const ip = parseAddress(address);
  return space.virtualNetwork.some((cidr) => inCidr(ip, cidr));
}

/**
 * True when an NSG address prefix covers `address`: `*`, a CIDR, a single address, one of the service tags
 * `VirtualNetwork`, `AzureLoadBalancer` and `Internet` (whatever is neither of the other two), or a modelled
 * Azure service tag (SERVICE_TAG_ADDRESSES). Any other service tag is an error: guessing its ranges would
 * make the answer wrong.
 */
export function matchesPrefix(prefix: string, address: string, space: AddressSpace): boolean {
  const ip = parseAddress(address);
  const tag = prefix.toLowerCase();
  if (tag === '*' || tag === 'any') return true;
  if (tag === 'virtualnetwork') return inVirtualNetwork(address, space);
  if (tag === 'azureloadbalancer') return address === AZURE_LOAD_BALANCER_ADDRESS;
  if (tag === 'internet') return !inVirtualNetwork(address, space) && address !== AZURE_LOAD_BALANCER_ADDRESS;
  const range = rangeOf(prefix);
  if (range !== undefined) return ip.match(range.address, range.bits);
  const tagAddress = addressOfServiceTag(prefix);
  if (tagAddress !== undefined) return address === tagAddress;
  throw new Error(`the address prefix or service tag "${prefix}" is not modelled by the NSG evaluator`);
}

/** True when a port range (`*`, `443`, `1000-2000`) covers `port`. */
export function matchesPort(range: string, port: number): boolean {
  if (range === '*') return true;
  const m = /^(\d+)(?:-(\d+))?$/.exec(range.trim());
  if (!m) throw new Error(`"${range}" is not an NSG port range`);
  return port >= Number(m[1]) && port <= Number(m[2] ?? m[1]);
}

/** True when a rule applies to a packet travelling in `direction`. */
export function ruleMatches(rule: NsgRule, direction: Direction, packet: Packet, space: AddressSpace): boolean {
  return (
    rule.direction === direction &&
    (rule.protocol === '*' || rule.protocol.toLowerCase() === packet.protocol.toLowerCase()) &&
    rule.sourcePrefixes.some((p) => matchesPrefix(p, packet.source, space)) &&
    rule.destinationPrefixes.some((p) => matchesPrefix(p, packet.destination, space)) &&
    rule.sourcePorts.some((r) => matchesPort(r, packet.sourcePort ?? 49152)) &&
    rule.destinationPorts.some((r) => matchesPort(r, packet.port))
  );
}

/** The rules of an NSG in the order Azure reads them: custom and default rules, lowest priority number first. */
export function orderedRules(nsg: Nsg, direction: Direction): NsgRule[] {
  return [...nsg.rules, ...DEFAULT_RULES].filter((r) => r.direction === direction).sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
}

/** The first rule of `nsg` that matches the packet in `direction`: it alone decides. */
export function evaluateNsg(nsg: Nsg, direction: Direction, packet: Packet, space: AddressSpace): Decision {
  const rule = orderedRules(nsg, direction).find((r) => ruleMatches(r, direction, packet, space));
  // The default DenyAll rules match everything, so a rule is always found.
  return { nsg: nsg.name, rule: rule! };
}

/**
 * Evaluates a packet against the NSG of the subnet it leaves (outbound rules) and then the NSG of the
 * subnet it enters (inbound rules); it gets through only if both allow it. A side without an NSG allows.
 */
export function evaluatePath(path: { readonly sourceNsg?: Nsg; readonly destinationNsg?: Nsg }, packet: Packet, space: AddressSpace): PathVerdict {
  const outbound = path.sourceNsg ? evaluateNsg(path.sourceNsg, 'Outbound', packet, space) : undefined;
  if (outbound && outbound.rule.access === 'Deny') return { allowed: false, outbound, decidedBy: outbound };
  const inbound = path.destinationNsg ? evaluateNsg(path.destinationNsg, 'Inbound', packet, space) : undefined;
  return { allowed: inbound?.rule.access !== 'Deny', outbound, inbound, decidedBy: inbound ?? outbound };
}

/** `nsg-x/allow-foo`, or `nsg-x/DenyAllInBound (default)`; `no NSG` when nothing filtered the packet. */
export function describeDecision(decision: Decision | undefined): string {
  if (!decision) return 'no NSG';
  return `${decision.nsg}/${decision.rule.name}${decision.rule.isDefault ? ' (default)' : ''}`;
}
