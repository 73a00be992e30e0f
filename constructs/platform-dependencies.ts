import { Peer, Port, TierName } from './values';

/** A Microsoft page a dependency is grounded in. */
export interface Source {
  readonly title: string;
  readonly url: string;
}

/** What decides which tiers need a platform dependency. */
export interface PlatformOptions {
  /** The tiers the environment deploys (its migration stage decides: constructs/migration-stages.ts). */
  readonly tiers: readonly TierName[];
  /**
   * Tiers whose servers read Key Vault: with `certificates`, every tier (Key Vault VM extension); the NPS servers always
   * (their client certificates for Microsoft Entra MFA, and their RADIUS clients' shared secrets); the domain-joined
   * tiers when they read the join password at run time (domain.join "run-command").
   */
  readonly certificateTiers: readonly TierName[];
  /**
   * Where the CAs' revocation endpoints are: undefined for no revocation flow (no certificates, or
   * self-signed ones), empty for the Internet.
   */
  readonly revocationCheckCidrs?: readonly string[];
  /**
   * The Azure Monitor Agent runs on every server. It sends MFA Server's log files too, like the event logs, to
   * the workspace: a data collection endpoint (and its egress) is needed only with Azure Monitor Private Links.
   */
  readonly monitoringEnabled: boolean;
}

/** Something Azure or Windows needs from outside the virtual network on day one, and what it takes. */
export interface PlatformDependency {
  /** Stable key: part of the NSG rule name `allow-<tier>-to-<key>`. Renaming it replaces rules. */
  readonly key: string;
  /** The narrowest destination Azure offers: a service tag where one exists, documented addresses otherwise. */
  readonly to: Peer | ((options: PlatformOptions) => Peer);
  readonly ports: readonly Port[];
  /** NSG priority of the outbound rule, fixed per dependency. */
  readonly priority: number;
  /** Why, in full: the README's egress table and the flow report. */
  readonly why: string;
  /** Why, short enough for an NSG rule's description (constructs/traffic-flows.ts). @default why */
  readonly brief?: string;
  readonly sources: readonly Source[];
  /** When it applies, in words (the README's egress table). */
  readonly condition: string;
  /** The tiers that need it in an environment. */
  readonly tiers: (options: PlatformOptions) => readonly TierName[];
}

/** Azure's KMS hosts for Windows activation in the global cloud (azkms.core.windows.net, and the older kms.core.windows.net). */
export const AZURE_KMS_ADDRESSES: readonly string[] = ['20.118.99.224/32', '40.83.235.53/32', '23.102.135.246/32'];

const KMS_PAGE: Source = {
  title: 'Use Azure custom routes to enable KMS activation with forced tunneling',
  url: 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/custom-routes-enable-kms-activation',
};
const SERVICE_TAGS_PAGE: Source = { title: 'Virtual network service tags', url: 'https://learn.microsoft.com/azure/virtual-network/service-tags-overview' };
const KEY_VAULT_EXTENSION_PAGE: Source = {
  title: 'Key Vault virtual machine extension for Windows',
  url: 'https://learn.microsoft.com/azure/virtual-machines/extensions/key-vault-windows',
};
const AMA_NETWORK_PAGE: Source = {
  title: 'Azure Monitor Agent network configuration',
  url: 'https://learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-network-configuration',
};

/**
 * THE table of platform dependencies: the egress every server needs besides the design's own flows.
 * Each entry becomes one outbound flow per tier that needs it (constructs/traffic-flows.ts).
 */
