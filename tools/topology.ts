import { isTierName, TierName } from '../constructs/values';
import { comparePorts } from './flow-matrix';
import { networkModelOf, NetworkModel } from './network-model';
import { arrayOf, blocks, dnsNamesOf, objectOf, parseReference, resolve, Resource, resourcesOf, StackJson, textOf } from './terraform-json';

/** A public IP address: its address is only known once deployed, its DNS name before. */
export interface PublicIpModel {
  readonly key: string;
  readonly name: string;
  /** `<label>.<region>.cloudapp.azure.com`, when a DNS label is set. */
  readonly fqdn?: string;
  readonly zones: readonly string[];
}

/** A load-balancing rule: which port goes to which pool, and whether clients stick to a server. */
export interface LbRuleModel {
  readonly name: string;
  /** `tcp/443`; `tcp/443->8443` when the backend port differs. */
  readonly port: string;
  readonly frontendPort: string;
  readonly pools: readonly string[];
  /** The `load_distribution`: `Default` (5-tuple hash), `SourceIP` or `SourceIPProtocol` (sticky). */
  readonly loadDistribution: string;
  /** Clients stick to one server: any `load_distribution` but `Default`. */
  readonly sticky: boolean;
}

/** A load balancer with its frontend, rules, probes and pools. */
export interface LoadBalancerModel {
  readonly key: string;
  readonly name: string;
  readonly privateIp?: string;
  /** Terraform key of the subnet of an internal frontend. */
  readonly subnetKey?: string;
  readonly publicIp?: PublicIpModel;
  readonly rules: readonly LbRuleModel[];
  /** `http/80 /adfs/probe`, `tcp/4443`. */
  readonly probes: readonly string[];
  /** Pool name -> Terraform keys of the member servers. */
  readonly pools: ReadonlyMap<string, readonly string[]>;
  /** The DNS names that point at its frontend (the stack's `dns_internal` / `dns_public` outputs). */
  readonly dnsNames: readonly string[];
}

/** A server: its names, tier, role (master/subordinate for MFA) and zone. */
export interface ServerModel {
  readonly key: string;
  readonly name: string;
  readonly computerName: string;
  readonly tier?: TierName;
  readonly role: string;
  readonly zone?: string;
  readonly subnetKey?: string;
}

/** A NAT gateway: the explicit egress path of the subnets associated with it. */
export interface NatGatewayModel {
  readonly name: string;
  readonly publicIps: readonly PublicIpModel[];
}

/** Everything the diagram shows, read from a synthesized stack. */
export interface Topology {
  readonly network: NetworkModel;
  readonly vnets: readonly { readonly name: string; readonly addressSpace: readonly string[] }[];
  readonly servers: readonly ServerModel[];
  readonly loadBalancers: readonly LoadBalancerModel[];
  readonly natGateways: readonly NatGatewayModel[];
  /** Azure Bastion hosts, by the Terraform key of their subnet. */
  readonly bastions: readonly { readonly name: string; readonly subnetKey?: string }[];
}

const locationOf = (stack: StackJson, args: Record<string, unknown>): string | undefined => {
  const ref = parseReference(args.location);
  if (!ref) return typeof args.location === 'string' ? args.location : undefined;
  const target = resolve(stack, ref.type, args.location);
  return target ? locationOf(stack, target.args) : undefined;
};

function publicIpOf(stack: StackJson, resource: Resource): PublicIpModel {
  const label = resource.args.domain_name_label;
  const location = locationOf(stack, resource.args);
  return {
    key: resource.key,
    name: String(resource.args.name),
    fqdn: label && location ? `${label}.${location}.cloudapp.azure.com` : undefined,
    zones: arrayOf(resource.args.zones).map(String),
  };
}

const portText = (protocol: string, frontend: number, backend: number) => `${protocol.toLowerCase()}/${frontend}${backend !== frontend ? `->${backend}` : ''}`;

