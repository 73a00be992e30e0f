import { receiverNames } from '../../config/receivers';
import { refusalOf, resources, synthObject, validate, variant } from '../helpers';

/*
 * What Azure, Windows or Active Directory would refuse or break, refused at synth (issue 27, round 3): region and VM
 * size capabilities, images, the address plan, Active Directory and DNS names, ports and alert receivers. For each
 * rule, a value just past it is refused with its one line, and one next to it is accepted.
 */

type Change = (c: any) => void;
type Base = 'dev' | 'prod';

const image = (sku: string, version = 'latest', publisher = 'MicrosoftWindowsServer', offer = 'WindowsServer') => ({ publisher, offer, sku, version });

/** Moves dev's virtual network to `space` (a /22): its four subnets become the space's first four /27s. */
const vnetAt =
  (space: string): Change =>
  (c) => {
    const [a, b, third] = space.split('.').map(Number);
    c.network.addressSpace = space;
    c.network.subnets = {
      mfa: `${a}.${b}.${third}.0/27`,
      portal: `${a}.${b}.${third}.32/27`,
      adfs: `${a}.${b}.${third}.64/27`,
      wap: `${a}.${b}.${third}.96/27`,
    };
  };

/** [rule, base, accepted next to it, refused past it, the refusal's line]. */
const limits: [string, Base, Change, Change, string][] = [
  // Region capabilities (config/azure-regions.json).
  [
    'zones: only in a region that has them',
    'dev',
    (c) => {
      c.location = 'northeurope';
      c.zones = ['1', '2'];
    },
    (c) => {
      c.location = 'northcentralus';
      c.zones = ['1', '2'];
    },
    'zones must be empty in northcentralus, a region without availability zones',
  ],
  [
    'zones: a region without them is accepted with availability sets',
    'dev',
    (c) => (c.location = 'northcentralus'),
    (c) => {
      c.location = 'westindia';
      c.zones = ['1', '2', '3'];
    },
    'zones must be empty in westindia, a region without availability zones',
  ],
  [
    'ZRS disks: where Azure offers them',
    'dev',
    (c) => {
      c.location = 'swedencentral';
      c.osDiskType = 'StandardSSD_ZRS';
    },
    (c) => {
      c.location = 'japanwest';
      c.osDiskType = 'StandardSSD_ZRS';
    },
    'osDiskType must be a locally redundant disk type in japanwest: Azure offers no zone-redundant managed disks there',
  ],
  [
    'ZRS disks: never in a region without zones',
    'prod',
    (c) => (c.location = 'uksouth'),
    (c) => {
      c.location = 'ukwest';
      c.zones = [];
    },
    'osDiskType must be a locally redundant disk type in ukwest: Azure offers no zone-redundant managed disks there (did you mean "Premium_LRS"?), got "Premium_ZRS"',
  ],
  [
    'sovereign clouds: Azure Government',
    'dev',
    (c) => (c.location = 'westus3'),
    (c) => (c.location = 'usgovvirginia'),
    "location must be a region of Azure's public cloud: usgovvirginia is in Azure Government, whose endpoints (*.vault.usgovcloudapi.net, azkms.core.usgovcloudapi.net, login.microsoftonline.us) the toolkit does not use",
  ],
  [
    'sovereign clouds: Azure in China',
    'dev',
    (c) => (c.location = 'eastasia'),
    (c) => (c.location = 'chinanorth3'),
    "location must be a region of Azure's public cloud: chinanorth3 is in Azure operated by 21Vianet",
  ],
  // VM size capabilities (config/vm-sizes.ts).
  [
    'Arm64 sizes: Windows Server runs on x64',
    'dev',
    (c) => (c.mfa.vmSize = 'Standard_D2s_v6'),
    (c) => (c.mfa.vmSize = 'Standard_D2ps_v6'),
    'mfa.vmSize must be an x64 size: Standard_D2ps_v6 is an Arm64 size ("p" in the name: an Arm CPU',
  ],
  [
    'Arm64 sizes: the hint drops the "p"',
    'dev',
    (c) => (c.wap.vmSize = 'Standard_B2ls_v2'),
    (c) => (c.wap.vmSize = 'Standard_B2pls_v2'),
    '(did you mean "Standard_B2ls_v2"?), got "Standard_B2pls_v2"',
  ],
  [
    'premium storage: the Ddv5 series',
    'prod',
    (c) => (c.portal.vmSize = 'Standard_D2ds_v5'),
    (c) => (c.portal.vmSize = 'Standard_D2d_v5'),
    'portal.vmSize must be premium-storage capable for osDiskType Premium_ZRS (an "s" size such as Standard_D2s_v5): the Ddv5-series does not support it',
  ],
  [
    'premium storage: the Ev5 series',
    'prod',
    (c) => (c.adfs.vmSize = 'Standard_E4s_v5'),
    (c) => (c.adfs.vmSize = 'Standard_E4_v5'),
    'adfs.vmSize must be premium-storage capable for osDiskType Premium_ZRS (an "s" size such as Standard_D2s_v5): the Ev5-series',
  ],
  [
    'premium storage: the Dav4 series',
    'dev',
    (c) => {
      c.osDiskType = 'Premium_LRS';
      c.mfa.vmSize = 'Standard_D2as_v4';
    },
    (c) => {
      c.osDiskType = 'Premium_LRS';
      c.mfa.vmSize = 'Standard_D2a_v4';
    },
    'the Dav4-series does not support it',
  ],
  // Images.
  [
    'image version: Major.Minor.Build',
    'dev',
    (c) => (c.mfa.image = image('2022-datacenter-azure-edition', '20348.2227.240104')),
    (c) => (c.mfa.image = image('2022-datacenter-azure-edition', '20348.2227')),
    'mfa.image.version must be "latest" or Major.Minor.Build (three decimal numbers, such as 20348.2227.240104), got "20348.2227"',
  ],
  [
    'image version: "latest", in any letter case',
    'dev',
    (c) => (c.image = image('2022-datacenter-azure-edition', 'Latest')),
    (c) => (c.image = image('2022-datacenter-azure-edition', 'lastest')),
    'image.version must be "latest" or Major.Minor.Build (three decimal numbers, such as 20348.2227.240104) (did you mean "latest"?), got "lastest"',
  ],
  [
    'image: a Windows Server OS on a server tier',
    'dev',
    (c) => (c.adfs.image = image('2022-datacenter-g2')),
    (c) => (c.adfs.image = image('win11-24h2-ent', 'latest', 'MicrosoftWindowsDesktop', 'windows-11')),
    'adfs.image.publisher must be MicrosoftWindowsServer: MicrosoftWindowsDesktop publishes Windows client images, and the tiers install Windows Server roles (AD FS, Web Application Proxy, IIS)',
  ],
  [
    'image: an OS Trusted Launch supports',
    'dev',
    (c) => (c.mfa.image = image('2016-datacenter-gensecond')),
    (c) => (c.mfa.image = image('2012-r2-datacenter-gensecond')),
    'mfa.image.sku must be Windows Server 2016 or later: every server boots with Trusted Launch, which supports no earlier Windows Server',
  ],
  // Address plan.
  [
    'VNet: not the platform address',
    'dev',
    vnetAt('168.63.132.0/22'),
    vnetAt('168.63.128.0/22'),
    'network.addressSpace must not overlap 168.63.129.16/32 (Azure\'s platform address: DNS, DHCP, health probes), which Azure refuses in a virtual network, got "168.63.128.0/22"',
  ],
  [
    'VNet: not link-local (the instance metadata service)',
    'dev',
    vnetAt('169.253.252.0/22'),
    vnetAt('169.254.168.0/22'),
    'network.addressSpace must not overlap 169.254.0.0/16 (link-local',
  ],
  ['VNet: not multicast', 'dev', vnetAt('223.255.248.0/22'), vnetAt('224.0.0.0/22'), 'network.addressSpace must not overlap 224.0.0.0/4 (multicast)'],
  ['VNet: not loopback', 'dev', vnetAt('128.0.0.0/22'), vnetAt('127.0.0.0/22'), 'network.addressSpace must not overlap 127.0.0.0/8 (loopback)'],
  [
    'VNet: not the broadcast address',
    'dev',
    vnetAt('255.255.248.0/22'),
    vnetAt('255.255.252.0/22'),
    'network.addressSpace must not overlap 255.255.255.255/32 (broadcast)',
  ],
  [
    "DNS servers: not on the servers' own addresses",
    'dev',
    (c) => (c.network.dnsServers = ['10.20.4.4']),
    (c) => (c.network.dnsServers = ['10.0.0.4', '10.20.0.4']),
    'network.dnsServers[1] must be a domain controller\'s address outside network.subnets.mfa (10.20.0.0/27), where the toolkit\'s servers and load balancer take their addresses, got "10.20.0.4"',
  ],
  [
    'DNS servers: not swallowed by the VNet',
    'dev',
    (c) => (c.network.dnsServers = ['10.20.4.4']),
    (c) => (c.network.dnsServers = ['10.20.3.255']),
    'network.dnsServers[0] must lie outside network.addressSpace 10.20.0.0/22: the domain controllers are not in this virtual network',
  ],
  [
    'DNS servers: not the platform address',
    'dev',
    (c) => (c.network.dnsServers = ['10.0.0.4']),
    (c) => (c.network.dnsServers = ['168.63.129.16']),
    "network.dnsServers[0] must be a domain controller's address, not Azure's platform address",
  ],
  [
    'DNS servers: not loopback',
    'dev',
    (c) => (c.network.dnsServers = ['10.0.0.4']),
    (c) => (c.network.dnsServers = ['127.0.0.1']),
    "network.dnsServers[0] must be a domain controller's address, not loopback",
  ],
  // Active Directory names.
  [
    'NetBIOS domain: 15 characters',
    'dev',
    (c) => (c.adfs.farm.adminCredential.username = `${'D'.repeat(15)}\\adfs-admin`),
    (c) => (c.adfs.farm.adminCredential.username = `${'D'.repeat(16)}\\adfs-admin`),
    'adfs.farm.adminCredential.username must name a NetBIOS domain of at most 15 characters before the \\ (did you mean "DEV\\adfs-admin", after domain.name?)',
  ],
  [
    'NetBIOS domain of the join account; a DNS domain name is accepted',
    'dev',
    (c) => (c.domain.joinUsername = 'dev.contoso.com\\svc-domainjoin'),
    (c) => (c.domain.joinUsername = 'DEVCONTOSOIDENTITY\\svc-domainjoin'),
    'domain.joinUsername must name a NetBIOS domain of at most 15 characters before the \\',
  ],
  [
    'sAMAccountName: 20 characters',
    'dev',
    (c) => (c.adfs.farm.adminCredential.username = `DEV\\${'a'.repeat(20)}`),
    (c) => (c.adfs.farm.adminCredential.username = `DEV\\${'a'.repeat(21)}`),
    'adfs.farm.adminCredential.username must have an account name (its sAMAccountName) of at most 20 characters',
  ],
  [
    'OU path: a distinguished name',
    'prod',
    (c) => (c.domain.ouPath = 'OU=MFA Servers,OU=Tier 0,DC=Contoso,DC=COM'),
    (c) => (c.domain.ouPath = 'contoso.com/Servers/MFA'),
    'domain.ouPath must be the distinguished name of an OU of domain.name contoso.com, such as OU=Servers,DC=contoso,DC=com, got "contoso.com/Servers/MFA"',
  ],
  [
    'OU path: in the domain joined',
    'prod',
    (c) => (c.domain.ouPath = 'CN=Computers,DC=contoso,DC=com'),
    (c) => (c.domain.ouPath = 'OU=MFA,OU=Servers,DC=fabrikam,DC=com'),
    'domain.ouPath must lie in the domain joined, domain.name contoso.com (DC=contoso,DC=com) (did you mean "OU=MFA,OU=Servers,DC=contoso,DC=com"?)',
  ],
  [
    'OU path: not the parent domain',
    'dev',
    (c) => (c.domain.ouPath = 'OU=MFA,DC=dev,DC=contoso,DC=com'),
    (c) => (c.domain.ouPath = 'OU=MFA,DC=contoso,DC=com'),
    'domain.ouPath must lie in the domain joined, domain.name dev.contoso.com',
  ],
  [
    'gMSA: named unlike the servers',
    'dev',
    (c) => (c.adfs.farm.groupManagedServiceAccount = 'DEV\\dev-adfs3$'),
    (c) => (c.adfs.farm.groupManagedServiceAccount = 'DEV\\DEV-ADFS1$'),
    "adfs.farm.groupManagedServiceAccount must be named unlike the toolkit's servers: dev-adfs1 is one of them",
  ],
  [
    'credentials: a password Key Vault can hold',
    'dev',
    (c) => (c.adfs.farm.adminCredential.username = 'DEV\\adfs-admin'),
    (c) => (c.adfs.farm.adminCredential.username = 'DEV\\gmsa-adfs$'),
    'adfs.farm.adminCredential.username must be a user account whose password adfs.farm.adminCredential.passwordSecret holds: an account name ending in $ is a managed service account or a computer, whose password Windows manages',
  ],
  [
    'credentials: the join account in user@domain form',
    'dev',
    (c) => (c.domain.joinUsername = 'svc$join@dev.contoso.com'),
    (c) => (c.domain.joinUsername = 'svc-join$@dev.contoso.com'),
    'domain.joinUsername must be a user account whose password domain.joinPasswordSecret holds',
  ],
  // DNS names.
  [
    "service names: not a server's own name",
    'dev',
    (c) => (c.dns.mfaApp = 'dev-mfa3.dev.contoso.com'),
    (c) => (c.dns.mfaApp = 'dev-mfa1.dev.contoso.com'),
    "dns.mfaApp must not be a server's own name: Windows registers dev-mfa1.dev.contoso.com (its computer name and domain.name) for the server dev-mfa1",
  ],
  [
    'service names: in any letter case',
    'dev',
    (c) => (c.dns.portal = 'dev-up1.contoso.com'),
    (c) => (c.dns.portal = 'DEV-UP2.Dev.Contoso.com'),
    "dns.portal must not be a server's own name: Windows registers dev-up2.dev.contoso.com",
  ],
  [
    'federation service: not the AD domain name',
    'prod',
    (c) => (c.dns.federationService = 'sts.contoso.com'),
    (c) => (c.dns.federationService = 'Contoso.com'),
    'dns.federationService must differ from domain.name contoso.com: every domain controller registers an A record for the domain name itself (did you mean "sts.contoso.com"?)',
  ],
  [
    'portal: not the AD domain name',
    'dev',
    (c) => (c.dns.portal = 'mfa.dev.contoso.com'),
    (c) => (c.dns.portal = 'dev.contoso.com'),
    'dns.portal must differ from domain.name dev.contoso.com',
  ],
  // Ports.
  [
    'replication port: not the RPC endpoint mapper',
    'prod',
    (c) => (c.mfa.replicationPort = 136),
    (c) => (c.mfa.replicationPort = 135),
    'mfa.replicationPort must differ from 135 (the RPC endpoint mapper',
  ],
  [
    'replication port: not SMB',
    'prod',
    (c) => (c.mfa.replicationPort = 446),
    (c) => (c.mfa.replicationPort = 445),
    'mfa.replicationPort must differ from 445 (SMB',
  ],
  [
    'replication port: not NetBIOS',
    'prod',
    (c) => (c.mfa.replicationPort = 140),
    (c) => (c.mfa.replicationPort = 139),
    'mfa.replicationPort must differ from 139 (NetBIOS',
  ],
  [
    'replication port: not WinRM',
    'prod',
    (c) => (c.mfa.replicationPort = 5987),
    (c) => (c.mfa.replicationPort = 5986),
    'mfa.replicationPort must differ from 5986 (WinRM over HTTPS',
  ],
  // Alert receivers.
  [
    "alert e-mails: 64 characters, Azure Monitor's limit",
    'prod',
    (c) => (c.monitoring.receivers.emails = [`${'x'.repeat(52)}@contoso.com`]),
    (c) => (c.monitoring.receivers.emails = [`${'x'.repeat(53)}@contoso.com`]),
    'monitoring.receivers.emails[0] must be at most 64 characters (Azure Monitor\'s limit for an e-mail address in an action group), got "65 characters"',
  ],
];

