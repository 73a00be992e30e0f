import type { TierName } from '../../constructs/values';
import { addressOfServiceTag, describeDecision, evaluatePath, inVirtualNetwork, Nsg, Packet } from '../nsg-evaluator';
import { hostAddress } from '../flow-matrix';
import { Failure, serverLabel, zoneVerdict } from './failures';
import { JourneyInstance, journeysOf, loadBalancerOf } from './instances';
import { adfsSecondFactor, Destination, Hop, JourneySpec, Source } from './journeys';
import { addressOfSubnet, EgressFacts, FailureModel, ServerFacts } from './model';

export { JourneyInstance, journeysOf } from './instances';

/*
 * Replays a failure on the failure model: for each journey, hop by hop, which servers still answer, through which
 * load balancer, NSG and egress path, and so whether the journey serves, is degraded or stops, and why.
 */

/** The outcome of a journey or of a hop. */
export type Status = 'serves' | 'degraded' | 'stops';

/**
 * Why a hop does not serve in full, as a code the promise (promises.ts) can accept or refuse: `server` (servers of
 * the hop down), `role:master`, `role:wid-primary`, `load-balancer`, `frontend-zone`, `nsg`, `no-source`,
 * `misrouted`, `not-sticky`, `egress` (the path is down), `egress-zone` (the path's zone), `no-egress`, `vault`, `origin` (the server a journey starts from is the one down).
 */
export type Cause =
  | 'server'
  | 'role:master'
  | 'role:wid-primary'
  | 'load-balancer'
  | 'frontend-zone'
  | 'nsg'
  | 'no-source'
  | 'misrouted'
  | 'not-sticky'
  | 'egress'
  | 'egress-zone'
  | 'no-egress'
  | 'vault'
  | 'origin';

/** One hop, replayed. */
export interface HopOutcome {
  /** What the hop is: `adfs (lbi-mfaha-prod-adfs/https)`, `mfa → Azure MFA service (route rt-…)`. */
  readonly hop: string;
  readonly status: Status;
  /** Servers that still carry the hop, of those that should. */
  readonly capacity?: { readonly up: number; readonly total: number };
  readonly why?: string;
  readonly cause?: Cause;
}

/** One journey, replayed. */
export interface JourneyOutcome {
  /** `internet-sign-in`, `replication:mfa-2`, `radius:lbi-mfaha-prod-nps`. */
  readonly key: string;
  readonly title: string;
  readonly spec: JourneySpec;
  readonly status: Status;
  readonly hops: readonly HopOutcome[];
}

/** Where each destination outside the virtual network is, and on which port. */
const DESTINATIONS: Readonly<Record<Destination, { readonly title: string; readonly port: number; readonly rule?: string; readonly tag?: string }>> = {
  'azure-mfa-service': { title: 'the Azure MFA service', port: 443, rule: 'allow-mfa-to-mfa-service' },
  'entra-mfa': { title: 'Microsoft Entra MFA', port: 443, rule: 'allow-nps-to-entra-mfa' },
  'windows-update': { title: 'Windows Update', port: 443, tag: 'AzureUpdateDelivery' },
  'key-vault': { title: 'the certificate vault', port: 443, tag: 'AzureKeyVault' },
  'azure-monitor': { title: 'Azure Monitor', port: 443, tag: 'AzureMonitor' },
};

/** What a destination is, in words: `the Azure MFA service`. */
export const destinationTitle = (destination: Destination) => DESTINATIONS[destination].title;

/** An address of the Internet, outside the virtual network. */
const internetAddress = (model: FailureModel) => ['8.8.8.8', '1.1.1.1', '9.9.9.9'].find((a) => !inVirtualNetwork(a, model.network.addressSpace))!;