/** Reads the topology of a synthesized stack. */
export function topologyOf(stack: StackJson): Topology {
  const network = networkModelOf(stack);
  const subnetKeyOf = (value: unknown) => resolve(stack, 'azurerm_subnet', value)?.key;
  const publicIp = (value: unknown) => {
    const ip = resolve(stack, 'azurerm_public_ip', value);
    return ip ? publicIpOf(stack, ip) : undefined;
  };

  const servers: ServerModel[] = resourcesOf(stack, 'azurerm_windows_virtual_machine').map((vm) => {
    const nic = resolve(stack, 'azurerm_network_interface', arrayOf(vm.args.network_interface_ids)[0]);
    const tier = objectOf(vm.args.tags).tier;
    return {
      key: vm.key,
      name: String(vm.args.name),
      computerName: String(vm.args.computer_name ?? vm.args.name),
      tier: isTierName(tier) ? tier : undefined,
      role: String(objectOf(vm.args.tags).role ?? objectOf(vm.args.tags).tier ?? 'server'),
      zone: textOf(vm.args.zone),
      subnetKey: subnetKeyOf(blocks(nic?.args.ip_configuration)[0]?.subnet_id),
    };
  });
  const serverOfNic = new Map<string, string>();
  for (const vm of resourcesOf(stack, 'azurerm_windows_virtual_machine')) {
    for (const id of arrayOf(vm.args.network_interface_ids)) {
      const ref = parseReference(id);
      if (ref) serverOfNic.set(ref.key, vm.key);
    }
  }
  const members = new Map<string, string[]>();
  for (const assoc of resourcesOf(stack, 'azurerm_network_interface_backend_address_pool_association')) {
    const pool = parseReference(assoc.args.backend_address_pool_id)?.key;
    const server = serverOfNic.get(parseReference(assoc.args.network_interface_id)?.key ?? '');
    if (pool && server) members.set(pool, [...(members.get(pool) ?? []), server]);
  }
  const belongsTo = (lb: Resource) => (r: Resource) => parseReference(r.args.loadbalancer_id)?.key === lb.key;
  const poolName = (id: unknown) => String(resolve(stack, 'azurerm_lb_backend_address_pool', id)?.args.name ?? id);

  const names = dnsNamesOf(stack);
  const loadBalancers: LoadBalancerModel[] = resourcesOf(stack, 'azurerm_lb').map((lb) => {
    const frontend = blocks(lb.args.frontend_ip_configuration)[0] ?? {};
    const publicIpKey = parseReference(frontend.public_ip_address_id)?.key;
    const pointsHere = (address: string) =>
      address === frontend.private_ip_address || (publicIpKey !== undefined && parseReference(address)?.key === publicIpKey);
    return {
      dnsNames: names.filter((n) => pointsHere(n.address)).map((n) => n.fqdn),
      key: lb.key,
      name: String(lb.args.name),
      privateIp: textOf(frontend.private_ip_address),
      subnetKey: subnetKeyOf(frontend.subnet_id),
      publicIp: publicIp(frontend.public_ip_address_id),
      rules: resourcesOf(stack, 'azurerm_lb_rule')
        .filter(belongsTo(lb))
        .map(({ args }) => ({
          name: String(args.name),
          port: portText(String(args.protocol), Number(args.frontend_port), Number(args.backend_port)),
          frontendPort: `${String(args.protocol).toLowerCase()}/${args.frontend_port}`,
          pools: arrayOf(args.backend_address_pool_ids).map(poolName),
          loadDistribution: String(args.load_distribution ?? 'Default'),
          sticky: (args.load_distribution ?? 'Default') !== 'Default',
        }))
        .sort((a, b) => comparePorts(a.frontendPort, b.frontendPort) || a.name.localeCompare(b.name)),
      probes: resourcesOf(stack, 'azurerm_lb_probe')
        .filter(belongsTo(lb))
        .map(({ args }) => `${String(args.protocol).toLowerCase()}/${args.port}${args.request_path ? ` ${args.request_path}` : ''}`)
        .sort(comparePorts),
      pools: new Map(
        resourcesOf(stack, 'azurerm_lb_backend_address_pool')
          .filter(belongsTo(lb))
          .map((p) => [String(p.args.name), members.get(p.key) ?? []]),
      ),
    };
  });

  const natIps = new Map<string, PublicIpModel[]>();
  for (const assoc of resourcesOf(stack, 'azurerm_nat_gateway_public_ip_association')) {
    const nat = parseReference(assoc.args.nat_gateway_id)?.key ?? '';
    const ip = publicIp(assoc.args.public_ip_address_id);
    if (ip) natIps.set(nat, [...(natIps.get(nat) ?? []), ip]);
  }
  return {
    network,
    vnets: resourcesOf(stack, 'azurerm_virtual_network').map((v) => ({ name: String(v.args.name), addressSpace: arrayOf(v.args.address_space).map(String) })),
    servers,
    loadBalancers,
    natGateways: resourcesOf(stack, 'azurerm_nat_gateway').map((n) => ({ name: String(n.args.name), publicIps: natIps.get(n.key) ?? [] })),
    bastions: resourcesOf(stack, 'azurerm_bastion_host').map((b) => ({
      name: String(b.args.name),
      subnetKey: subnetKeyOf(blocks(b.args.ip_configuration)[0]?.subnet_id),
    })),
  };
}
