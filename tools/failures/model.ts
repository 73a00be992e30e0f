import { Stage, StageName, stageOf, STAGE_NAMES } from '../../constructs/migration-stages';
import { PUBLISHING_SCRIPT } from '../../constructs/scripts/wap';
import { isTierName, TierName, TIERS } from '../../constructs/values';
import { INTRANET_FLOWS } from '../../constructs/traffic-flows';
import { hostAddress } from '../flow-matrix';
import { NetworkModel, networkModelOf, SubnetModel } from '../network-model';
import { arrayOf, blocks, objectOf, parseReference, resolve, Resource, resourcesOf, StackJson, textOf } from '../terraform-json';

/*
 * What can fail in an environment, read from its synthesized Terraform JSON (never from its configuration): the
 * servers with their zones and roles, the load balancers' frontends, rules, pools and probes, each server's egress
 * path, the Key Vaults the servers read, the patching rings and the alerts. The journeys (journeys.ts) and the
 * analysis (analysis.ts) read only this.
 */

/** Zones of a zonal resource: several (zone-redundant), one (zonal), or none (Azure picks a zone it does not show). */
export type Zones = readonly string[];

/** A server: its id (`mfa-1`), tier, role and zone. */
export interface ServerFacts {
  readonly id: string;
  /** Terraform key of the `azurerm_windows_virtual_machine`. */
  readonly key: string;
  readonly name: string;
  readonly tier: TierName;
  /** The `role` tag: `master`, `subordinate`, or the tier's name. */
  readonly role: string;
  /** The WID primary of the AD FS farm: the server whose Run Command creates the farm (Install-AdfsFarm). */
  readonly widPrimary: boolean;
  readonly zone?: string;
  readonly subnetKey: string;
}

/** A load-balancing rule: a frontend port to one pool. */
export interface RuleFacts {
  readonly name: string;
  readonly protocol: 'Tcp' | 'Udp';
  readonly frontendPort: number;
  readonly backendPort: number;
  readonly pool: string;
  /** Ids of the servers in the pool. */
  readonly members: readonly string[];
  readonly probe?: string;
  /** Clients stick to one server (`load_distribution` other than Default). */
  readonly sticky: boolean;
}

/** A load balancer: its frontend's zones, its rules and its outbound rules. */
export interface LoadBalancerFacts {
  readonly key: string;
  readonly name: string;
  readonly public: boolean;
  /** The tier in front of which it stands: its frontend's subnet, or (public) the tier of its pools' servers. */
  readonly tier?: TierName;
  /** Zones of the frontend: the internal frontend's own, or the public IP's. */
  readonly frontendZones: Zones;
  readonly rules: readonly RuleFacts[];
  /** Ids of the servers that leave through its outbound rules. */
  readonly outboundMembers: readonly string[];
}

/** How a server reaches what lies outside the virtual network, in Azure's order of precedence. */
export type EgressFacts =
  | { readonly kind: 'route'; readonly id: string; readonly name: string; readonly nextHop: string }
  | { readonly kind: 'nat-gateway'; readonly id: string; readonly name: string; readonly zones: Zones }
  | { readonly kind: 'outbound-rule'; readonly id: string; readonly name: string; readonly loadBalancerKey: string; readonly zones: Zones }
  | { readonly kind: 'none' };

/** A Key Vault the environment names: its own (admin passwords), or one the servers read certificates from. */
export interface VaultFacts {
  readonly name: string;
  /** Tiers whose servers read certificates from it with the Key Vault VM extension; empty: read only by deployments. */
  readonly readers: readonly TierName[];
}

/** A patching ring: a maintenance configuration and the servers assigned to it. */
export interface RingFacts {
  readonly name: string;
  readonly servers: readonly string[];
}

/** An alert of the stack, by what it watches. */
export type AlertFacts =
  | {
      readonly kind: 'probe';
      readonly name: string;
      readonly loadBalancerKey: string;
      readonly backendPort: number;
      /** One series per server (dimension BackendIPAddress). */
      readonly perServer: boolean;
      readonly operator: string;
      readonly threshold: number;
    }
  | { readonly kind: 'resource-health'; readonly name: string; readonly states: readonly string[] }
  /** A log search alert over the Heartbeat table of the resource group's VMs: every server. */
  | { readonly kind: 'heartbeat'; readonly name: string }
  | { readonly kind: 'query'; readonly name: string };

