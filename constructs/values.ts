/** A transport protocol as Azure NSG rules and load-balancer rules spell it. */
export type Protocol = 'Tcp' | 'Udp';

/** A transport port. Prints itself as `tcp/443`, so errors and reports read well. */
export class Port {
  /** A TCP port. */
  static tcp(port: number): Port {
    return new Port('Tcp', port);
  }
  /** A UDP port. */
  static udp(port: number): Port {
    return new Port('Udp', port);
  }
  /** A range of TCP ports, both ends included: the dynamic RPC ports 49152-65535. */
  static tcpRange(from: number, to: number): Port {
    return new Port('Tcp', from, to);
  }
  /** HTTPS: Web Service SDK, AD FS, the user portal and the mobile app web service. */
  static readonly HTTPS = Port.tcp(443);
  /** HTTP: the AD FS `/adfs/probe` health endpoint (HTTPS probes fail: AD FS needs SNI). */
  static readonly HTTP = Port.tcp(80);
  /** AD FS certificate authentication (Windows Server 2016+). */
  static readonly CERTIFICATE_AUTH = Port.tcp(49443);
  /** Remote Desktop. */
  static readonly RDP = Port.tcp(3389);
  /** The static RPC port of PhoneFactor.pfdata replication in Microsoft's HA design. */
  static readonly MFA_REPLICATION = Port.tcp(4443);
  /** Key Management Service: Windows activation. */
  static readonly KMS = Port.tcp(1688);

  private constructor(
    readonly protocol: Protocol,
    /** The port, or the first of a range. */
    readonly port: number,
    /** The last port of a range; undefined for one port. */
    readonly to?: number,
  ) {}

  /** As an NSG rule writes it: `443`, `49152-65535`. */
  get range(): string {
    return this.to === undefined ? String(this.port) : `${this.port}-${this.to}`;
  }

  toString(): string {
    return `${this.protocol.toLowerCase()}/${this.range}`;
  }
}

/** Where a flow comes from or goes to. */
export type Peer =
  | { readonly kind: 'tier'; readonly tier: TierName }
  | { readonly kind: 'serviceTag'; readonly tag: string }
  | { readonly kind: 'cidrs'; readonly label: string; readonly cidrs: readonly string[] };

/** The server tiers, each in its own subnet with its own NSG. */
export type TierName = 'mfa' | 'portal' | 'adfs' | 'wap' | 'nps';
/**
 * Every tier, in the order traffic meets them from the Internet inwards; the NPS servers (RADIUS, from migration
 * stage parallel on) last. Which tiers an environment deploys depends on its stage (constructs/migration-stages.ts).
 */
export const TIERS: readonly TierName[] = ['wap', 'adfs', 'portal', 'mfa', 'nps'];

/** True for the name of a tier (a VM's `tier` tag, as synthesized). */
export const isTierName = (value: unknown): value is TierName => (TIERS as readonly unknown[]).includes(value);

/** Constructors of peers. */
export const Peer = {
  /** Anything outside Azure's virtual networks (service tag `Internet`). */
  internet: (): Peer => ({ kind: 'serviceTag', tag: 'Internet' }),
  /** An Azure service tag such as `AzureLoadBalancer`. */
  serviceTag: (tag: string): Peer => ({ kind: 'serviceTag', tag }),
  /** The subnet of a tier. */
  tier: (tier: TierName): Peer => ({ kind: 'tier', tier }),
  /** Named address ranges, such as the RADIUS clients or the admin networks. */
  cidrs: (label: string, cidrs: readonly string[]): Peer => ({ kind: 'cidrs', label, cidrs }),
};

/** A human name of a peer, for reports and diagrams. */
export function peerLabel(peer: Peer): string {
  switch (peer.kind) {
    case 'tier':
      return peer.tier;
    case 'serviceTag':
      return peer.tag;
    case 'cidrs':
      return peer.label;
  }
}

/** How a load balancer keeps a client on a backend. */
export class SessionPersistence {
  /** 5-tuple hash: stateless, any request may reach any server. */
  static readonly NONE = new SessionPersistence('Default');
  /** Client IP affinity (sticky sessions). */
  static readonly CLIENT_IP = new SessionPersistence('SourceIP');

  private constructor(
    /** The azurerm `load_distribution` value. */
    readonly loadDistribution: 'Default' | 'SourceIP',
  ) {}
}
