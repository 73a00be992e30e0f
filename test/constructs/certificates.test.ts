import { CERTIFICATE_KEYS, TIER_CERTIFICATES } from '../../constructs/certificates';
import type { StageName } from '../../constructs/migration-stages';
import { prodAtStage } from '../config/fixtures';
import { resources, synthObject, TerraformJson, variant, withoutFarm } from '../helpers';

const byPath = (tf: TerraformJson, type: string, part: string) =>
  Object.entries<any>(tf.resource[type] ?? {})
    .filter(([key]) => key.includes(part))
    .map(([, body]) => body);

describe('certificates from Key Vault', () => {
  const dev = synthObject(variant('dev'));
  const prod = synthObject(variant('prod'));

  test('every tier has a user-assigned identity, and every server of the tier carries it', () => {
    for (const tf of [dev, prod]) {
      const identities = resources(tf, 'azurerm_user_assigned_identity');
      expect(identities.map((i) => i.name).sort()).toEqual(
        ['adfs', 'mfa', 'portal', 'wap'].map((t) => expect.stringMatching(new RegExp(`^id-mfaha-(dev|prod)-${t}$`))),
      );
      for (const vm of resources(tf, 'azurerm_windows_virtual_machine')) {
        expect(vm.identity).toEqual({
          type: 'UserAssigned',
          identity_ids: [expect.stringMatching(new RegExp(`^\\$\\{azurerm_user_assigned_identity\\.identities_${vm.tags.tier}_[0-9A-F]+\\.id\\}$`))],
        });
      }
    }
  });

  /** The certificates each tier's identity may read: tier -> vault/secrets/name, from the role assignments. */
  const certificateReaders = (tf: TerraformJson) =>
    resources(tf, 'azurerm_role_assignment')
      .filter((r) => r.role_definition_name === 'Key Vault Secrets User' && /certificates_vault_|kv-identity-certs/.test(r.scope))
      .map(
        (r) => `${/identities_([a-z]+)_/.exec(r.principal_id)?.[1]} -> ${r.scope.replace(/^.*(kv-identity-certs|certificates_vault_[0-9A-F]+\.id\})/, '$1')}`,
      )
      .sort();

  test("each identity reads its own tier's certificates and no other: Key Vault Secrets User on each certificate's secret", () => {
    expect(certificateReaders(prod)).toEqual([
      'adfs -> kv-identity-certs/secrets/sts-contoso-com',
      'mfa -> kv-identity-certs/secrets/mfaapp-contoso-com',
      'portal -> kv-identity-certs/secrets/mfa-contoso-com',
      'wap -> kv-identity-certs/secrets/mfa-contoso-com',
      'wap -> kv-identity-certs/secrets/sts-contoso-com',
    ]);
    // Never the vault: the proxies cannot read the Web Service SDK's private key.
    expect(resources(prod, 'azurerm_role_assignment').filter((r) => r.scope.endsWith('/vaults/kv-identity-certs'))).toEqual([]);
    expect(resources(prod, 'azurerm_role_assignment').every((r) => r.principal_type === 'ServicePrincipal' || r.principal_type === undefined)).toBe(true);
    // A lab's certificates live in a vault of their own, read the same way. dev does not publish the portal: its
    // proxies do not read the portal's certificate.
    const lab = certificateReaders(dev);
    expect(lab.filter((r) => r.startsWith('wap ->'))).toEqual([
      expect.stringMatching(/^wap -> certificates_vault_[0-9A-F]+\.id\}\/secrets\/federation-service$/),
    ]);
    expect(lab).toHaveLength(4);
  });

  test("the proxies read the portal's certificate only where they publish the portal, and until the portal servers go", () => {
    const unpublished = synthObject(variant('prod', (c) => (c.wap.publishMfaPortalEnabled = false)));
    expect(certificateReaders(unpublished).filter((r) => r.startsWith('wap ->'))).toEqual(['wap -> kv-identity-certs/secrets/sts-contoso-com']);
    const wap = byPath(unpublished, 'azurerm_virtual_machine_extension', 'wap_servers_wap-1_key-vault')[0];
    expect(wap.settings.match(/"url" = /g)).toHaveLength(1);
    expect(certificateReaders(unpublished).filter((r) => r.startsWith('portal ->'))).toEqual(['portal -> kv-identity-certs/secrets/mfa-contoso-com']);
    // Unpublished by the entra stage, the certificate stays for the way back's publishing; decommissioned, it goes.
    const proxiesAt = (stage: StageName) => certificateReaders(synthObject(prodAtStage(stage))).filter((r) => r.startsWith('wap ->'));
    expect(proxiesAt('entra')).toContain('wap -> kv-identity-certs/secrets/mfa-contoso-com');
    expect(proxiesAt('decommissioned')).toEqual(['wap -> kv-identity-certs/secrets/sts-contoso-com']);
  });

  test('a SAN certificate serving several names is one secret, granted once per tier', () => {
    const san = synthObject(variant('prod', (c) => (c.certificates = { ...c.certificates, federationService: 'san', portal: 'san', webServiceSdk: 'san' })));
    expect(certificateReaders(san)).toEqual(['adfs', 'mfa', 'portal', 'wap'].map((t) => `${t} -> kv-identity-certs/secrets/san`));
  });

  test.each(['mfa', 'portal', 'adfs', 'wap'] as const)(
    "each %s server gets the Key Vault extension 3.0 with its tier's certificates, after its role can read them",
    (tier) => {
      for (const tf of [dev, prod]) {
        const extensions = byPath(tf, 'azurerm_virtual_machine_extension', `${tier}_servers_`).filter((e) => e.type === 'KeyVaultForWindows');
        expect(extensions.length).toBeGreaterThanOrEqual(2);
        for (const e of extensions) {
          expect(e).toMatchObject({ publisher: 'Microsoft.Azure.KeyVault', type_handler_version: '3.0', auto_upgrade_minor_version: true });
          expect(e.settings).toContain('"linkOnRenewal" = true');
          expect(e.settings).toContain('"requireInitialSync" = true');
          expect(e.settings).toContain('"certificateStoreName" = "MY", "certificateStoreLocation" = "LocalMachine"');
          expect(e.settings).toMatch(new RegExp(`"msiClientId" = azurerm_user_assigned_identity\\.identities_${tier}_[0-9A-F]+\\.client_id`));
          // dev's proxies do not publish the portal, so they hold the federation service's certificate alone.
          const held = tier === 'wap' && tf === dev ? 1 : TIER_CERTIFICATES[tier].length;
          expect(e.settings.match(/"url" = /g)).toHaveLength(held);
          expect(e.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^azurerm_role_assignment\\.certificates_${tier}-reads-`))]));
        }
      }
    },
  );

  test('an existing vault, in any subscription, is named by its URI, and each certificate is its versionless secret there', () => {
    expect(prod.data?.azurerm_key_vault).toBeUndefined();
    const wap = byPath(prod, 'azurerm_virtual_machine_extension', 'wap_servers_wap-1_key-vault')[0];
    expect(wap.settings).toContain('"url" = "https://kv-identity-certs.vault.azure.net/secrets/sts-contoso-com"');
    expect(wap.settings).toContain('"url" = "https://kv-identity-certs.vault.azure.net/secrets/mfa-contoso-com"');
    expect(resources(prod, 'azurerm_key_vault_certificate')).toEqual([]);
  });

  test('labs get self-signed, exportable, auto-renewed server certificates named after the service names, generated in the vault', () => {
    const certificates = resources(dev, 'azurerm_key_vault_certificate');
    expect(certificates.map((c) => c.certificate_policy.x509_certificate_properties.subject).sort()).toEqual([
      'CN=mfa.dev.contoso.com',
      'CN=mfaapp.dev.contoso.com',
      'CN=sts.dev.contoso.com',
    ]);
    for (const c of certificates) {
      expect(c.certificate).toBeUndefined();
      expect(c.certificate_policy).toMatchObject({
        issuer_parameters: { name: 'Self' },
        key_properties: { exportable: true, key_type: 'RSA', key_size: 2048 },
        lifetime_action: [{ action: { action_type: 'AutoRenew' } }],
        x509_certificate_properties: { extended_key_usage: ['1.3.6.1.5.5.7.3.1'] },
      });
      // The deployer creates certificates only once its role on the vault exists and has had time to propagate.
      expect(c.depends_on).toEqual([expect.stringMatching(/^time_sleep\.certificates_deployer-roles-propagation_/)]);
      expect(c.key_vault_id).toMatch(/^\$\{azurerm_key_vault\.certificates_vault_[0-9A-F]+\.id\}$/);
    }
  });

  test("the lab vault is hardened like the environment vault, admits the servers' subnets and the deployer, and holds only certificates", () => {
    const [passwords, lab] = ['secrets_', 'certificates_vault_'].map(
      (p) => Object.entries<any>(dev.resource.azurerm_key_vault).find(([k]) => k.startsWith(p))![1],
    );
    expect(lab).toMatchObject({ name: 'kv-mfaha-dev-tls', rbac_authorization_enabled: true, purge_protection_enabled: true, sku_name: 'premium' });
    expect(lab.network_acls).toMatchObject({ default_action: 'Deny', ip_rules: ['203.0.113.0/24'] });
    expect(lab.network_acls.virtual_network_subnet_ids).toHaveLength(4);
    // The vault of the admin passwords admits no server.
    expect(passwords.network_acls.virtual_network_subnet_ids).toBeUndefined();
    expect(passwords.rbac_authorization_enabled).toBe(true);
    expect(passwords.access_policy).toBeUndefined();
    expect(resources(dev, 'azurerm_key_vault_secret').every((secret) => /azurerm_key_vault\.secrets_/.test(secret.key_vault_id))).toBe(true);
    expect(
      resources(dev, 'azurerm_subnet')
        .filter((s) => s.name !== 'AzureBastionSubnet')
        .every((s) => s.service_endpoints?.[0] === 'Microsoft.KeyVault'),
    ).toBe(true);
    const officers = resources(dev, 'azurerm_role_assignment').filter((r) => /Officer$/.test(r.role_definition_name));
    expect(officers.map((r) => r.role_definition_name).sort()).toEqual(['Key Vault Certificates Officer', 'Key Vault Secrets Officer']);
    // Given to the identity of the first deployment; another identity's deployment leaves them alone.
    expect(officers.every((r) => r.lifecycle.ignore_changes.includes('principal_id'))).toBe(true);
    expect(
      resources(prod, 'azurerm_role_assignment')
        .filter((r) => /Officer$/.test(r.role_definition_name))
        .map((r) => r.role_definition_name),
    ).toEqual(['Key Vault Secrets Officer']);
    expect(resources(prod, 'azurerm_key_vault')).toHaveLength(1);
  });

  test('IIS binds HTTPS on the MFA and portal servers after the certificates are installed; labs trust the self-signed certificates first', () => {
    const binds = byPath(dev, 'azurerm_virtual_machine_run_command', 'bind-https');
    expect(binds).toHaveLength(4);
    for (const b of binds) {
      expect(b.depends_on).toEqual([expect.stringMatching(/key-vault-certificates/), expect.stringMatching(/trust-lab-certificates/)]);
    }
    expect(byPath(dev, 'azurerm_virtual_machine_run_command', 'trust-lab-certificates')).toHaveLength(8);
    expect(byPath(prod, 'azurerm_virtual_machine_run_command', 'trust-lab-certificates')).toHaveLength(0);
    const trust = byPath(dev, 'azurerm_virtual_machine_run_command', 'wap-1_trust-lab-certificates')[0];
    expect(trust.parameter.map((p: any) => p.value)).toEqual(
      CERTIFICATE_KEYS.map(() => expect.stringMatching(/^\$\{azurerm_key_vault_certificate\.certificates_[A-Za-z]+_[0-9A-F]+\.certificate_data_base64\}$/)),
    );
  });

  test('no certificate or private key passes through the configuration', () => {
    for (const tf of [dev, prod]) {
      const json = JSON.stringify(tf);
      expect(json).not.toMatch(/BEGIN (RSA )?PRIVATE KEY|BEGIN CERTIFICATE|MII[A-Za-z0-9+/]{40}/);
      expect(resources(tf, 'azurerm_key_vault_certificate').every((c) => c.certificate === undefined)).toBe(true);
    }
  });

  test('without a certificates block nothing of this is synthesized', () => {
    const old = synthObject(
      variant('dev', (c) => {
        delete c.certificates;
        withoutFarm(c);
      }),
    );
    for (const type of ['azurerm_user_assigned_identity', 'azurerm_key_vault_certificate']) expect(resources(old, type)).toEqual([]);
    // The only Run Commands are the hardening's, which need no certificate.
    const hardening = ['server-hardening', 'hardening-restart-check', 'windows-laps'];
    expect(resources(old, 'azurerm_virtual_machine_run_command').filter((r) => !hardening.includes(r.name))).toEqual([]);
    expect(resources(old, 'azurerm_virtual_machine_extension').filter((e) => e.type === 'KeyVaultForWindows')).toEqual([]);
    expect(resources(old, 'azurerm_windows_virtual_machine').every((vm) => vm.identity === undefined)).toBe(true);
  });
});
