import type { Stage } from '../../constructs/migration-stages';
import type { TierName } from '../../constructs/values';

/*
 * THE table of user journeys: what a person (or the platform) does with the design, as the chain of hops it needs.
 * Declared once, read by the analysis (analysis.ts), `npm run failures`, the docs, the promise tests and the
 * predictions of the Chaos Studio experiments. A hop names a service by the load balancer rule that carries it, as
 * the synthesized stack names it, so the analysis follows what would be deployed: where the stage sends RADIUS to
 * the NPS servers, the `radius-auth` rule of the mfaapp address has the NPS servers in its pool, and the journey
 * goes there. Sources: Microsoft's "Configure Azure Multi-Factor Authentication Server for high availability"
 * (https://learn.microsoft.com/entra/identity/authentication/howto-mfaserver-deploy-ha) for the hops of MFA Server.
 */

/** Where the first packet of a journey comes from. */
export type Source =
  /** Anyone on the Internet. */
  | 'internet'
  /**
   * Clients on the internal network: the ranges outside the virtual network that the first hop's NSG admits on the
   * hop's port. None admitted: nobody of the intranet gets through.
   */
  | 'intranet'
  /** The RADIUS clients: the ranges outside the virtual network the NSG of the rule's servers admits on its port. */
  | 'radius-clients';

/** Something outside the virtual network a tier reaches through its egress path. */
export type Destination = 'azure-mfa-service' | 'entra-mfa' | 'windows-update' | 'key-vault' | 'azure-monitor';

/** One hop of a journey. */
export type Hop =
  /**
   * Through a load-balancing rule to its pool: the rule `rule` of the load balancer in front of tier `tier`. From
   * `from`, or from the servers of the previous hop. `sticky`: the hop needs clients kept on one server. `role`: every
   * server the rule reaches must have this role (replication goes to the master alone).
   */
  | { readonly kind: 'service'; readonly tier: TierName; readonly rule: string; readonly from?: Source; readonly sticky?: string; readonly role?: string }
  /** The servers of the previous hop (or of `tiers`) reach a destination outside the virtual network. */
  | { readonly kind: 'egress'; readonly destination: Destination; readonly tiers?: readonly TierName[] }
  /** The second factor of whatever the previous hop's servers are: MFA Server's Web Service SDK, or Microsoft Entra MFA. */
  | { readonly kind: 'second-factor' }
  /** The one server holding a role: the MFA master, or the WID primary of the AD FS farm. */
  | { readonly kind: 'role'; readonly role: 'master' | 'wid-primary'; readonly why: string }
  /** Every server of the patching rings reaches Windows Update. */
  | { readonly kind: 'rings' };

/** A journey of the table. */
export interface JourneySpec {
  readonly key: string;
  readonly title: string;
  /** Its column heading in the failure table. */
  readonly short: string;
  /** Why it matters, and what Microsoft says of it. */
  readonly why: string;
  readonly hops: readonly Hop[];
  /** One journey per server of this role (replication from each subordinate). */
  readonly each?: 'subordinate';
  /** One journey per load balancer that has a rule of this name (RADIUS through each address that answers it). */
  readonly eachRule?: string;
  /** Whether the environment offers the journey at all, at its stage and as synthesized. @default always */
  readonly offered?: (stage: Stage, deployed: { readonly portalPublished: boolean; readonly intranetClientsAdmitted: boolean }) => boolean;
  /** What the tools say of the journey where it is not offered, when a user may expect it. */
  readonly notOffered?: string;
  /** The journey authenticates a user: the promise is that it keeps serving whatever single server fails. */
  readonly authentication: boolean;
}

/** What AD FS's sign-in goes on to, at a stage: MFA Server through the Web Service SDK, or Microsoft Entra MFA. */
export const adfsSecondFactor = (stage: Stage): 'mfa-server' | 'entra-mfa' => (stage.mfaServerAdapter ? 'mfa-server' : 'entra-mfa');