export const PLATFORM_DEPENDENCIES: readonly PlatformDependency[] = [
  {
    key: 'azure-kms',
    to: Peer.cidrs('azure-kms', AZURE_KMS_ADDRESSES),
    ports: [Port.KMS],
    priority: 300,
    why: "Windows activation against Azure's KMS (azkms.core.windows.net; the VNet's DNS servers must resolve it)",
    sources: [
      KMS_PAGE,
      {
        title: 'Troubleshoot Windows VM activation error 0xC004F074',
        url: 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/windows-vm-activation-error-0xc004f074',
      },
    ],
    condition: 'always',
    tiers: (o) => o.tiers,
  },
  {
    key: 'windows-update',
    to: Peer.serviceTag('AzureUpdateDelivery'),
    ports: [Port.HTTPS],
    priority: 310,
    why: 'Windows Update metadata',
    sources: [SERVICE_TAGS_PAGE],
    condition: 'always',
    tiers: (o) => o.tiers,
  },
  {
    key: 'windows-update-download',
    to: Peer.serviceTag('AzureFrontDoor.FirstParty'),
    ports: [Port.HTTP],
    priority: 311,
    why: 'Windows Update downloads (AzureUpdateDelivery needs AzureFrontDoor.FirstParty on TCP 80)',
    sources: [SERVICE_TAGS_PAGE],
    condition: 'always',
    tiers: (o) => o.tiers,
  },
  {
    key: 'key-vault',
    to: Peer.serviceTag('AzureKeyVault'),
    ports: [Port.HTTPS],
    priority: 320,
    why: 'the Key Vault VM extension downloads the TLS certificates and their renewals (service endpoint: the vault sees the subnet)',
    brief: 'Key Vault VM extension fetches the TLS certificates and renewals (vault sees the subnet)',
    sources: [
      KEY_VAULT_EXTENSION_PAGE,
      { title: 'Configure Azure Key Vault networking settings', url: 'https://learn.microsoft.com/azure/key-vault/general/network-security' },
    ],
    condition:
      'with certificates; the NPS servers always (their client certificates, and the RADIUS shared secrets they read at run time); the domain-joined tiers with `domain.join` "run-command" (the join password, read at run time)',
    tiers: (o) => o.certificateTiers,
  },
  {
    key: 'certificate-revocation',
    to: (o) => (o.revocationCheckCidrs?.length ? Peer.cidrs('certificate-revocation', o.revocationCheckCidrs) : Peer.internet()),
    ports: [Port.HTTP],
    priority: 330,
    why: "CRL and OCSP checks of the CA-issued TLS certificates (AD FS does not work when a certificate's CRL is unreachable)",
    brief: 'CRL and OCSP checks of the CA-issued TLS certificates (AD FS fails on an unreachable CRL)',
    sources: [
      { title: 'AD FS troubleshooting: certificates', url: 'https://learn.microsoft.com/windows-server/identity/ad-fs/troubleshooting/ad-fs-tshoot-certs' },
    ],
    condition: 'with CA-issued certificates (not self-signed); `certificates.revocationCheckCidrs` narrows it',
    // The tiers that validate CA-issued TLS certificates: not the MFA servers, nor the NPS servers (no TLS endpoint).
    tiers: (o) => (o.revocationCheckCidrs === undefined ? [] : o.certificateTiers.filter((t) => t !== 'mfa' && t !== 'nps')),
  },
  {
    key: 'azure-monitor',
    to: Peer.serviceTag('AzureMonitor'),
    ports: [Port.HTTPS],
    priority: 340,
    why: 'the Azure Monitor Agent sends logs and reads its data collection rules',
    sources: [AMA_NETWORK_PAGE],
    condition: 'with monitoring',
    tiers: (o) => (o.monitoringEnabled ? o.tiers : []),
  },
  {
    key: 'azure-resource-manager',
    to: Peer.serviceTag('AzureResourceManager'),
    ports: [Port.HTTPS],
    priority: 341,
    why: 'the Azure Monitor Agent needs Azure Resource Manager too (both tags are required)',
    sources: [AMA_NETWORK_PAGE],
    condition: 'with monitoring',
    tiers: (o) => (o.monitoringEnabled ? o.tiers : []),
  },
];

/** What the platform needs that takes no NSG rule, and why: the rest of the README's egress table. */
export const NO_RULE_NEEDED: readonly {
  readonly what: string;
  readonly why: string;
  /** The switch it comes with; none: always. */
  readonly onlyWith?: 'maintenance';
  readonly sources: readonly Source[];
}[] = [
  {
    what: 'VM agent and extension packages (168.63.129.16, TCP 80 and 32526)',
    why: "the host's WireServer, not subject to NSGs or routes; a supported agent fetches extensions through it",
    sources: [
      { title: 'What is IP address 168.63.129.16?', url: 'https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16' },
      {
        title: 'Azure virtual machine extensions and features for Windows',
        url: 'https://learn.microsoft.com/azure/virtual-machines/extensions/features-windows',
      },
    ],
  },
  {
    what: 'Managed identity tokens (IMDS, 169.254.169.254)',
    why: 'the Key Vault extension and the Azure Monitor Agent get their tokens from the instance metadata service, exempt from NSGs',
    sources: [
      {
        title: 'Network security groups: Azure platform considerations',
        url: 'https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#azure-platform-considerations',
      },
    ],
  },
  {
    what: 'Azure Update Manager (patching in rings)',
    onlyWith: 'maintenance',
    why: "the VM agent installs Update Manager's extension (Microsoft.CPlat.Core.WindowsPatchExtension) through the WireServer, and the extension installs from Windows Update through the Windows Update flows above",
    sources: [{ title: 'How Update Manager works', url: 'https://learn.microsoft.com/azure/update-manager/workflow-update-manager' }],
  },
  {
    what: 'Azure Backup of the MFA and AD FS servers',
    why: 'no explicit outbound access is required for an Azure VM to communicate with Azure Backup; only certain older VMs fail with ExtensionSnapshotFailedNoNetwork, and then need a rule to the AzureBackup tag',
    sources: [
      {
        title: 'Back up Azure VMs in a Recovery Services vault: establish network connectivity',
        url: 'https://learn.microsoft.com/azure/backup/backup-azure-arm-vms-prepare#establish-network-connectivity',
      },
      { title: 'Private endpoints for Azure Backup: overview', url: 'https://learn.microsoft.com/azure/backup/private-endpoints-overview' },
    ],
  },
];

/** The destination of a dependency in an environment. */
export const destinationOf = (dependency: PlatformDependency, options: PlatformOptions): Peer =>
  typeof dependency.to === 'function' ? dependency.to(options) : dependency.to;
