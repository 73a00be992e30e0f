import { ADFS_PROBE } from './adfs-farm';
import { DNS_PORTS, DOMAIN_MEMBER_PORTS, DOMAIN_MEMBER_TIERS } from './directory-dependencies';
import { mfaProbes } from './mfa-app-tier';
import { NPS_PROBE } from './nps-tier';
import { destinationOf, PLATFORM_DEPENDENCIES, PlatformOptions } from './platform-dependencies';
import { PORTAL_PROBE } from './portal-tier';
import { Peer, peerLabel, Port, TierName, TIERS } from './values';

/**
 * One allowed flow: who may open connections to whom, on which ports, and why.
 * Each flow becomes an NSG rule on the subnet that receives it and one on the subnet it leaves from. Nothing else
 * is allowed in, and nothing else out: each NSG ends by denying the rest of the virtual network and the Internet.
 */
export interface Flow {
  /** Stable name: the NSG rule name and construct id. Renaming it replaces the rule. */
  readonly name: string;
  readonly from: Peer;
  readonly to: Peer;
  /** Ports, all of one protocol. */
  readonly ports: readonly Port[];
  /** NSG priority, fixed per flow so that turning a feature on never renumbers other rules. */
  readonly priority: number;
  /** The reason, in full: the flow report, the README and the diagram. */
  readonly why: string;
  /**
   * The reason in the NSG rule's description, where Azure allows 140 characters for the whole text.
   * @default why
   */
  readonly brief?: string;
}

/** What the table needs to know about an environment. */
export interface FlowOptions {
  readonly replicationPort: number;
  readonly certificateAuthenticationEnabled: boolean;
  /** RADIUS ports and client ranges; undefined when RADIUS is off. */
  readonly radius?: { readonly ports: readonly number[]; readonly clientCidrs: readonly string[] };
  /**
   * RADIUS to the NPS servers (from migration stage parallel on): their ports, and every client range that reaches
   * them, directly or (from stage entra) through the mfaapp address.
   */
  readonly npsRadius?: { readonly ports: readonly number[]; readonly clientCidrs: readonly string[] };
  readonly managementCidrs: readonly string[];
  /**
   * Intranet client ranges outside the virtual network that sign in at the AD FS load balancer directly (the internal
   * DNS record of the federation service points them there). @default none: sign-in from the intranet is not offered
   */
  readonly intranetClientCidrs?: readonly string[];
  /** The domain controllers, the virtual network's DNS servers: what every server resolves names with and joins. */
  readonly domainControllers: readonly string[];
  /** AzureBastionSubnet's range, when a Bastion host is deployed. */
  readonly bastionCidr?: string;
  /** Where the MFA servers reach the Azure MFA service; empty means the Internet. */
  readonly mfaServiceCidrs: readonly string[];
  /**
   * The proxies publish the user portal and the mobile app web service (wap.publishMfaPortalEnabled, until the
   * migration unpublishes them): only then do they reach the portal servers. @default true
   */
  readonly portalPublished?: boolean;
  /** The proxies run the renewal task (adfs.farm): they ask each other for their probe and their certificates. */
  readonly proxyRenewalEnabled?: boolean;
  /** Where the NPS servers reach Microsoft Entra ID and the MFA service (NPS_EXTENSION_ENDPOINTS); empty or omitted means the Internet. */
  readonly npsServiceCidrs?: readonly string[];
  /**
   * AD FS offers Microsoft Entra MFA (from migration stage parallel on: constructs/migration-stages.ts), whose adapter
   * calls Microsoft Entra ID over TCP 443. @default false
   */
  readonly adfsEntraMfa?: boolean;
  /** What decides the platform dependencies of each tier (activation, updates, Key Vault, monitoring). */
  readonly platform: PlatformOptions;
}

/**
 * What AD FS's built-in Microsoft Entra MFA adapter calls over TCP 443: "Outbound 443 to
 * https://adnotifications.windowsazure.com and https://login.microsoftonline.com" ("Configure Azure MFA as
 * authentication provider with AD FS", prerequisites,
 * https://learn.microsoft.com/windows-server/identity/ad-fs/operations/configure-ad-fs-and-azure-mfa). FQDNs, no
 * service tag: the flow goes to the Internet, and the hub firewall filters by these names (docs/egress.md).
 */