/** THE journeys. */
export const JOURNEYS: readonly JourneySpec[] = [
  {
    key: 'internet-sign-in',
    short: 'internet',
    title: 'sign-in from the Internet',
    authentication: true,
    why: 'a user outside signs in: the proxies publish AD FS, whose MFA adapter calls the Web Service SDK on the MFA servers, which call the Azure MFA service',
    hops: [{ kind: 'service', tier: 'wap', rule: 'https', from: 'internet' }, { kind: 'service', tier: 'adfs', rule: 'https' }, { kind: 'second-factor' }],
  },
  {
    key: 'migrated-sign-in',
    short: 'migrated',
    title: 'sign-in of a migrated user (Microsoft Entra MFA)',
    authentication: true,
    offered: (stage) => stage.entraMfaFor === 'groups',
    why: 'at stage parallel, AD FS sends the migration groups to Microsoft Entra MFA, its built-in adapter, which calls Microsoft Entra ID over TCP 443',
    hops: [
      { kind: 'service', tier: 'wap', rule: 'https', from: 'internet' },
      { kind: 'service', tier: 'adfs', rule: 'https' },
      { kind: 'egress', destination: 'entra-mfa' },
    ],
  },
  {
    key: 'intranet-sign-in',
    short: 'intranet',
    title: 'sign-in from the intranet',
    authentication: true,
    // Offered where the AD FS subnet admits intranet ranges (adfs.intranetClientCidrs); the analysis then checks the
    // NSG admits them on each port the hops use.
    offered: (_stage, deployed) => deployed.intranetClientsAdmitted,
    notOffered:
      'no NSG rule admits intranet clients to the AD FS load balancer (adfs.intranetClientCidrs is empty), while the internal DNS record the proxies need sends intranet users there: they cannot sign in until their ranges are given',
    why: 'a user inside signs in: the federation service name resolves to the AD FS load balancer (split-brain DNS), no proxy on the way',
    hops: [{ kind: 'service', tier: 'adfs', rule: 'https', from: 'intranet' }, { kind: 'second-factor' }],
  },
  {
    key: 'certificate-auth',
    short: 'cert-auth',
    title: 'certificate authentication (TCP 49443)',
    authentication: true,
    why: 'AD FS certificate authentication, published by the proxies on TCP 49443',
    hops: [
      { kind: 'service', tier: 'wap', rule: 'certificate-auth', from: 'internet' },
      { kind: 'service', tier: 'adfs', rule: 'certificate-auth' },
    ],
  },
  {
    key: 'radius',
    short: 'radius',
    title: 'RADIUS authentication',
    authentication: true,
    eachRule: 'radius-auth',
    why: 'a RADIUS client (VPN, gateway) authenticates through whichever servers the address it uses sends RADIUS to: the MFA servers, or the NPS servers and their extension',
    hops: [{ kind: 'service', tier: 'mfa', rule: 'radius-auth', from: 'radius-clients' }, { kind: 'second-factor' }],
  },
  {
    key: 'portal',
    short: 'portal',
    title: 'user portal and mobile app web service',
    authentication: false,
    // Published by the proxies' publishing Run Command (wap.publishMfaPortalEnabled, until the stage unpublishes it).
    offered: (_stage, deployed) => deployed.portalPublished,
    why: 'users enrol and change their methods, the Authenticator app activates: through the proxies to the portal servers, which call the Web Service SDK; Microsoft: the portal and the mobile app web service need sticky sessions',
    hops: [
      { kind: 'service', tier: 'wap', rule: 'https', from: 'internet' },
      { kind: 'service', tier: 'portal', rule: 'https', sticky: 'the HA design requires sticky sessions for the user portal and the mobile app web service' },
      { kind: 'service', tier: 'mfa', rule: 'web-service-sdk' },
      { kind: 'egress', destination: 'azure-mfa-service' },
    ],
  },
  {
    key: 'admin-change',
    short: 'admin',
    title: 'administrative change (users, settings, PINs)',
    authentication: false,
    why: 'an administrator adds a user or changes a setting: only the master writes PhoneFactor.pfdata',
    hops: [{ kind: 'role', role: 'master', why: 'Microsoft: if the master goes offline, authentications keep working, but changes to the MFA database stop' }],
  },
  {
    key: 'replication',
    short: 'repl',
    title: 'replication',
    authentication: false,
    each: 'subordinate',
    why: 'a subordinate replicates PhoneFactor.pfdata with the master over the static RPC port, through the mfaapp address, whose replication rule reaches the master alone',
    hops: [{ kind: 'service', tier: 'mfa', rule: 'replication', role: 'master' }],
  },
  {
    key: 'certificate-renewal',
    short: 'renewal',
    title: 'certificate renewal',
    authentication: false,
    why: 'a renewed TLS certificate reaches every server through the Key Vault VM extension, and the renewal task moves AD FS and the proxies to it through the WID primary (the only server of a WID farm whose configuration is writable)',
    hops: [
      { kind: 'egress', destination: 'key-vault' },
      { kind: 'role', role: 'wid-primary', why: 'AD FS writes its configuration only on the primary of a WID farm' },
    ],
  },
  {
    key: 'patch-ring',
    short: 'patching',
    title: "a patch ring's run",
    authentication: false,
    why: 'Azure Update Manager patches a ring: its servers reach Windows Update through their egress path',
    hops: [{ kind: 'rings' }],
  },
];
