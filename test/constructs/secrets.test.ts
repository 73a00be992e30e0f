import { Testing } from 'cdktf';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { Secrets, SecretsProps } from '../../constructs/secrets';
import { ofType } from './fixtures';

const ref = (name: string) => ({
  keyVaultResourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-shared',
  secretName: name,
});
const props: SecretsProps = {
  keyVaultName: 'kv-test',
  resourceGroupName: 'rg',
  location: 'westeurope',
  tags: {},
  allowedIpRanges: ['203.0.113.0/24'],
  tiers: ['mfa', 'wap'],
  domainJoinPassword: ref('join'),
};

describe('secrets', () => {
  test('generates one password per tier and stores it in a firewalled, purge-protected Key Vault', () => {
    const out = Testing.synthScope((s) => new Secrets(s, 'secrets', props));
    expect(out).toHaveResourceWithProperties(KeyVault, {
      name: 'kv-test',
      purge_protection_enabled: true,
      network_acls: { default_action: 'Deny', bypass: 'AzureServices', ip_rules: ['203.0.113.0/24'] },
    });
    expect(ofType(out, 'random_password')).toHaveLength(2);
    const secrets = ofType(out, 'azurerm_key_vault_secret');
    expect(secrets.map((s) => s.name).sort()).toEqual(['mfa-admin-password', 'wap-admin-password']);
    for (const s of secrets) expect(s.value).toMatch(/^\$\{random_password\.[^}]+\.result\}$/);
  });

  test('reads an existing admin password instead of generating one when configured', () => {
    let secrets!: Secrets;
    const out = Testing.synthScope((s) => {
      secrets = new Secrets(s, 'secrets', { ...props, adminPassword: ref('local-admin') });
    });
    expect(ofType(out, 'random_password')).toEqual([]);
    expect(secrets.adminPassword('mfa')).toBe(secrets.adminPassword('wap'));
    const data = Object.values(JSON.parse(out).data.azurerm_key_vault_secret) as any[];
    expect(data.map((d) => d.name).sort()).toEqual(['join', 'local-admin']);
  });
});