export const ADFS_ENTRA_MFA_ENDPOINTS: readonly string[] = ['login.microsoftonline.com', 'adnotifications.windowsazure.com'];

/**
 * What the NPS extension for Microsoft Entra MFA calls, over TCP 443, for every RADIUS sign-in: "The NPS server must
 * be able to communicate with the following URLs over TCP port 443" ("Integrate your existing Network Policy Server
 * (NPS) infrastructure with Microsoft Entra multifactor authentication", network requirements,
 * https://learn.microsoft.com/entra/identity/authentication/howto-mfa-nps-extension). The page names FQDNs and no
 * service tag; like the MFA servers' cloud service, the flow goes to the Internet unless `nps.serviceEgressCidrs`
 * narrows it, and the hub firewall filters by these names (docs/egress.md).
 */
export const NPS_EXTENSION_ENDPOINTS: readonly string[] = [
  'login.microsoftonline.com',
  'credentials.azure.com',
  'strongauthenticationservice.auth.microsoft.com',
  'adnotifications.windowsazure.com',
];

/** The flows that admit intranet clients to the AD FS subnet, by port: the failure model reads the first to know the journey is offered. */
export const INTRANET_FLOWS = { https: 'allow-intranet-to-adfs-https', certificateAuth: 'allow-intranet-to-adfs-cert-auth' } as const;

/** Priority of the final deny rules: the last one a custom rule may take. */
export const DENY_PRIORITY = 4096;

/**
 * Priority kept free in every NSG for a fault that blocks egress (the Chaos Studio experiments, or an operator's
 * emergency rule): it must come before every flow that leaves the virtual network, and Chaos Studio's NSG fault
 * "fails if another rule already exists on the NSG with the same priority" (Chaos Studio fault library, Network
 * security group (set rules), https://learn.microsoft.com/azure/chaos-studio/chaos-studio-fault-library).
 */
export const FAULT_INJECTION_PRIORITY = 101;

/** Health-probe ports of each tier: the ports of its load balancer's probes. */
export function probePorts(options: FlowOptions): Record<TierName, Port[]> {
  return {
    mfa: mfaProbes(options.replicationPort).map((p) => p.port),
    portal: [PORTAL_PROBE.port],
    adfs: [ADFS_PROBE.port],
    wap: [ADFS_PROBE.port],
    nps: [NPS_PROBE.port],
  };
}

/**
 * THE table of allowed flows of Microsoft's MFA Server HA design.
 * Tests, the NSGs, the flow report and the diagram all read it.
 */