function destinationAddress(model: FailureModel, destination: Destination): string {
  const d = DESTINATIONS[destination];
  if (d.tag) return addressOfServiceTag(d.tag)!;
  const rule = model.network.subnets.flatMap((s) => s.nsg?.rules ?? []).find((r) => r.name === d.rule);
  const cidr = rule?.destinationPrefixes.find((p) => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(p));
  return cidr ? hostAddress(cidr, 4) : internetAddress(model);
}

/** Replays a failure: the outcome of every journey the environment offers. */
export function analyze(model: FailureModel, failure: Failure): JourneyOutcome[] {
  const ctx = new Replay(model, failure);
  return journeysOf(model).map((instance) => ctx.journey(instance));
}

/**
 * Which of `servers` reach a destination outside the virtual network under a failure (their egress path and NSGs), and
 * why the others do not: what the heartbeat alert (tools/failures/alerts.ts) reads for Azure Monitor.
 */
export function egressUnder(
  model: FailureModel,
  failure: Failure,
  servers: readonly ServerFacts[],
  destination: Destination,
): { readonly reached: readonly ServerFacts[]; readonly why?: string } {
  const [outcome, reached] = new Replay(model, failure).egress(servers, destination);
  return { reached, why: outcome.why };
}

/** The worst of several statuses. */
export const worst = (statuses: readonly Status[]): Status => (statuses.includes('stops') ? 'stops' : statuses.includes('degraded') ? 'degraded' : 'serves');

/** The state of one replay: the failure and what it does to subnets' NSGs. */
class Replay {
  private readonly nsgs = new Map<string, Nsg | undefined>();

  constructor(
    private readonly model: FailureModel,
    private readonly failure: Failure,
  ) {
    for (const subnet of model.network.subnets) {
      const added = failure.rules.filter((r) => r.subnetKey === subnet.key).map((r) => r.rule);
      this.nsgs.set(subnet.key, subnet.nsg && added.length > 0 ? { ...subnet.nsg, rules: [...subnet.nsg.rules, ...added] } : subnet.nsg);
    }
  }

  journey(instance: JourneyInstance): JourneyOutcome {
    const hops: HopOutcome[] = [];
    // The servers that carry the journey so far: none before the first hop, or the subordinate it starts from.
    let carriers: ServerFacts[] = instance.server ? this.model.servers.filter((s) => s.id === instance.server) : [];
    if (instance.server && !this.up(carriers[0]))
      hops.push({ hop: instance.server, status: 'stops', why: `${instance.server} is down itself`, cause: 'origin' });
    const queue = [...instance.spec.hops];
    while (queue.length > 0 && !hops.some((h) => h.status === 'stops')) {
      const hop = queue.shift()!;
      // The servers the previous hop reached decide what the second factor is.
      if (hop.kind === 'second-factor') {
        queue.unshift(...this.secondFactor(carriers[0]?.tier));
        continue;
      }
      const [outcome, next] = this.hop(instance, hop, carriers);
      hops.push(outcome);
      carriers = next;
    }
    return { key: instance.key, title: instance.title, spec: instance.spec, status: worst(hops.map((h) => h.status)), hops };
  }

  /** What a server of `tier` does for the second factor. */
  private secondFactor(tier: TierName | undefined): Hop[] {
    if (tier === 'adfs') {
      return adfsSecondFactor(this.model.stage) === 'mfa-server'
        ? [
            { kind: 'service', tier: 'mfa', rule: 'web-service-sdk' },
            { kind: 'egress', destination: 'azure-mfa-service' },
          ]
        : [{ kind: 'egress', destination: 'entra-mfa' }];
    }
    if (tier === 'mfa') return [{ kind: 'egress', destination: 'azure-mfa-service' }];
    if (tier === 'nps') return [{ kind: 'egress', destination: 'entra-mfa' }];
    return [];
  }

  private up(server: ServerFacts | undefined): boolean {
    return server !== undefined && !this.failure.servers.includes(server.id) && !(server.zone !== undefined && this.failure.zones.includes(server.zone));
  }

