import { prodAtStage } from './fixtures';
import { configErrorOf, refusalOf } from '../helpers';

/*
 * The rules every tier of servers gets apply to the NPS servers too (address plan, VM size, image, computer names,
 * patching), and the NPS tier's own: where its client certificates are kept, and the ports NPS listens on.
 * For each, a value past the rule is refused with its one line, and the shipped stage fixture is accepted.
 */

type Change = (c: any) => void;
const image = (sku: string, version = 'latest') => ({ publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku, version });

/** [rule, change, the refusal's line]. */
const refusals: [string, Change, string][] = [
  [
    'the subnet holds the servers and the frontend',
    (c) => {
      c.network.subnets.nps = '10.30.1.64/29';
      c.nps.count = 3;
    },
    'network.subnets.nps must hold nps.count (3) servers and the load-balancer frontend after the 5 addresses Azure reserves: /28 or larger, got "10.30.1.64/29"',
  ],
  [
    "the frontend stays out of the servers' dynamic addresses",
    (c) => (c.nps.frontendIp = '10.30.1.68'),
    'nps.frontendIp must lie outside 10.30.1.68-10.30.1.69, where Azure hands out the 2 servers\' dynamic addresses (lowest free first): use one from 10.30.1.70 to 10.30.1.126, got "10.30.1.68"',
  ],
  ['an x64 size', (c) => (c.nps.vmSize = 'Standard_D2ps_v6'), 'nps.vmSize must be an x64 size: Standard_D2ps_v6 is an Arm64 size'],
  [
    'a size with premium storage for Premium_ZRS disks',
    (c) => (c.nps.vmSize = 'Standard_D2d_v5'),
    'nps.vmSize must be premium-storage capable for osDiskType Premium_ZRS',
  ],
  ['a Generation 2 image', (c) => (c.nps.image = image('2022-datacenter')), 'nps.image.sku must be a Generation 2 SKU'],
  ['an image version Azure takes', (c) => (c.nps.image = image('2022-datacenter-g2', '1.2')), 'nps.image.version must be "latest" or Major.Minor.Build'],
  [
    'a hotpatch image only with patching in rings',
    (c) => {
      c.nps.image = image('2022-datacenter-azure-edition-hotpatch');
      delete c.maintenance;
    },
    'maintenance must be enabled with the hotpatch image 2022-datacenter-azure-edition-hotpatch on the nps tier',
  ],
  [
    'a gMSA is not named like an NPS server',
    (c) => (c.adfs.farm.groupManagedServiceAccount = 'CONTOSO\\prod-nps2$'),
    "adfs.farm.groupManagedServiceAccount must be named unlike the toolkit's servers: prod-nps2 is one of them",
  ],
  [
    "a service name is not an NPS server's own name",
    (c) => (c.dns.mfaApp = 'prod-nps1.contoso.com'),
    "dns.mfaApp must not be a server's own name: Windows registers prod-nps1.contoso.com",
  ],
  [
    'a vault for the client certificates, with CA-issued TLS certificates',
    (c) => delete c.nps.keyVaultName,
    'nps.keyVaultName is required unless certificates.selfSigned: a globally unique name for the vault the toolkit creates for the NPS client certificates, got nothing',
  ],
  [
    'no vault of its own in a lab, where the lab vault holds them',
    (c) => {
      c.certificates = { selfSigned: true, keyVaultName: 'kv-mfaha-prod-tls' };
    },
    'nps.keyVaultName must be left out when certificates.selfSigned is true (the client certificates go to certificates.keyVaultName), got "kv-mfaha-prod-nps"',
  ],
  [
    'a vault name the toolkit does not use already',
    (c) => (c.nps.keyVaultName = 'KV-mfaha-prod-01'),
    'nps.keyVaultName must differ from keyVault.name (the vault of the admin passwords), got "KV-mfaha-prod-01"',
  ],
  [
    'a vault name no secret is read from',
    (c) => (c.nps.keyVaultName = 'kv-identity-radius'),
    'nps.keyVaultName must differ from the vault nps.radiusClients[0].sharedSecret.keyVaultResourceId reads: Key Vault names are global, and the toolkit creates this vault, got "kv-identity-radius"',
  ],
  [
    'an authentication port NPS listens on',
    (c) => {
      c.nps.authenticationPort = 1700;
    },
    'nps.authenticationPort must be 1812 or 1645: NPS listens on these by default and Windows Firewall lets only them in (Configure Firewalls for RADIUS Traffic), got 1700',
  ],
  [
    'an accounting port NPS listens on',
    (c) => {
      c.nps.accountingPort = 1701;
    },
    'nps.accountingPort must be 1813 or 1646: NPS listens on these by default and Windows Firewall lets only them in (Configure Firewalls for RADIUS Traffic), got 1701',
  ],
  [
    'a DNS server is no address of the NPS subnet',
    (c) => (c.network.dnsServers = ['10.30.1.70']),
    'network.dnsServers[0] must be a domain controller\'s address outside network.subnets.nps (10.30.1.64/26), where the toolkit\'s servers and load balancer take their addresses, got "10.30.1.70"',
  ],
  [
    'egress to ranges, never the whole Internet said as a range',
    (c) => (c.nps.serviceEgressCidrs = ['0.0.0.0/0']),
    'nps.serviceEgressCidrs[0] must be a private range or a public range of /16 or narrower',
  ],
];

describe('the NPS extension before RADIUS moves to the NPS servers', () => {
  test.each(['entra', 'retiring', 'decommissioned'] as const)('is required installed at stage %s', (stage) => {
    expect(refusalOf(prodAtStage(stage, (c) => (c.nps.extensionInstalled = false)))).toContain(
      `nps.extensionInstalled must be true at migration.stage "${stage}": RADIUS goes to the NPS servers only, which take it once the NPS extension is installed (the manual step "Install the NPS extension"; without it NPS would grant access on the password alone), got false`,
    );
  });

  test('may wait at stage parallel, where RADIUS clients move to the NPS servers one by one', () => {
    expect(configErrorOf(prodAtStage('parallel', (c) => (c.nps.extensionInstalled = false)))).toBeUndefined();
  });
});

describe("the NPS servers' rules", () => {
  test('the stage fixtures are accepted', () => {
    for (const stage of ['parallel', 'entra', 'retiring', 'decommissioned'] as const) expect(configErrorOf(prodAtStage(stage))).toBeUndefined();
  });

  test.each(refusals)('%s', (_rule, change, line) => {
    expect(refusalOf(prodAtStage('parallel', change))).toContain(line);
  });

  test('the legacy RADIUS ports are accepted too', () => {
    expect(
      configErrorOf(
        prodAtStage('parallel', (c) => {
          c.nps.authenticationPort = 1645;
          c.nps.accountingPort = 1646;
        }),
      ),
    ).toBeUndefined();
  });
});