/** Everything the failure analysis reads from a synthesized stack. */
export interface FailureModel {
  readonly network: NetworkModel;
  readonly servers: readonly ServerFacts[];
  readonly loadBalancers: readonly LoadBalancerFacts[];
  /** The egress path of each server, by server id. */
  readonly egress: ReadonlyMap<string, EgressFacts>;
  readonly vaults: readonly VaultFacts[];
  readonly rings: readonly RingFacts[];
  readonly alerts: readonly AlertFacts[];
  /** The zones the servers stand in, sorted; empty for availability sets. */
  readonly zones: readonly string[];
  /** The migration stage (the `migration_stage` output; none: mfa-server). */
  readonly stage: Stage;
  /** The proxies publish applications beyond AD FS (the user portal and the mobile app web service): a publishing Run Command is deployed. */
  readonly portalPublished: boolean;
  /** The AD FS subnet admits intranet clients: the NSG rule of the intranet flow is deployed (adfs.intranetClientCidrs). */
  readonly intranetClientsAdmitted: boolean;
}

/** The server id of a VM, from its Azure name `vm-<prefix>-<tier>-<n>`. */
export const serverIdOf = (vmName: string) => /([a-z]+-\d+)$/.exec(vmName)?.[1] ?? vmName;

/** A representative address of a subnet: the one the flow matrix gives a destination in it. */
export const addressOfSubnet = (subnet: SubnetModel) => hostAddress(subnet.prefixes[0], 5);

/** Reads the failure model of a synthesized stack. */
export function failureModelOf(stack: StackJson): FailureModel {
  const network = networkModelOf(stack);
  const vms = resourcesOf(stack, 'azurerm_windows_virtual_machine');
  const serverOfVm = new Map(vms.map((vm) => [vm.key, serverIdOf(String(vm.args.name))]));
  const nicOwner = new Map<string, string>();
  for (const vm of vms) for (const id of arrayOf(vm.args.network_interface_ids)) nicOwner.set(parseReference(id)?.key ?? '', serverOfVm.get(vm.key)!);
  const primaries = new Set(
    resourcesOf(stack, 'azurerm_virtual_machine_run_command')
      .filter((c) => /\bInstall-AdfsFarm\b/.test(String(objectOf(c.args.source).script ?? '')))
      .map((c) => parseReference(c.args.virtual_machine_id)?.key),
  );
  const servers: ServerFacts[] = vms
    .filter((vm) => isTierName(objectOf(vm.args.tags).tier))
    .map((vm) => {
      const nic = resolve(stack, 'azurerm_network_interface', arrayOf(vm.args.network_interface_ids)[0]);
      const subnet = resolve(stack, 'azurerm_subnet', blocks(nic?.args.ip_configuration)[0]?.subnet_id);
      return {
        id: serverOfVm.get(vm.key)!,
        key: vm.key,
        name: String(vm.args.name),
        tier: objectOf(vm.args.tags).tier as TierName,
        role: String(objectOf(vm.args.tags).role ?? objectOf(vm.args.tags).tier),
        widPrimary: primaries.has(vm.key),
        zone: vm.args.zone === undefined ? undefined : String(vm.args.zone),
        subnetKey: subnet?.key ?? '',
      };
    });

  // Pool memberships, by pool key.
  const members = new Map<string, string[]>();
  for (const assoc of resourcesOf(stack, 'azurerm_network_interface_backend_address_pool_association')) {
    const pool = parseReference(assoc.args.backend_address_pool_id)?.key ?? '';
    const server = nicOwner.get(parseReference(assoc.args.network_interface_id)?.key ?? '');
    if (server) members.set(pool, [...(members.get(pool) ?? []), server]);
  }
  const tierOf = (id: string) => servers.find((s) => s.id === id)?.tier;
  const loadBalancers = resourcesOf(stack, 'azurerm_lb').map((lb) => loadBalancerOf(stack, lb, members, network, tierOf));

  const egress = new Map<string, EgressFacts>();
  for (const server of servers)
    egress.set(
      server.id,
      egressOf(
        stack,
        network.subnets.find((s) => s.key === server.subnetKey),
        server.id,
        loadBalancers,
      ),
    );

  const zones = [...new Set(servers.map((s) => s.zone).filter((z): z is string => z !== undefined))].sort();
  const stageName = stack.output?.migration_stage?.value;
  return {
    network,
    servers,
    loadBalancers,
    egress,
    vaults: vaultsOf(stack, servers),
    rings: ringsOf(stack, serverOfVm),
    alerts: alertsOf(stack),
    zones,
    stage: stageOf(STAGE_NAMES.includes(stageName as StageName) ? (stageName as StageName) : 'mfa-server'),
    portalPublished: resourcesOf(stack, 'azurerm_virtual_machine_run_command').some((r) => r.args.name === PUBLISHING_SCRIPT),
    intranetClientsAdmitted: network.subnets.some((s) => (s.nsg?.rules ?? []).some((r) => r.name === INTRANET_FLOWS.https && r.direction === 'Inbound')),
  };
}