  private hop(instance: JourneyInstance, hop: Hop, carriers: readonly ServerFacts[]): [HopOutcome, ServerFacts[]] {
    switch (hop.kind) {
      case 'service':
        return this.service(instance, hop, carriers);
      case 'egress': {
        const servers =
          hop.destination === 'key-vault'
            ? this.certificateReaders()
            : hop.tiers
              ? this.model.servers.filter((s) => hop.tiers!.includes(s.tier) && this.up(s))
              : carriers;
        return this.egress(servers, hop.destination);
      }
      case 'role':
        return this.role(hop);
      case 'rings':
        return this.rings();
      case 'second-factor':
        return [{ hop: 'second factor', status: 'serves' }, [...carriers]];
    }
  }

  private service(instance: JourneyInstance, hop: Extract<Hop, { kind: 'service' }>, carriers: readonly ServerFacts[]): [HopOutcome, ServerFacts[]] {
    const lb = loadBalancerOf(this.model, instance, hop)!;
    const rule = lb.rules.find((r) => r.name === hop.rule)!;
    const label = `${lb.tier ?? 'load balancer'} (${lb.name}/${rule.name})`;
    const stop = (why: string, cause: Cause): [HopOutcome, ServerFacts[]] => [{ hop: label, status: 'stops', why, cause }, []];
    if (this.failure.loadBalancers.includes(lb.key)) return stop(`the load balancer ${lb.name} is down`, 'load-balancer');
    const zone = zoneVerdict(this.model, lb.frontendZones, this.failure);
    if (zone !== 'up')
      return stop(
        `its frontend ${zone === 'down' ? `is in zone ${lb.frontendZones.join(', ')}` : 'has no zone: Azure placed it in one zone it does not show, which may be the one down'}`,
        'frontend-zone',
      );
    if (hop.sticky && !rule.sticky) return stop(`the rule keeps no client on one server (load_distribution Default): ${hop.sticky}`, 'not-sticky');
    const members = this.model.servers.filter((s) => rule.members.includes(s.id));
    if (members.length === 0) return stop(`the rule's pool ${rule.pool} has no server`, 'server');
    if (hop.role) {
      const others = members.filter((s) => s.role !== hop.role);
      if (others.length > 0)
        return stop(
          `the rule's pool ${rule.pool} holds ${others.map((s) => `${s.id} (${s.role})`).join(', ')}: it must reach the ${hop.role} alone`,
          'misrouted',
        );
    }
    const protocol = rule.protocol;
    const sources = this.sources(hop.from, members[0], protocol, rule.backendPort, carriers);
    if (sources.length === 0) {
      const nsg = this.nsgOf(members[0].subnetKey);
      return stop(
        `no NSG rule of ${nsg?.name ?? 'its subnet'} admits ${hop.from === 'intranet' ? 'a client range outside the virtual network' : (hop.from ?? 'the previous hop')} on ${protocol.toLowerCase()}/${rule.backendPort}`,
        'no-source',
      );
    }
    let denied: string | undefined;
    const serving = members.filter((server) => {
      if (!this.up(server)) return false;
      const verdicts = sources.map((source) => this.path(source, server.subnetKey, protocol, rule.backendPort));
      if (verdicts.some((v) => v.allowed)) return true;
      denied = verdicts[0].decidedBy;
      return false;
    });
    const capacity = { up: serving.length, total: members.length };
    if (serving.length === 0) {
      return denied
        ? [{ hop: label, status: 'stops', capacity, why: `denied by ${denied}`, cause: 'nsg' }, []]
        : [{ hop: label, status: 'stops', capacity, why: `${this.downList(members)} down`, cause: hop.role === 'master' ? 'role:master' : 'server' }, []];
    }
    if (serving.length < members.length)
      return [{ hop: label, status: 'degraded', capacity, why: `${this.downList(members.filter((m) => !serving.includes(m)))} down` }, serving];
    return [{ hop: label, status: 'serves', capacity }, serving];
  }

