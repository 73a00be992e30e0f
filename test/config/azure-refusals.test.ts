import { RESERVED_ADMIN_USERNAMES } from '../../config/accounts';
import { MAX_EMAIL_RECEIVERS } from '../../config/receivers';
import { AZURE_REGIONS, AZURE_REGIONS_SOURCE, closestRegion } from '../../config/regions';
import { refusalOf, synthObject, validate, variant } from '../helpers';

/*
 * What Azure or Windows would refuse or break, refused at synth (issue 19's mistyped configs): for each limit, a
 * value just past it is refused with its one line, and one just inside it is accepted.
 */

type Change = (c: any) => void;
type Base = 'dev' | 'prod';

const secret = (vault: string, secretName: string) => ({
  keyVaultResourceId: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-identity-shared/providers/Microsoft.KeyVault/vaults/${vault}`,
  secretName,
});
const image = (sku: string) => ({ publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku, version: 'latest' });

/** [limit, base, accepted next to it, refused past it, the refusal's line]. */
const limits: [string, Base, Change, Change, string][] = [
  [
    'location: a listed region',
    'dev',
    (c) => (c.location = 'swedencentral'),
    (c) => (c.location = 'westeurop'),
    'location must be an Azure region listed in config/azure-regions.json (did you mean "westeurope"?), got "westeurop"',
  ],
  [
    'location: the programmatic name, not the display name',
    'dev',
    (c) => (c.location = 'northeurope'),
    (c) => (c.location = 'North Europe'),
    'location must be an Azure region listed in config/azure-regions.json (did you mean "northeurope"?), got "North Europe"',
  ],
  [
    'next hop: private, outside the VNet',
    'prod',
    (c) => (c.network.egress.nextHopIp = '100.64.0.4'),
    (c) => (c.network.egress.nextHopIp = '100.128.0.4'),
    "network.egress.nextHopIp must be the hub firewall's private address (RFC 1918 or 100.64.0.0/10)",
  ],
  [
    'next hop: not the platform address',
    'prod',
    (c) => (c.network.egress.nextHopIp = '10.0.1.5'),
    (c) => (c.network.egress.nextHopIp = '168.63.129.16'),
    "network.egress.nextHopIp must be the hub firewall's private address, not Azure's platform address",
  ],
  [
    'next hop: not link-local',
    'prod',
    (c) => (c.network.egress.nextHopIp = '172.16.0.4'),
    (c) => (c.network.egress.nextHopIp = '169.254.169.254'),
    "network.egress.nextHopIp must be the hub firewall's private address, not link-local space",
  ],
  [
    'next hop: not reserved in every subnet (.4 of a /8 is the first a NIC gets)',
    'prod',
    (c) => (c.network.egress.nextHopIp = '10.0.0.4'),
    (c) => (c.network.egress.nextHopIp = '10.0.0.3'),
    'network.egress.nextHopIp must be an address a NIC can hold',
  ],
  [
    'next hop: not the broadcast address of every subnet',
    'prod',
    (c) => (c.network.egress.nextHopIp = '10.255.255.254'),
    (c) => (c.network.egress.nextHopIp = '10.255.255.255'),
    'network.egress.nextHopIp must be an address a NIC can hold',
  ],
  [
    'next hop: judged within its private block (a /16 subnet of 192.168.0.0/16 hands out 192.168.1.0)',
    'prod',
    (c) => (c.network.egress.nextHopIp = '192.168.1.0'),
    (c) => (c.network.egress.nextHopIp = '192.168.0.0'),
    'network.egress.nextHopIp must be an address a NIC can hold',
  ],
  [
    'created vault: named unlike the vaults read',
    'prod',
    (c) => (c.keyVault.name = 'kv-identity-shared2'),
    (c) => (c.keyVault.name = 'kv-identity-shared'),
    'keyVault.name must differ from the vault domain.joinPasswordSecret.keyVaultResourceId reads',
  ],
  [
    'created certificate vault: named unlike the vaults read',
    'dev',
    (c) => (c.certificates.keyVaultName = 'kv-identity-tls'),
    (c) => (c.certificates.keyVaultName = 'KV-Identity-Shared'),
    'certificates.keyVaultName must differ from the vault domain.joinPasswordSecret.keyVaultResourceId reads',
  ],
  [
    'vault id: the vault name',
    'dev',
    (c) => (c.domain.joinPasswordSecret = secret('kv-a1', 'x')),
    (c) => (c.domain.joinPasswordSecret = secret('1kv', 'x')),
    'domain.joinPasswordSecret.keyVaultResourceId must be a Key Vault resource id: /subscriptions/<uuid>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>, with a name of 3-24 letters',
  ],
  [
    "vault id: the vault name's length",
    'dev',
    (c) => (c.domain.joinPasswordSecret = secret(`k${'x'.repeat(23)}`, 'x')),
    (c) => (c.domain.joinPasswordSecret = secret(`k${'x'.repeat(24)}`, 'x')),
    'with a name of 3-24 letters',
  ],
  [
    'vault id: the resource group',
    'dev',
    (c) => (c.domain.joinPasswordSecret.keyVaultResourceId = c.domain.joinPasswordSecret.keyVaultResourceId.replace('rg-identity-shared', 'rg-(shared)')),
    (c) => (c.domain.joinPasswordSecret.keyVaultResourceId = c.domain.joinPasswordSecret.keyVaultResourceId.replace('rg-identity-shared', 'rg-shared.')),
    'with a resource group name of 1-90',
  ],
  [
    'vault id: the subscription',
    'dev',
    (c) =>
      (c.domain.joinPasswordSecret.keyVaultResourceId = c.domain.joinPasswordSecret.keyVaultResourceId.replace(
        '00000000-0000-0000-0000-000000000000',
        'ABCDEF01-2345-6789-abcd-ef0123456789',
      )),
    (c) =>
      (c.domain.joinPasswordSecret.keyVaultResourceId = c.domain.joinPasswordSecret.keyVaultResourceId.replace(
        '00000000-0000-0000-0000-000000000000',
        '------------------------------------',
      )),
    'with a subscription id that is a GUID',
  ],
  [
    'workspace id: the workspace name',
    'prod',
    (c) =>
      (c.monitoring.workspace = {
        resourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law1',
      }),
    (c) =>
      (c.monitoring.workspace = {
        resourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law',
      }),
    'monitoring.workspace.resourceId must be a Log Analytics workspace resource id: /subscriptions/<uuid>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>, with a name of 4-63',
  ],
  [
    'secrets of one vault: one spelling per name',
    'dev',
    (c) => (c.adfs.farm.adminCredential.passwordSecret.secretName = 'dev-domain-join-password'),
    (c) => (c.adfs.farm.adminCredential.passwordSecret.secretName = 'DEV-domain-join-password'),
    'adfs.farm.adminCredential.passwordSecret.secretName must be written as domain.joinPasswordSecret.secretName writes it ("dev-domain-join-password")',
  ],
  [
    'certificates of one vault: one spelling per name',
    'prod',
    (c) => (c.certificates.portal = 'sts-contoso-com'),
    (c) => (c.certificates.portal = 'STS-contoso-com'),
    'certificates.portal must be written as certificates.federationService writes it',
  ],
  [
    'a certificate is not read as a secret of its vault',
    'prod',
    (c) => (c.monitoring.receivers.webhookUrlSecret = secret('kv-identity-certs', 'webhook')),
    (c) => (c.monitoring.receivers.webhookUrlSecret = secret('kv-identity-certs', 'Sts-Contoso-Com')),
    "certificates.federationService must differ from monitoring.receivers.webhookUrlSecret.secretName in vault kv-identity-certs: a certificate's secret bears the certificate's name",
  ],
  [
    'self-signed certificates: names differ by more than case',
    'dev',
    (c) => (c.certificates.portal = 'federation-service2'),
    (c) => (c.certificates.portal = 'Federation-Service'),
    'certificates.portal must differ from certificates.federationService by more than letter case',
  ],
  [
    'MFA egress: a public /16',
    'dev',
    (c) => (c.mfa.serviceEgressCidrs = ['20.50.0.0/16']),
    (c) => (c.mfa.serviceEgressCidrs = ['20.50.0.0/15']),
    'mfa.serviceEgressCidrs[0] must be a private range or a public range of /16 or narrower (a public /15 holds 131,072 addresses',
  ],
  [
    'revocation checks: a public /16',
    'prod',
    (c) => (c.certificates.revocationCheckCidrs = ['192.0.0.0/16']),
    (c) => (c.certificates.revocationCheckCidrs = ['0.0.0.0/0']),
    'certificates.revocationCheckCidrs[0] must be a private range or a public range of /16 or narrower',
  ],
  [
    'federation service: not named like a server',
    'dev',
    (c) => (c.dns.federationService = 'dev-adfs3.dev.contoso.com'),
    (c) => (c.dns.federationService = 'DEV-ADFS2.dev.contoso.com'),
    "dns.federationService must not be a server's name: dev-adfs2 is one of the toolkit's computers",
  ],
  [
    'federation service: not named like a server of another tier',
    'dev',
    (c) => (c.dns.federationService = 'dev-wap3.dev.contoso.com'),
    (c) => (c.dns.federationService = 'dev-wap2.dev.contoso.com'),
    "dns.federationService must not be a server's name: dev-wap2",
  ],
  [
    'gMSA: 15 characters before the $',
    'dev',
    (c) => (c.adfs.farm.groupManagedServiceAccount = `DEV\\${'g'.repeat(15)}$`),
    (c) => (c.adfs.farm.groupManagedServiceAccount = `DEV\\${'g'.repeat(16)}$`),
    'adfs.farm.groupManagedServiceAccount must be a group managed service account whose name is at most 15 characters before the $',
  ],
  [
    'gMSA: a NetBIOS domain of 15 characters',
    'dev',
    (c) => (c.adfs.farm.groupManagedServiceAccount = `${'D'.repeat(15)}\\gmsa-adfs$`),
    (c) => (c.adfs.farm.groupManagedServiceAccount = `${'D'.repeat(16)}\\gmsa-adfs$`),
    'whose domain is a NetBIOS name of at most 15 characters',
  ],
  [
    'gMSA: characters a sAMAccountName may hold',
    'dev',
    (c) => (c.adfs.farm.groupManagedServiceAccount = 'DEV\\gmsa_adfs.1$'),
    (c) => (c.adfs.farm.groupManagedServiceAccount = 'DEV\\gmsa[adfs]$'),
    'whose name has none of',
  ],
  [
    'alert e-mails: each address once, whatever its case',
    'prod',
    (c) => (c.monitoring.receivers.emails = ['a@contoso.com', 'b@contoso.com']),
    (c) => (c.monitoring.receivers.emails = ['a@contoso.com', 'A@Contoso.com']),
    'monitoring.receivers.emails[1] must not repeat monitoring.receivers.emails[0] (addresses are compared without regard to case), got "A@Contoso.com"',
  ],
  [
    'alert e-mails: at most 1000 in the group',
    'prod',
    (c) => (c.monitoring.receivers.emails = Array.from({ length: MAX_EMAIL_RECEIVERS }, (_, i) => `u${i}@contoso.com`)),
    (c) => (c.monitoring.receivers.emails = Array.from({ length: MAX_EMAIL_RECEIVERS + 1 }, (_, i) => `u${i}@contoso.com`)),
    'monitoring.receivers.emails must list at most 1000 addresses',
  ],
  [
    'admin name: 20 characters',
    'dev',
    (c) => (c.vmAdmin = { username: `a${'b'.repeat(19)}` }),
    (c) => (c.vmAdmin = { username: `a${'b'.repeat(20)}` }),
    'vmAdmin.username must be 1-20 letters',
  ],
  [
    'admin name: not ending with a period',
    'dev',
    (c) => (c.vmAdmin = { username: 'ops.admin' }),
    (c) => (c.vmAdmin = { username: 'opsadmin.' }),
    'vmAdmin.username must be a name that does not end with a period',
  ],
  [
    'join account: user@domain',
    'dev',
    (c) => (c.domain.joinUsername = 'svc-join@dev.contoso.com'),
    (c) => (c.domain.joinUsername = 'svc-join@dev'),
    'domain.joinUsername must be a domain account with its domain',
  ],
  [
    'join account: DOMAIN\\user',
    'dev',
    (c) => (c.domain.joinUsername = 'DEV\\svc-join'),
    (c) => (c.domain.joinUsername = 'svc-join'),
    'domain.joinUsername must be a domain account with its domain, such as CONTOSO\\adfs-admin or adfs-admin@contoso.com, got "svc-join"',
  ],
  [
    'image: Generation 2 for the tier',
    'dev',
    (c) => (c.mfa.image = image('2016-datacenter-gensecond')),
    (c) => (c.mfa.image = image('2016-datacenter')),
    'mfa.image.sku must be a Generation 2 SKU',
  ],
  [
    'image: Generation 2 for every tier',
    'dev',
    (c) => (c.image = image('2022-datacenter-g2')),
    (c) => (c.image = image('2022-datacenter-smalldisk')),
    'image.sku must be a Generation 2 SKU',
  ],
  [
    'image: the shared one is judged only while a tier uses it',
    'dev',
    (c) => {
      c.image = image('2019-datacenter');
      for (const t of ['mfa', 'portal', 'adfs', 'wap']) c[t].image = image('2019-datacenter-gensecond');
    },
    (c) => {
      c.image = image('2019-datacenter');
      for (const t of ['mfa', 'portal', 'adfs']) c[t].image = image('2019-datacenter-gensecond');
    },
    'image.sku must be a Generation 2 SKU',
  ],
];

describe('what Azure or Windows would refuse', () => {
  test.each(limits)('%s: accepted inside the limit, refused past it with one line', (_name, base, accepted, refused, line) => {
    expect(() => validate(variant(base, accepted))).not.toThrow();
    const message = refusalOf(variant(base, refused));
    expect(message).toMatch(/^environments\/test\.json: \S+ must /);
    expect(message).toContain(line);
    expect(message).not.toContain('\n');
  });

  test.each(RESERVED_ADMIN_USERNAMES.filter((n) => /^[a-z]/.test(n)))('refuses the reserved admin name %s, in any case', (name) => {
    expect(refusalOf(variant('dev', (c) => (c.vmAdmin = { username: name.toUpperCase() })))).toContain(
      'vmAdmin.username must be a name Azure does not reserve',
    );
  });

  test('holds all 32 names Azure reserves; the two that start with a digit fail the first-letter rule already', () => {
    expect(RESERVED_ADMIN_USERNAMES).toHaveLength(32);
    for (const name of ['1', '123'])
      expect(refusalOf(variant('dev', (c) => (c.vmAdmin = { username: name })))).toContain('vmAdmin.username must be 1-20 letters');
    expect(() => validate(variant('dev', (c) => (c.vmAdmin = { username: 'user6' })))).not.toThrow();
  });

  test('the region list says where it comes from and when, and names the closest region', () => {
    expect(AZURE_REGIONS_SOURCE.source).toMatch(/learn\.microsoft\.com/);
    expect(AZURE_REGIONS_SOURCE.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Set(AZURE_REGIONS).size).toBe(AZURE_REGIONS.length);
    expect(closestRegion('West Europe')).toBe('westeurope');
    expect(closestRegion('eastus-2')).toBe('eastus2');
  });
});

describe('DNS names in capitals', () => {
  test('are accepted and written in lower case', () => {
    const tf = synthObject(
      variant('dev', (c) => (c.dns = { mfaApp: 'MFAapp.Dev.Contoso.com', portal: 'MFA.dev.contoso.COM', federationService: 'STS.dev.contoso.com' })),
    );
    const text = JSON.stringify(tf);
    expect(text).not.toMatch(/MFAapp|Dev\.Contoso|contoso\.COM|STS\.dev/);
    expect(text).toBe(JSON.stringify(synthObject(variant('dev'))));
  });

  test('are compared without regard to case', () => {
    expect(refusalOf(variant('dev', (c) => (c.dns.portal = 'MFAAPP.dev.contoso.com')))).toContain('dns.portal must differ from dns.mfaApp');
  });
});