function loadBalancerOf(
  stack: StackJson,
  lb: Resource,
  members: ReadonlyMap<string, readonly string[]>,
  network: NetworkModel,
  tierOf: (id: string) => TierName | undefined,
): LoadBalancerFacts {
  const frontend = blocks(lb.args.frontend_ip_configuration)[0] ?? {};
  const publicIp = resolve(stack, 'azurerm_public_ip', frontend.public_ip_address_id);
  const belongs = (r: Resource) => parseReference(r.args.loadbalancer_id)?.key === lb.key;
  const pool = (id: unknown) => resolve(stack, 'azurerm_lb_backend_address_pool', id);
  const rules: RuleFacts[] = resourcesOf(stack, 'azurerm_lb_rule')
    .filter(belongs)
    .map(({ args }) => {
      const p = pool(arrayOf(args.backend_address_pool_ids)[0]);
      return {
        name: String(args.name),
        protocol: args.protocol === 'Udp' ? 'Udp' : 'Tcp',
        frontendPort: Number(args.frontend_port),
        backendPort: Number(args.backend_port),
        pool: String(p?.args.name ?? ''),
        members: (p && members.get(p.key)) ?? [],
        probe: textOf(resolve(stack, 'azurerm_lb_probe', args.probe_id)?.args.name),
        sticky: (args.load_distribution ?? 'Default') !== 'Default',
      };
    });
  const outboundMembers = resourcesOf(stack, 'azurerm_lb_outbound_rule')
    .filter(belongs)
    .flatMap((r) => members.get(pool(r.args.backend_address_pool_id)?.key ?? '') ?? []);
  const subnetTier = network.subnets.find((s) => s.key === resolve(stack, 'azurerm_subnet', frontend.subnet_id)?.key)?.tier;
  const memberTier = rules
    .flatMap((r) => r.members)
    .map(tierOf)
    .find((t) => t !== undefined);
  return {
    key: lb.key,
    name: String(lb.args.name),
    public: publicIp !== undefined,
    tier: subnetTier ?? memberTier,
    frontendZones: arrayOf(publicIp ? publicIp.args.zones : frontend.zones).map(String),
    rules,
    outboundMembers: [...new Set(outboundMembers)],
  };
}

/**
 * A server's egress: a default route to a virtual appliance wins over a NAT gateway, which wins over a load
 * balancer's outbound rules ("What is Azure NAT Gateway?": NAT gateway takes precedence over outbound rules; a
 * user-defined route to a virtual appliance over both).
 */
function egressOf(stack: StackJson, subnet: SubnetModel | undefined, server: string, loadBalancers: readonly LoadBalancerFacts[]): EgressFacts {
  const route = subnet?.routeTable?.defaultRoute;
  if (subnet?.routeTable && route && route.nextHopType !== 'Internet') {
    return { kind: 'route', id: `route:${subnet.routeTable.name}`, name: subnet.routeTable.name, nextHop: route.nextHop ?? route.nextHopType };
  }
  if (subnet?.natGateway) {
    const nat = resolve(stack, 'azurerm_nat_gateway', subnet.natGateway);
    return { kind: 'nat-gateway', id: `nat:${subnet.natGateway}`, name: subnet.natGateway, zones: arrayOf(nat?.args.zones).map(String) };
  }
  const lb = loadBalancers.find((l) => l.outboundMembers.includes(server));
  if (lb) return { kind: 'outbound-rule', id: `lb:${lb.name}`, name: lb.name, loadBalancerKey: lb.key, zones: lb.frontendZones };
  return { kind: 'none' };
}