  private downList(servers: readonly ServerFacts[]): string {
    return servers.map((s) => serverLabel(this.model, s.id)).join(', ');
  }

  /** Source addresses of a hop, each with the subnet it leaves (none: from outside the virtual network). */
  private sources(
    from: Source | undefined,
    member: ServerFacts,
    protocol: 'Tcp' | 'Udp',
    port: number,
    carriers: readonly ServerFacts[],
  ): { address: string; subnetKey?: string }[] {
    if (from === 'internet') return [{ address: internetAddress(this.model) }];
    if (from === 'intranet' || from === 'radius-clients') {
      // The ranges outside the virtual network's own subnets that the servers' NSG admits on the port.
      const nsg = this.nsgOf(member.subnetKey);
      const ranges = (nsg?.rules ?? [])
        .filter((r) => r.direction === 'Inbound' && r.access === 'Allow' && (r.protocol === '*' || r.protocol.toLowerCase() === protocol.toLowerCase()))
        .filter((r) =>
          r.destinationPorts.some(
            (p) => p === '*' || p === String(port) || (p.includes('-') && Number(p.split('-')[0]) <= port && port <= Number(p.split('-')[1])),
          ),
        )
        .flatMap((r) => r.sourcePrefixes)
        .filter((p) => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(p))
        .filter((p) => !this.model.network.subnets.some((s) => s.prefixes.includes(p)));
      return [...new Set(ranges)].map((p) => ({ address: hostAddress(p, 4) }));
    }
    const subnets = [...new Set(carriers.map((c) => c.subnetKey))];
    return subnets.map((key) => ({ address: addressOfSubnet(this.model.network.subnets.find((s) => s.key === key)!), subnetKey: key }));
  }

  private nsgOf(subnetKey: string): Nsg | undefined {
    return this.nsgs.get(subnetKey);
  }

  private path(
    source: { address: string; subnetKey?: string },
    destinationSubnet: string | undefined,
    protocol: 'Tcp' | 'Udp',
    port: number,
    destination?: string,
  ) {
    const subnet = this.model.network.subnets.find((s) => s.key === destinationSubnet);
    const packet: Packet = { source: source.address, destination: destination ?? addressOfSubnet(subnet!), protocol, port };
    const verdict = evaluatePath(
      { sourceNsg: source.subnetKey ? this.nsgOf(source.subnetKey) : undefined, destinationNsg: destination ? undefined : this.nsgOf(destinationSubnet!) },
      packet,
      this.model.network.addressSpace,
    );
    return { allowed: verdict.allowed, decidedBy: describeDecision(verdict.decidedBy) };
  }

  private certificateReaders(): ServerFacts[] {
    const tiers = new Set(this.model.vaults.flatMap((v) => v.readers));
    return this.model.servers.filter((s) => tiers.has(s.tier) && this.up(s));
  }

  /** Whether an egress path is up under the failure, and why not. */
  private egressPath(path: EgressFacts, viaServiceEndpoint: boolean): { up: boolean; label: string; why?: string; cause?: Cause } {
    if (viaServiceEndpoint) return { up: true, label: 'service endpoint' };
    switch (path.kind) {
      case 'none':
        return {
          up: false,
          label: 'no egress path',
          why: 'the subnet has no route, NAT gateway or outbound rule, and no default outbound access',
          cause: 'no-egress',
        };
      case 'route':
        return this.failure.egress.includes(path.id)
          ? { up: false, label: `hub route ${path.name}`, why: `the hub route (${path.name} → ${path.nextHop}) is down`, cause: 'egress' }
          : { up: true, label: `hub route ${path.name} → ${path.nextHop}` };
      case 'nat-gateway':
      case 'outbound-rule': {
        const label = path.kind === 'nat-gateway' ? `NAT gateway ${path.name}` : `outbound rules of ${path.name}`;
        if (this.failure.egress.includes(path.id) || (path.kind === 'outbound-rule' && this.failure.loadBalancers.includes(path.loadBalancerKey))) {
          return { up: false, label, why: `${label} is down`, cause: 'egress' };
        }
        const zone = zoneVerdict(this.model, path.zones, this.failure);
        if (zone === 'down') return { up: false, label, why: `${label} is in zone ${path.zones.join(', ')}`, cause: 'egress-zone' };
        if (zone === 'may be down')
          return {
            up: false,
            label,
            why: `${label} has no zone: Azure placed it in one zone it does not show, which may be the one down`,
            cause: 'egress-zone',
          };
        return { up: true, label };
      }
    }
  }