export function allowedFlows(options: FlowOptions): Flow[] {
  const tier = Peer.tier;
  const probes = probePorts(options);
  const deployed = options.platform.tiers;
  const has = (t: TierName) => deployed.includes(t);
  const intranet = options.intranetClientCidrs ?? [];
  const flows: (Flow & { readonly when?: boolean })[] = [
    // A Standard load balancer probes from 168.63.129.16; the final deny-all would block it.
    ...deployed.map((t) => ({
      name: `allow-lb-probe-to-${t}`,
      priority: 100,
      from: Peer.serviceTag('AzureLoadBalancer'),
      to: tier(t),
      ports: probes[t],
      why: `health probes of the ${t} load balancer`,
    })),
    {
      name: 'allow-internet-to-wap-https',
      priority: 110,
      from: Peer.internet(),
      to: tier('wap'),
      ports: [Port.HTTPS],
      why: 'users reach AD FS, the user portal and the mobile app web service through WAP',
    },
    {
      name: 'allow-internet-to-wap-cert-auth',
      priority: 111,
      from: Peer.internet(),
      to: tier('wap'),
      ports: [Port.CERTIFICATE_AUTH],
      why: 'AD FS certificate authentication through WAP',
      when: options.certificateAuthenticationEnabled,
    },
    { name: 'allow-wap-to-adfs-https', priority: 120, from: tier('wap'), to: tier('adfs'), ports: [Port.HTTPS], why: 'WAP proxies AD FS' },
    {
      name: 'allow-wap-to-adfs-cert-auth',
      priority: 121,
      from: tier('wap'),
      to: tier('adfs'),
      ports: [Port.CERTIFICATE_AUTH],
      why: 'WAP proxies AD FS certificate authentication',
      when: options.certificateAuthenticationEnabled,
    },
    // "Deploy AD FS in Azure": the internal DNS record of the federation service points intranet users at the AD FS
    // internal load balancer (https://learn.microsoft.com/windows-server/identity/ad-fs/deployment/how-to-connect-fed-azure-adfs).
    // One flow per port, so that switching certificate authentication adds or removes its own rule only.
    {
      name: INTRANET_FLOWS.https,
      priority: 122,
      from: Peer.cidrs('intranet', intranet),
      to: tier('adfs'),
      ports: [Port.HTTPS],
      why: 'users inside sign in at the AD FS load balancer, where the internal DNS record of the federation service points them (split-brain DNS)',
      brief: 'intranet users sign in at the AD FS load balancer (internal DNS record of the federation service)',
      when: intranet.length > 0,
    },
    {
      name: INTRANET_FLOWS.certificateAuth,
      priority: 123,
      from: Peer.cidrs('intranet', intranet),
      to: tier('adfs'),
      ports: [Port.CERTIFICATE_AUTH],
      why: 'AD FS certificate authentication of users inside, at the AD FS load balancer',
      when: intranet.length > 0 && options.certificateAuthenticationEnabled,
    },
    {
      name: 'allow-wap-to-portal-https',
      priority: 130,
      from: tier('wap'),
      to: tier('portal'),
      ports: [Port.HTTPS],
      why: 'WAP publishes the user portal and the mobile app web service from the perimeter network',
      when: options.portalPublished !== false,
    },
    {
      name: 'allow-adfs-to-mfa-sdk',
      priority: 140,
      from: tier('adfs'),
      to: tier('mfa'),
      ports: [Port.HTTPS],
      why: 'the AD FS adapter calls the Web Service SDK through mfaapp',
    },
    {
      name: 'allow-portal-to-mfa-sdk',
      priority: 150,
      from: tier('portal'),
      to: tier('mfa'),
      ports: [Port.HTTPS],
      why: 'the user portal and mobile app web service call the Web Service SDK through mfaapp',
    },
    {
      name: 'allow-mfa-replication',
      priority: 160,
      from: tier('mfa'),
      to: tier('mfa'),
      ports: [Port.tcp(options.replicationPort)],
      why: 'subordinates replicate PhoneFactor.pfdata from the master over the static RPC port',
    },
    {
      name: 'allow-wap-peers',
      priority: 166,
      from: tier('wap'),
      to: tier('wap'),
      ports: [Port.HTTP, Port.HTTPS],
      why: 'before a renewal restarts a proxy it asks the others for their /adfs/probe (HTTP), and before the farm moves a published application it reads over TLS which certificate each proxy holds',
      brief: 'proxies check their peers probe and certificates before a renewal',
      when: options.proxyRenewalEnabled === true,
    },
    {
      name: 'allow-adfs-farm-sync',
      priority: 165,
      from: tier('adfs'),
      to: tier('adfs'),
      ports: [Port.HTTP],
      why: 'secondary AD FS servers of a WID farm pull the configuration from the primary over HTTP',
    },
    {
      name: 'allow-radius-clients-to-nps',
      priority: 175,
      from: Peer.cidrs('radius-clients', options.npsRadius?.clientCidrs ?? []),
      to: tier('nps'),
      ports: (options.npsRadius?.ports ?? []).map(Port.udp),
      why: 'RADIUS clients authenticate through the NPS servers and the NPS extension for Microsoft Entra MFA',
      when: options.npsRadius !== undefined,
    },
    {
      name: 'allow-radius-clients-to-mfa',
      priority: 170,
      from: Peer.cidrs('radius-clients', options.radius?.clientCidrs ?? []),
      to: tier('mfa'),
      ports: (options.radius?.ports ?? []).map(Port.udp),
      why: 'RADIUS clients authenticate through the load-balanced MFA servers',
      when: options.radius !== undefined,
    },
    ...deployed.map((t) => ({
      name: `allow-management-rdp-to-${t}`,
      priority: 200,
      from: Peer.cidrs('management', options.managementCidrs),
      to: tier(t),
      ports: [Port.RDP],
      why: 'administration from the admin networks',
      when: options.managementCidrs.length > 0,
    })),
    ...deployed.map((t) => ({
      name: `allow-bastion-rdp-to-${t}`,
      priority: 210,
      from: Peer.cidrs('bastion', options.bastionCidr ? [options.bastionCidr] : []),
      to: tier(t),
      ports: [Port.RDP],
      why: 'administration through Azure Bastion',
      when: options.bastionCidr !== undefined,
    })),
    // Name resolution and Active Directory, from each tier to the domain controllers (constructs/directory-dependencies.ts).
    ...deployed.flatMap((t) => {
      const member = DOMAIN_MEMBER_TIERS.includes(t);
      const ports = member ? DOMAIN_MEMBER_PORTS : DNS_PORTS;
      const why = member
        ? 'a domain member reaches its domain controllers: DNS, Kerberos, LDAP, global catalog, SMB, RPC, time'
        : "the proxies resolve names through the domain controllers, the VNet's DNS servers, and reach nothing else of them";
      const dcs = Peer.cidrs(
        'domain-controllers',
        options.domainControllers.map((a) => (a.includes('/') ? a : `${a}/32`)),
      );
      return [
        {
          name: `allow-${t}-to-domain-controllers-tcp`,
          priority: 400,
          from: tier(t),
          to: dcs,
          ports: [...ports.tcp],
          why,
          brief: member ? 'a domain member' : 'DNS only',
        },
        {
          name: `allow-${t}-to-domain-controllers-udp`,
          priority: 401,
          from: tier(t),
          to: dcs,
          ports: [...ports.udp],
          why,
          brief: member ? 'a domain member' : 'DNS only',
        },
      ];
    }),
    // After FAULT_INJECTION_PRIORITY: a rule that blocks egress must be able to come first (it was 100).
    {
      name: 'allow-mfa-to-mfa-service',
      priority: 104,
      from: tier('mfa'),
      to: options.mfaServiceCidrs.length > 0 ? Peer.cidrs('azure-mfa-service', options.mfaServiceCidrs) : Peer.internet(),
      ports: [Port.HTTPS],
      why: 'MFA servers call the Azure MFA cloud service (phonefactor.net) for every second factor',
    },
    {
      name: 'allow-nps-to-entra-mfa',
      priority: 105,
      from: tier('nps'),
      to: options.npsServiceCidrs?.length ? Peer.cidrs('entra-mfa-service', options.npsServiceCidrs) : Peer.internet(),
      ports: [Port.HTTPS],
      why: `the NPS extension calls Microsoft Entra ID and the MFA service for every RADIUS sign-in (${NPS_EXTENSION_ENDPOINTS.join(', ')})`,
      brief: 'the NPS extension calls Microsoft Entra ID and MFA for every RADIUS sign-in (FQDNs: docs/egress.md)',
    },
    {
      name: 'allow-adfs-to-entra-mfa',
      priority: 105,
      from: tier('adfs'),
      to: Peer.internet(),
      ports: [Port.HTTPS],
      why: `AD FS's Microsoft Entra MFA adapter calls Microsoft Entra ID for every second factor it sends there (${ADFS_ENTRA_MFA_ENDPOINTS.join(', ')})`,
      brief: "AD FS's Entra MFA adapter calls Microsoft Entra ID for each second factor (FQDNs: docs/egress.md)",
      when: options.adfsEntraMfa === true,
    },
    // What Windows and the Azure agents need on day one (constructs/platform-dependencies.ts).
    ...PLATFORM_DEPENDENCIES.flatMap((d) =>
      d.tiers(options.platform).map((t) => ({
        name: `allow-${t}-to-${d.key}`,
        priority: d.priority,
        from: tier(t),
        to: destinationOf(d, options.platform),
        ports: d.ports,
        why: d.why,
        brief: d.brief,
      })),
    ),
  ];
  // A flow between tiers exists only while both are deployed (constructs/migration-stages.ts).
  const present = (p: Peer) => p.kind !== 'tier' || has(p.tier);
  return flows.filter((f) => f.when !== false && present(f.from) && present(f.to)).map(({ when: _when, ...flow }) => flow);
}