/** The vaults: the stack's own, and those whose certificates the servers' Key Vault extensions observe. */
function vaultsOf(stack: StackJson, servers: readonly ServerFacts[]): VaultFacts[] {
  const readers = new Map<string, Set<TierName>>(resourcesOf(stack, 'azurerm_key_vault').map((v) => [String(v.args.name), new Set()]));
  for (const ext of resourcesOf(stack, 'azurerm_virtual_machine_extension').filter((e) => e.args.type === 'KeyVaultForWindows')) {
    const tier = servers.find((s) => s.key === parseReference(ext.args.virtual_machine_id)?.key)?.tier;
    const settings = String(ext.args.settings ?? '');
    const literal = [...settings.matchAll(/https:\/\/([a-z0-9-]+)\.vault\.azure\.net/gi)].map((m) => m[1]);
    const referenced = [...settings.matchAll(/azurerm_key_vault_certificate\.([\w-]+)\./g)].map((m) => {
      const certificate = stack.resource?.azurerm_key_vault_certificate?.[m[1]];
      return resolve(stack, 'azurerm_key_vault', certificate?.key_vault_id)?.args.name as string | undefined;
    });
    for (const name of [...literal, ...referenced].filter((n): n is string => n !== undefined)) {
      if (!readers.has(name)) readers.set(name, new Set());
      if (tier) readers.get(name)!.add(tier);
    }
  }
  return [...readers].map(([name, tiers]) => ({ name, readers: TIERS.filter((t) => tiers.has(t)) })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The rings: each maintenance configuration with the servers assigned to it, in the order of their windows. */
function ringsOf(stack: StackJson, serverOfVm: ReadonlyMap<string, string>): RingFacts[] {
  const configs = resourcesOf(stack, 'azurerm_maintenance_configuration');
  const assigned = resourcesOf(stack, 'azurerm_maintenance_assignment_virtual_machine');
  const start = (c: Resource) => String(blocks(c.args.window)[0]?.start_date_time ?? '');
  return [...configs]
    .sort((a, b) => start(a).localeCompare(start(b)) || a.key.localeCompare(b.key))
    .map((c) => ({
      name: String(c.args.name).replace(/^mc-[a-z0-9]+-[a-z0-9-]+?-(?=ring-|primaries$)/, ''),
      servers: assigned
        .filter((a) => parseReference(a.args.maintenance_configuration_id)?.key === c.key)
        .map((a) => serverOfVm.get(parseReference(a.args.virtual_machine_id)?.key ?? ''))
        .filter((s): s is string => s !== undefined),
    }));
}

/** The alerts: health probe metric alerts on the load balancers, Resource Health, and workspace queries. */
function alertsOf(stack: StackJson): AlertFacts[] {
  const probes: AlertFacts[] = resourcesOf(stack, 'azurerm_monitor_metric_alert').flatMap(({ args }) =>
    blocks(args.criteria)
      .filter((c) => c.metric_namespace === 'Microsoft.Network/loadBalancers' && c.metric_name === 'DipAvailability')
      .map((c) => {
        const dimensions = blocks(c.dimension);
        const port = arrayOf(dimensions.find((d) => d.name === 'BackendPort')?.values)[0];
        return {
          kind: 'probe' as const,
          name: String(args.name),
          loadBalancerKey: parseReference(arrayOf(args.scopes)[0])?.key ?? '',
          backendPort: Number(port),
          perServer: dimensions.some((d) => d.name === 'BackendIPAddress'),
          operator: String(c.operator),
          threshold: Number(c.threshold),
        };
      }),
  );
  const health: AlertFacts[] = resourcesOf(stack, 'azurerm_monitor_activity_log_alert')
    .filter(({ args }) => blocks(args.criteria)[0]?.category === 'ResourceHealth')
    .map(({ args }) => ({
      kind: 'resource-health',
      name: String(args.name),
      states: arrayOf(blocks(blocks(args.criteria)[0]?.resource_health)[0]?.current).map(String),
    }));
  const queries: AlertFacts[] = resourcesOf(stack, 'azurerm_monitor_scheduled_query_rules_alert_v2').map(({ args }) => {
    const query = String(blocks(args.criteria)[0]?.query ?? '');
    // A query over the Heartbeat table of the VMs of the resource group: every server of the stack.
    return /^Heartbeat\b/.test(query) ? { kind: 'heartbeat', name: String(args.name) } : { kind: 'query', name: String(args.name) };
  });
  return [...probes, ...health, ...queries];
}
