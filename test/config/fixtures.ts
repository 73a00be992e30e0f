import { TOOLKIT_TAG_NAMES } from '../../config/tags';
import type { StageName } from '../../constructs/migration-stages';
import { variant } from '../helpers';

/**
 * The longest environment the schema allows, every feature on: a 7-character name, 20 servers in every tier,
 * three zones, Bastion, RADIUS, SMS OTP, certificate authentication, backup and deletion protection, a 63-character
 * DNS label, a 24-character Key Vault, a 20-character admin name, an azurerm backend with the longest names, and as
 * many tags as Azure leaves room for, at their longest; self-signed certificates with the longest names, the
 * AD FS farm with a classic service account and a separate proxy trust account, the hub firewall egress and
 * monitoring with MFA Server's logs, and 21 patching rings, so that every resource type the toolkit can create is synthesized.
 */
export function maximalInput(change: (input: any) => void = () => {}): any {
  return variant('prod', (c) => {
    c.name = 'longest';
    c.zones = ['1', '2', '3'];
    c.network.addressSpace = '10.30.0.0/22';
    c.network.subnets = { mfa: '10.30.0.0/26', portal: '10.30.0.64/26', adfs: '10.30.0.128/26', wap: '10.30.0.192/26', bastion: '10.30.1.0/26' };
    c.network.managementCidrs = ['10.250.0.0/24'];
    c.vmAdmin = { username: 'a'.repeat(20) };
    c.keyVault.name = `kv${'x'.repeat(21)}1`;
    for (const tier of ['mfa', 'portal', 'adfs', 'wap']) c[tier].count = 20;
    c.mfa.masterIndex = 19;
    c.mfa.smsOtpEnabled = true;
    c.mfa.radius = { enabled: true, clientCidrs: ['10.40.0.0/24'] };
    c.adfs.certificateAuthenticationEnabled = true;
    c.adfs.extranetLockout = { mode: 'enforce', threshold: 999, observationWindowMinutes: 1440 };
    c.hardening = { laps: { passwordAgeDays: 365, passwordLength: 64 } };
    c.wap.publicDnsLabel = `w${'x'.repeat(61)}1`;
    c.wap.ddosProtectionEnabled = true;
    c.dataProtection = { deletionProtectionEnabled: true, backup: { enabled: true, retentionDays: 9999, time: '23:30' } };
    c.backend = {
      type: 'azurerm',
      resourceGroupName: `rg${'x'.repeat(88)}`,
      storageAccountName: 's'.repeat(24),
      containerName: 'c'.repeat(63),
      key: 'k'.repeat(200),
    };
    const secret = (secretName: string) => ({ keyVaultResourceId: c.domain.joinPasswordSecret.keyVaultResourceId, secretName });
    c.network.egress = { mode: 'virtualAppliance', nextHopIp: '10.0.1.4' };
    // The join by Run Command: two Run Commands, a wait and a role more than the extension.
    c.domain.join = 'run-command';
    c.certificates = {
      selfSigned: true,
      keyVaultName: `kt${'x'.repeat(21)}1`,
      federationService: `f${'x'.repeat(126)}`,
      portal: `p${'x'.repeat(126)}`,
      webServiceSdk: `s${'x'.repeat(126)}`,
    };
    c.adfs.farm = {
      serviceAccount: { username: 'CONTOSO\\svc-adfs', passwordSecret: secret('adfs-service') },
      adminCredential: { username: 'CONTOSO\\adfs-admin', passwordSecret: secret('adfs-admin') },
    };
    c.wap.trustCredential = { username: 'CONTOSO\\wap-trust', passwordSecret: secret('wap-trust') };
    c.monitoring = {
      enabled: true,
      receivers: {
        emails: ['a@contoso.com', 'b@contoso.com'],
        webhookUrlSecret: secret('webhook'),
        webhookAadAuth: {
          objectId: '7f3c1a52-0000-4000-8000-0000000000aa',
          identifierUri: 'api://mfaha-alerts',
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        },
      },
      workspace: { retentionDays: 730 },
      mfaServerLogsEnabled: true,
    };
    // 21 rings (20 per tier, then the primaries) spread over one week: 8 h apart, 20 × 8 h + 3 h 55 ≤ 168 h.
    c.maintenance = {
      ...c.maintenance,
      duration: '03:55',
      timeZone: 'Central Standard Time (Mexico)',
      reboot: 'Always',
      classifications: ['Critical', 'Security', 'UpdateRollup', 'FeaturePack', 'ServicePack', 'Definition', 'Tools', 'Updates'],
    };
    const userTags = 50 - TOOLKIT_TAG_NAMES.length;
    c.tags = Object.fromEntries(Array.from({ length: userTags }, (_, i) => [`${String(i).padStart(2, '0')}${'n'.repeat(510)}`, 'v'.repeat(256)]));
    change(c);
  });
}

/** The Microsoft Entra tenant of the stage fixtures. */
export const FIXTURE_TENANT = '11111111-2222-3333-4444-555555555555';
/** The on-premises AD group the stage fixtures move to Microsoft Entra MFA first. */
export const FIXTURE_GROUP_SID = 'S-1-5-21-1004336348-1177238915-682003330-1107';

/**
 * The shipped prod at a migration stage, as its file would read there: the migration block, and from parallel on the
 * NPS servers in a subnet of their own, answering the RADIUS clients prod's MFA servers answer today (their shared
 * secrets in a vault of their own); at decommissioned, RADIUS is off on the MFA side (its clients moved to the NPS
 * address). `change` edits the result.
 */
export function prodAtStage(stage: StageName, change: (input: any) => void = () => {}): any {
  return variant('prod', (c) => {
    if (stage !== 'mfa-server') {
      c.migration = { stage, tenantId: FIXTURE_TENANT, groupSids: [FIXTURE_GROUP_SID] };
      c.network.subnets.nps = '10.30.1.64/26';
      const vault =
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-identity-radius/providers/Microsoft.KeyVault/vaults/kv-identity-radius';
      c.nps = {
        count: 2,
        radiusClients: c.mfa.radius.clientCidrs.map((address: string, i: number) => ({
          name: `vpn-${i + 1}`,
          address,
          sharedSecret: { keyVaultResourceId: vault, secretName: `radius-vpn-${i + 1}` },
        })),
        extensionInstalled: true,
        // prod's TLS certificates are CA-issued: the NPS client certificates get a vault of their own.
        keyVaultName: 'kv-mfaha-prod-nps',
      };
      if (stage === 'decommissioned') c.mfa.radius = { enabled: false };
    } else {
      c.migration = { stage };
    }
    change(c);
  });
}