/** The tiers with a flow to something outside the virtual network: each needs an egress path. */
export function tiersWithOutboundFlows(flows: readonly Flow[]): TierName[] {
  return TIERS.filter((t) => flows.some((f) => f.from.kind === 'tier' && f.from.tier === t && f.to.kind !== 'tier'));
}

/**
 * Longest description of an NSG rule, in bytes: azurerm 4.55.0 checks `description` against 0..140, as does
 * the ARM specification (data/azurerm-4.55.0-validation.json; test/provider-rules.test.ts keeps the two equal).
 */
export const NSG_DESCRIPTION_MAX_BYTES = 140;

/**
 * The description of a flow's NSG rule: `from -> to ports: reason`, with the flow's brief reason. Whatever a
 * configuration does to the labels or the ports, the text stays within NSG_DESCRIPTION_MAX_BYTES: a reason
 * that does not fit is cut at a word and ends with "...". The full reason stays in the flow table.
 */
export function ruleDescription(flow: Flow): string {
  const head = `${peerLabel(flow.from)} -> ${peerLabel(flow.to)} ${flow.ports.join(',')}: `;
  const reason = flow.brief ?? flow.why;
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  if (bytes(head + reason) <= NSG_DESCRIPTION_MAX_BYTES) return head + reason;
  const words = reason.split(' ');
  while (words.length > 0 && bytes(`${head}${words.join(' ')}...`) > NSG_DESCRIPTION_MAX_BYTES) words.pop();
  const text = `${head}${words.join(' ')}...`;
  // Only a head that alone is too long (very many ports) reaches here with no words left.
  return bytes(text) <= NSG_DESCRIPTION_MAX_BYTES
    ? text
    : `${Buffer.from(head)
        .subarray(0, NSG_DESCRIPTION_MAX_BYTES - 3)
        .toString('utf8')
        .replace(/\uFFFD$/, '')}...`;
}