  egress(servers: readonly ServerFacts[], destination: Destination): [HopOutcome, ServerFacts[]] {
    const d = DESTINATIONS[destination];
    const tiers = [...new Set(servers.map((s) => s.tier))];
    const label = `${tiers.join(', ') || 'no server'} → ${d.title}`;
    if (servers.length === 0) return [{ hop: label, status: 'stops', why: 'no server left to reach it', cause: 'server' }, []];
    if (destination === 'key-vault') {
      const down = this.model.vaults.filter((v) => v.readers.some((t) => tiers.includes(t)) && this.failure.vaults.includes(v.name));
      if (down.length > 0) return [{ hop: label, status: 'stops', why: `Key Vault ${down.map((v) => v.name).join(', ')} unreachable`, cause: 'vault' }, []];
    }
    const address = destinationAddress(this.model, destination);
    const whys: { why: string; cause: Cause }[] = [];
    const reached = servers.filter((server) => {
      const subnet = this.model.network.subnets.find((s) => s.key === server.subnetKey);
      const endpoint = destination === 'key-vault' && (subnet?.serviceEndpoints ?? []).includes('Microsoft.KeyVault');
      const path = this.egressPath(this.model.egress.get(server.id) ?? { kind: 'none' }, endpoint);
      if (!path.up) {
        whys.push({ why: `${server.tier}: ${path.why}`, cause: path.cause! });
        return false;
      }
      const verdict = this.path({ address: addressOfSubnet(subnet!), subnetKey: server.subnetKey }, undefined, 'Tcp', d.port, address);
      if (!verdict.allowed) whys.push({ why: `${server.tier}: denied by ${verdict.decidedBy}`, cause: 'nsg' });
      return verdict.allowed;
    });
    const capacity = { up: reached.length, total: servers.length };
    const why = [...new Set(whys.map((w) => w.why))].join('; ');
    if (reached.length === 0) return [{ hop: label, status: 'stops', capacity, why, cause: whys[0]?.cause }, []];
    if (reached.length < servers.length) return [{ hop: label, status: 'degraded', capacity, why, cause: whys[0]?.cause }, reached];
    return [{ hop: label, status: 'serves', capacity }, reached];
  }

  private role(hop: Extract<Hop, { kind: 'role' }>): [HopOutcome, ServerFacts[]] {
    const holders = this.model.servers.filter((s) => (hop.role === 'master' ? s.role === 'master' : s.widPrimary));
    const up = holders.filter((s) => this.up(s));
    const label = `${hop.role === 'master' ? 'the MFA master' : 'the WID primary'} ${holders.map((s) => s.id).join(', ')}`;
    if (up.length === 0)
      return [{ hop: label, status: 'stops', why: `${holders.map((s) => s.id).join(', ')} is down: ${hop.why}`, cause: `role:${hop.role}` }, []];
    return [{ hop: label, status: 'serves' }, up];
  }

  private rings(): [HopOutcome, ServerFacts[]] {
    const servers = this.model.servers.filter((s) => this.model.rings.some((r) => r.servers.includes(s.id)) && this.up(s));
    const [outcome, reached] = this.egress(servers, 'windows-update');
    return [{ ...outcome, hop: `ring servers → Windows Update` }, reached];
  }
}
