import { serviceNamesOf } from '../../config/service-names';
import { configErrorOf, validate, variant, withoutFarm } from '../helpers';

const VAULT = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-identity-shared/providers/Microsoft.KeyVault/vaults/kv-identity-shared';
/** A vault of certificates alone: every server reads all of it. */
const CERTIFICATE_VAULT = VAULT.replace('kv-identity-shared', 'kv-identity-certs');
const secret = (secretName: string) => ({ keyVaultResourceId: VAULT, secretName });

describe('the day-one blocks refuse with one line, and accept what is right', () => {
  test.each<[string, (c: any) => void, string]>([
    [
      'a hub firewall inside the VNet',
      (c) => (c.network.egress = { mode: 'virtualAppliance', nextHopIp: '10.30.0.70' }),
      'environments/test.json: network.egress.nextHopIp must be the hub firewall\'s private address, outside network.addressSpace 10.30.0.0/22, got "10.30.0.70"',
    ],
    [
      'an unknown egress mode',
      (c) => (c.network.egress = { mode: 'firewall' }),
      'network.egress.mode must be "natGateway" or "virtualAppliance", got "firewall"',
    ],
    [
      'a virtual appliance without its address',
      (c) => (c.network.egress = { mode: 'virtualAppliance' }),
      'network.egress.nextHopIp is required: an IPv4 address',
    ],
    [
      'two services under one name',
      (c) => (c.dns.portal = 'sts.contoso.com'),
      'dns.federationService must differ from dns.portal (each name points at its own load balancer), got "sts.contoso.com"',
    ],
    [
      'a name that is not a fully qualified one',
      (c) => (c.dns.mfaApp = 'mfaapp'),
      'dns.mfaApp must be a fully qualified DNS name such as mfaapp.contoso.com, got "mfaapp"',
    ],
    [
      'self-signed certificates in an existing vault',
      (c) => (c.certificates = { selfSigned: true, keyVaultResourceId: VAULT, keyVaultName: 'kv-lab-tls' }),
      'certificates.keyVaultResourceId must be left out when certificates.selfSigned is true',
    ],
    [
      'self-signed certificates without a vault name',
      (c) => (c.certificates = { selfSigned: true }),
      'certificates.keyVaultName is required with certificates.selfSigned',
    ],
    [
      'self-signed certificates in the vault of the admin passwords',
      (c) => (c.certificates = { selfSigned: true, keyVaultName: 'KV-MFAHA-PROD-01' }),
      "certificates.keyVaultName must differ from keyVault.name: the servers read their certificates' vault, which must not hold the admin passwords",
    ],
    [
      'CA-issued certificates without their vault',
      (c) => (c.certificates = {}),
      'certificates.keyVaultResourceId is required: the vault that holds the CA-issued certificates',
    ],
    [
      'a lab vault name with CA-issued certificates',
      (c) => (c.certificates.keyVaultName = 'kv-lab-tls'),
      'certificates.keyVaultName must be left out unless certificates.selfSigned is true',
    ],
    [
      'two self-signed certificates under one name',
      (c) => (c.certificates = { selfSigned: true, keyVaultName: 'kv-lab-tls', portal: 'same', webServiceSdk: 'same' }),
      'certificates.webServiceSdk must differ from certificates.portal',
    ],
    [
      'a certificate name Key Vault refuses',
      (c) => (c.certificates.portal = 'mfa_portal'),
      'certificates.portal must be a Key Vault certificate name: 1-127 letters, digits and hyphens, starting with a letter, got "mfa_portal"',
    ],
    [
      'a farm with two service accounts',
      (c) => (c.adfs.farm.serviceAccount = { username: 'CONTOSO\\svc', passwordSecret: secret('svc') }),
      'adfs.farm must name exactly one service account: groupManagedServiceAccount or serviceAccount',
    ],
    [
      'a farm with no service account',
      (c) => delete c.adfs.farm.groupManagedServiceAccount,
      'adfs.farm must name exactly one service account: groupManagedServiceAccount or serviceAccount, got "neither"',
    ],
    [
      'a gMSA without its trailing $',
      (c) => (c.adfs.farm.groupManagedServiceAccount = 'CONTOSO\\gmsa-adfs'),
      'adfs.farm.groupManagedServiceAccount must be a group managed service account such as CONTOSO\\gmsa-adfs$ (with the trailing $)',
    ],
    [
      'a farm without certificates',
      (c) => delete c.certificates,
      'adfs.farm needs a certificates block: the farm and the proxies use the federation service certificate from Key Vault',
    ],
    [
      'a proxy trust account without a farm',
      (c) => {
        delete c.adfs.farm;
      },
      'wap.trustCredential must be left out unless adfs.farm is configured',
    ],
    [
      'a farm whose proxies have no trust credential of their own',
      (c) => delete c.wap.trustCredential,
      "environments/test.json: wap.trustCredential is required with adfs.farm: { username, passwordSecret } of an account that is a local administrator of the AD FS servers and nothing in the domain (the proxies face the Internet: the farm admin's password never goes to them), got nothing",
    ],
    [
      "the farm admin as the proxies' trust account",
      (c) => (c.wap.trustCredential = { username: 'adfs-admin@contoso.com', passwordSecret: secret('proxy') }),
      'wap.trustCredential.username must not be adfs.farm.adminCredential\'s: the proxies get a credential of their own, a local administrator of the AD FS servers and nothing in the domain, got "adfs-admin@contoso.com"',
    ],
    [
      "the farm admin's secret as the proxies' password",
      (c) =>
        (c.wap.trustCredential = {
          username: 'CONTOSO\\adfs-proxy',
          passwordSecret: { ...c.adfs.farm.adminCredential.passwordSecret, secretName: 'adfs-admin-password' },
        }),
      "wap.trustCredential.passwordSecret must not be adfs.farm.adminCredential's",
    ],
    [
      'an admin account that is not a domain account',
      (c) => (c.adfs.farm.adminCredential.username = 'admin'),
      'adfs.farm.adminCredential.username must be a domain account with its domain, such as CONTOSO\\adfs-admin or adfs-admin@contoso.com, got "admin"',
    ],
    [
      'a retention with an existing workspace',
      (c) =>
        (c.monitoring.workspace = {
          resourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law1',
          retentionDays: 60,
        }),
      'monitoring.workspace.retentionDays must be left out with an existing workspace',
    ],
    [
      'a retention Azure refuses',
      (c) => (c.monitoring.workspace = { retentionDays: 731 }),
      'monitoring.workspace.retentionDays must be an integer from 30 to 730, got 731',
    ],
    [
      'a secure webhook without its webhook',
      (c) => (c.monitoring.receivers = { emails: [], webhookAadAuth: { objectId: '7f3c1a52-0000-4000-8000-0000000000aa' } }),
      'monitoring.receivers.webhookAadAuth must be left out unless monitoring.receivers.webhookUrlSecret names the webhook it protects, got "no webhook"',
    ],
    [
      'a secure webhook whose application id URI is no URI',
      (c) =>
        (c.monitoring.receivers = {
          emails: [],
          webhookUrlSecret: secret('hook'),
          webhookAadAuth: { objectId: '7f3c1a52-0000-4000-8000-0000000000aa', identifierUri: 'alerts' },
        }),
      'monitoring.receivers.webhookAadAuth.identifierUri must be an application ID URI such as api://alerts-webhook',
    ],
    [
      'an e-mail receiver that is not an address',
      (c) => (c.monitoring.receivers.emails = ['ops']),
      'monitoring.receivers.emails[0] must be an e-mail address, got "ops"',
    ],
  ])('refuses %s', (_name, change, message) => {
    const error = configErrorOf(variant('prod', change));
    expect(error).toContain(message);
    expect(error).not.toMatch(/\n/);
  });

  test.each<[string, (c: any) => void]>([
    ['a hub firewall outside the VNet', (c) => (c.network.egress = { mode: 'virtualAppliance', nextHopIp: '10.0.1.4' })],
    [
      'distinct names outside the AD domain',
      (c) => (c.dns = { mfaApp: 'mfaapp.corp.contoso.com', portal: 'mfa.contoso.com', federationService: 'sts.contoso.com' }),
    ],
    [
      'CA-issued certificates in an existing vault, with revocation ranges',
      (c) => (c.certificates = { keyVaultResourceId: CERTIFICATE_VAULT, revocationCheckCidrs: ['192.0.2.0/24'] }),
    ],
    ['self-signed certificates in a lab vault of their own', (c) => (c.certificates = { selfSigned: true, keyVaultName: 'kv-lab-tls' })],
    [
      'one certificate for several names (a SAN certificate)',
      (c) => (c.certificates = { keyVaultResourceId: CERTIFICATE_VAULT, federationService: 'san', portal: 'san', webServiceSdk: 'san' }),
    ],
    [
      'a classic service account',
      (c) => (c.adfs.farm = { serviceAccount: { username: 'CONTOSO\\svc-adfs', passwordSecret: secret('svc') }, adminCredential: c.adfs.farm.adminCredential }),
    ],
    ['a separate proxy trust account', (c) => (c.wap.trustCredential = { username: 'adfs-proxy@contoso.com', passwordSecret: secret('proxy') })],
    [
      'an existing workspace without retention',
      (c) =>
        (c.monitoring.workspace = {
          resourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law1',
        }),
    ],
    [
      'a restricted MFA egress without MFA Server logs',
      (c) => {
        c.mfa.serviceEgressCidrs = ['134.170.116.0/25'];
        c.monitoring.mfaServerLogsEnabled = false;
      },
    ],
    // MFA Server's logs go to the workspace through the AzureMonitor tag: no data collection endpoint, no Internet egress.
    [
      'a restricted MFA egress with MFA Server logs',
      (c) => {
        c.mfa.serviceEgressCidrs = ['134.170.116.0/25'];
        c.monitoring.mfaServerLogsEnabled = true;
      },
    ],
    ['no receivers', (c) => (c.monitoring.receivers = { emails: [] })],
    [
      'an environment file written before these blocks',
      (c) => {
        delete c.network.egress;
        delete c.dns;
        delete c.certificates;
        withoutFarm(c);
        delete c.monitoring;
      },
    ],
  ])('accepts %s', (_name, change) => {
    expect(configErrorOf(variant('prod', change))).toBeUndefined();
  });

  test('names default under the AD domain, in lower case', () => {
    const env = validate(
      variant('dev', (c) => {
        delete c.dns;
        c.domain.name = 'Dev.Contoso.com';
      }),
    );
    expect(serviceNamesOf(env)).toEqual({ mfaApp: 'mfaapp.dev.contoso.com', portal: 'mfa.dev.contoso.com', federationService: 'sts.dev.contoso.com' });
  });
});