/** An NSG security rule, ready to become an `azurerm_network_security_rule`. */
export interface RuleSpec {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly protocol: 'Tcp' | 'Udp' | '*';
  readonly sourcePrefixes: readonly string[];
  readonly destinationPrefixes: readonly string[];
  readonly destinationPorts: readonly string[];
  readonly description: string;
}

/** Priority of the outbound deny of the rest of the virtual network: just before the final deny of the Internet. */
export const DENY_VNET_OUTBOUND_PRIORITY = DENY_PRIORITY - 1;

/**
 * Renders the flows that concern one tier's NSG: flows into the tier (inbound), flows out of it (outbound: to other
 * tiers, to the domain controllers, out of the virtual network), then the final deny rules: everything else
 * inbound, the rest of the virtual network and the Internet outbound. A flow inside one tier (replication, the
 * farm's configuration sync) is both, and its outbound copy takes the name `<flow>-out`: names are unique per NSG.
 */
export function renderRules(tierName: TierName, flows: readonly Flow[], subnetCidrs: Readonly<Partial<Record<TierName, string>>>): RuleSpec[] {
  const prefixes = (peer: Peer): string[] => (peer.kind === 'tier' ? [subnetCidrs[peer.tier]!] : peer.kind === 'serviceTag' ? [peer.tag] : [...peer.cidrs]);
  const toRule = (flow: Flow, direction: 'Inbound' | 'Outbound'): RuleSpec => ({
    name: flow.name,
    priority: flow.priority,
    direction,
    access: 'Allow',
    protocol: flow.ports[0].protocol,
    sourcePrefixes: prefixes(flow.from),
    destinationPrefixes: prefixes(flow.to),
    destinationPorts: flow.ports.map((p) => p.range),
    description: ruleDescription(flow),
  });
  const isThisTier = (p: Peer) => p.kind === 'tier' && p.tier === tierName;
  const outbound = (f: Flow): RuleSpec => ({ ...toRule(f, 'Outbound'), name: isThisTier(f.to) ? `${f.name}-out` : f.name });
  const deny = (name: string, direction: 'Inbound' | 'Outbound', destination: string, why: string): RuleSpec => ({
    name,
    priority: DENY_PRIORITY,
    direction,
    access: 'Deny',
    protocol: '*',
    sourcePrefixes: ['*'],
    destinationPrefixes: [destination],
    destinationPorts: ['*'],
    description: why,
  });
  return [
    ...flows.filter((f) => isThisTier(f.to)).map((f) => toRule(f, 'Inbound')),
    ...flows.filter((f) => isThisTier(f.from)).map(outbound),
    deny('deny-all-inbound', 'Inbound', '*', 'everything not allowed above'),
    {
      ...deny('deny-virtual-network-outbound', 'Outbound', 'VirtualNetwork', 'no connection to the rest of the virtual network but the flows allowed above'),
      priority: DENY_VNET_OUTBOUND_PRIORITY,
    },
    deny('deny-internet-outbound', 'Outbound', 'Internet', 'no egress to the Internet but the flows allowed above'),
  ];
}