describe('what Azure, Windows or Active Directory would refuse (round 3)', () => {
  test.each(limits)('%s: accepted next to the limit, refused past it with one line', (_name, base, accepted, refused, line) => {
    expect(() => validate(variant(base, accepted))).not.toThrow();
    const message = refusalOf(variant(base, refused));
    expect(message).toMatch(/^environments\/test\.json: \S+ must /);
    expect(message).toContain(line);
    expect(message).not.toContain('\n');
  });

  test('a size whose page makes accelerated networking "Required" is accepted: Azure turns it on for such sizes whatever the NIC says', () => {
    // The shipped prod (Dsv5) and the default size (Standard_D2s_v5) are such sizes; their NICs leave it off.
    expect(() =>
      validate(
        variant('dev', (c) => {
          c.mfa.vmSize = 'Standard_D2_v5';
          delete c.portal.vmSize;
        }),
      ),
    ).not.toThrow();
    expect(() => validate(variant('prod'))).not.toThrow();
  });
});

describe('a rule that reads the domain name', () => {
  const cases: [string, Base, Change][] = [
    ['an OU path', 'prod', (c) => (c.domain.ouPath = 'OU=MFA,DC=fabrikam,DC=com')],
    ['a NetBIOS domain', 'dev', (c) => (c.adfs.farm.adminCredential.username = 'DEVCONTOSOIDENTITY\\adfs-admin')],
  ];
  test.each(cases)('says nothing of %s while domain.name itself is wrong: the stand-in domain never shows', (_name, base, change) => {
    const message = refusalOf(
      variant(base, (c) => {
        change(c);
        c.domain.name = 'contoso';
      }),
    );
    expect(message).toBe('environments/test.json: domain.name must be an AD DNS domain name such as contoso.com, got "contoso"');
  });
});

