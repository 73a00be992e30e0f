import { contains, parseCidr, parseIp } from '../../config/cidr';
import { isRecord, listOf, ResourceView, StackView } from './stack-view';

/** An NSG security rule, standalone or inline, in one shape. */
export interface SecurityRuleView {
  readonly name: string;
  readonly priority: number;
  readonly direction: string;
  readonly access: string;
  readonly protocol: string;
  readonly sources: readonly string[];
  readonly destinations: readonly string[];
  readonly ports: readonly string[];
}

/** Source prefixes that mean "anyone on the Internet". */
const INTERNET = new Set(['*', 'internet', '0.0.0.0/0', 'any']);

/** True for a source prefix that lets the whole Internet in. */
export const isInternet = (prefix: string) => INTERNET.has(prefix.trim().toLowerCase());

function normalize(body: Readonly<Record<string, unknown>>): SecurityRuleView {
  const both = (one: string, many: string) => [...listOf(body[one]), ...listOf(body[many])].map(String);
  return {
    name: String(body.name ?? ''),
    priority: Number(body.priority),
    direction: String(body.direction ?? ''),
    access: String(body.access ?? ''),
    protocol: String(body.protocol ?? ''),
    sources: both('source_address_prefix', 'source_address_prefixes'),
    destinations: both('destination_address_prefix', 'destination_address_prefixes'),
    ports: both('destination_port_range', 'destination_port_ranges'),
  };
}

/** The security rules a resource declares: one for a standalone rule, the inline ones of an NSG. */
export function securityRulesIn(resource: ResourceView): SecurityRuleView[] {
  if (resource.kind !== 'resource') return [];
  if (resource.type === 'azurerm_network_security_rule') return [normalize(resource.body)];
  if (resource.type === 'azurerm_network_security_group')
    return listOf(resource.body.security_rule)
      .filter(isRecord)
      .map((rule) => normalize(rule));
  return [];
}

/** Every rule of an NSG: inline, and standalone rules naming it. */
export function rulesOfNsg(nsg: ResourceView, stack: StackView): SecurityRuleView[] {
  const standalone = stack.referrers('azurerm_network_security_rule', 'network_security_group_name', nsg);
  return [...securityRulesIn(nsg), ...standalone.flatMap(securityRulesIn)];
}

/** True for a rule that lets traffic from the Internet in. */
export const opensToInternet = (rule: SecurityRuleView) => rule.direction === 'Inbound' && rule.access === 'Allow' && rule.sources.some(isInternet);

/** Port ranges of a rule: `*` is every port, `a-b` a range. Unparsable text counts as every port. */
export function portRanges(ports: readonly string[]): Array<readonly [number, number]> {
  return ports.map((p) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(p);
    return m ? ([Number(m[1]), Number(m[2] ?? m[1])] as const) : ([0, 65535] as const);
  });
}

/** True when one of the ranges covers `port`. */
export const coversPort = (ports: readonly string[], port: number) => portRanges(ports).some(([lo, hi]) => lo <= port && port <= hi);

/** True when every range is a single port out of `allowed`. */
export const onlyPorts = (ports: readonly string[], allowed: readonly number[]) =>
  ports.length > 0 && portRanges(ports).every(([lo, hi]) => lo === hi && allowed.includes(lo));

/** True when an address prefix (CIDR or address) lies wholly inside `cidr`; service tags and `*` never do. */
export function liesWithin(prefix: string, cidr: string): boolean {
  const outer = parseCidr(cidr);
  const inner = parseCidr(prefix) ?? (parseIp(prefix) ? parseCidr(`${prefix}/32`) : undefined);
  return outer !== undefined && inner !== undefined && contains(outer, inner);
}