describe('alert receivers', () => {
  const distinctPairs: [string, string[]][] = [
    ['differing in punctuation', ['a.b@contoso.com', 'a_b@contoso.com', 'a-b@contoso.com', 'ab@contoso.com']],
    ['differing only past the 64th character of their derived names', [`${'x'.repeat(50)}@contoso.com`, `${'x'.repeat(50)}@contoso.co`]],
    ["one of which looks like the other's derived name", ['on.call@contoso.com', 'on-call@contoso.com']],
  ];

  test.each(distinctPairs)('distinct addresses %s are accepted, each with a receiver name of its own', (_name, emails) => {
    const env = validate(variant('prod', (c) => (c.monitoring.receivers.emails = emails)));
    const group = resources(synthObject(variant('prod', (c) => (c.monitoring.receivers.emails = emails))), 'azurerm_monitor_action_group')[0];
    const names = group.email_receiver.map((r: { name: string }) => r.name);
    expect(new Set(names).size).toBe(emails.length);
    expect(group.email_receiver.map((r: { email_address: string }) => r.email_address)).toEqual(env.monitoring.receivers.emails);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);
  });

  test('an address keeps its name whatever other addresses are added or removed, unless another one would share it', () => {
    const [alone] = receiverNames(['identity-oncall@contoso.com']);
    expect(alone).toBe('email-identity-oncall-contoso-com');
    expect(receiverNames(['a@contoso.com', 'identity-oncall@contoso.com'])[1]).toBe(alone);
    const clash = receiverNames(['identity.oncall@contoso.com', 'identity-oncall@contoso.com']);
    expect(clash[0]).not.toBe(clash[1]);
    expect(receiverNames(['identity-oncall@contoso.com', 'identity.oncall@contoso.com'])).toEqual([clash[1], clash[0]]);
  });
});
