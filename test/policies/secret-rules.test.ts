import { isReference, noSecretLiterals } from '../../constructs/policies/no-secret-literals';
import { perimeterSecrets } from '../../constructs/policies/perimeter-secrets';
import { bodies, compliantCount, only, shipped, verdicts, violations } from './fixtures';

describe('MFAHA-SEC-01 no secret literal in the configuration', () => {
  test.each(['dev', 'prod'] as const)('holds for every block of the shipped %s environment: passwords are references', (name) => {
    const synthesized = shipped(name);
    expect(violations(noSecretLiterals, synthesized)).toEqual({});
    expect(compliantCount(noSecretLiterals, synthesized)).toBeGreaterThan(100);
    const [vm] = only(synthesized.json, 'azurerm_windows_virtual_machine', 'mfa-1/Resource');
    expect(verdicts(noSecretLiterals, synthesized).get(`azurerm_windows_virtual_machine.${vm}`)).toBe('compliant');
  });

  test('fails a literal VM admin password', () => {
    const dev = shipped('dev');
    const [name, vm] = only(dev.json, 'azurerm_windows_virtual_machine', 'portal-1/Resource');
    vm.admin_password = 'Passw0rd!Passw0rd!';
    expect(violations(noSecretLiterals, dev)).toEqual({
      [`azurerm_windows_virtual_machine.${name}`]: 'admin_password holds a literal; use a reference to a generated or Key Vault secret',
    });
  });

  test('fails a literal Key Vault secret value', () => {
    const dev = shipped('dev');
    const [name, secret] = only(dev.json, 'azurerm_key_vault_secret', 'wap-admin-password-secret');
    secret.value = 'hunter2';
    expect(violations(noSecretLiterals, dev)).toEqual({ [`azurerm_key_vault_secret.${name}`]: expect.stringMatching(/^value holds a literal/) });
  });

  test('fails a literal password in protected settings and inside JSON-encoded settings', () => {
    const prod = shipped('prod');
    const [join, extension] = only(prod.json, 'azurerm_virtual_machine_extension', 'adfs-1/domain-join');
    extension.protected_settings = JSON.stringify({ Password: 'hunter2' });
    const [setup, script] = only(prod.json, 'azurerm_virtual_machine_extension', 'adfs-2/setup');
    script.settings = JSON.stringify({ commandToExecute: 'x', storageAccountKey: 'abc==' });
    expect(violations(noSecretLiterals, prod)).toEqual({
      [`azurerm_virtual_machine_extension.${join}`]: expect.stringMatching(/^protected_settings holds a literal/),
      [`azurerm_virtual_machine_extension.${setup}`]: expect.stringMatching(/^settings\.storageAccountKey holds a literal/),
    });
  });

  test('fails a literal backend access key and provider client secret', () => {
    const prod = shipped('prod');
    prod.json.terraform.backend.azurerm.access_key = 'c2VjcmV0';
    prod.json.provider.azurerm[0].client_secret = 's3cr3t';
    expect(violations(noSecretLiterals, prod)).toEqual({
      'terraform.backend.azurerm': expect.stringMatching(/^access_key holds a literal/),
      'provider.azurerm': expect.stringMatching(/^client_secret holds a literal/),
    });
  });

  test('fails literal text around a reference, accepts a whole reference and a tag that merely names a secret', () => {
    const dev = shipped('dev');
    const [name, vm] = only(dev.json, 'azurerm_windows_virtual_machine', 'wap-2/Resource');
    vm.admin_password = 'prefix-${random_password.x.result}';
    expect(Object.keys(violations(noSecretLiterals, dev))).toEqual([`azurerm_windows_virtual_machine.${name}`]);
    vm.admin_password = '${var.admin_password}';
    vm.tags['password-policy'] = 'rotated yearly';
    expect(violations(noSecretLiterals, dev)).toEqual({});
  });

  test.each([
    ['${random_password.x.result}', true],
    ['${jsonencode({"Password" = data.azurerm_key_vault_secret.x.value})}', true],
    ['${a}-${b}', false],
    ['${a}x', false],
    ['${unclosed', false],
    ['plain', false],
  ])('isReference(%p) is %p', (text, expected) => expect(isReference(text)).toBe(expected));
});

describe('MFAHA-SEC-03 no perimeter server receives a secret of the internal tiers', () => {
  test.each(['dev', 'prod'] as const)('holds for the shipped %s environment: each proxy registers with its own trust credential', (name) => {
    const synthesized = shipped(name);
    expect(violations(perimeterSecrets, synthesized)).toEqual({});
    // Every proxy's enrollment was judged, not skipped.
    const enrollments = bodies(synthesized.json, 'azurerm_virtual_machine_run_command', 'wap-enrollment').map(
      ([n]) => `azurerm_virtual_machine_run_command.${n}`,
    );
    expect(enrollments.length).toBeGreaterThanOrEqual(2);
    for (const address of enrollments) expect(verdicts(perimeterSecrets, synthesized).get(address)).toBe('compliant');
  });

  test("fails a proxy's Run Command that reads the farm admin's secret at plan time", () => {
    const prod = shipped('prod');
    const vault =
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-identity-shared/providers/Microsoft.KeyVault/vaults/kv-identity-shared';
    prod.json.data.azurerm_key_vault_secret.leak = { name: 'adfs-admin-password', key_vault_id: vault };
    const [name, enrollment] = only(prod.json, 'azurerm_virtual_machine_run_command', 'wap-2/wap-enrollment');
    enrollment.protected_parameter = [{ name: 'AdminPassword', value: '${base64encode(data.azurerm_key_vault_secret.leak.value)}' }];
    expect(violations(perimeterSecrets, prod)).toEqual({
      [`azurerm_virtual_machine_run_command.${name}`]: expect.stringMatching(
        /^a perimeter server receives the internal secret adfs-admin-password of kv-identity-shared/,
      ),
    });
  });

  test("holds for the proxies' own role: they read the trust credential's password, which is theirs", () => {
    const prod = shipped('prod');
    const [name] = only(prod.json, 'azurerm_role_assignment', 'wap-reads-trust-password');
    expect(verdicts(perimeterSecrets, prod).get(`azurerm_role_assignment.${name}`)).toBe('compliant');
  });

  test.each([
    ["the farm admin's secret", '/secrets/adfs-admin-password', 'adfs-admin-password'],
    // The whole vault: the first internal secret it holds is named.
    ['the internal vault', '', 'domain-join-password'],
  ])("fails a role that lets the proxies' identity read %s at run time", (_, suffix, secret) => {
    const prod = shipped('prod');
    const [name, role] = only(prod.json, 'azurerm_role_assignment', 'wap-reads-trust-password');
    role.scope = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-identity-shared/providers/Microsoft.KeyVault/vaults/kv-identity-shared${suffix}`;
    expect(violations(perimeterSecrets, prod)).toEqual({
      [`azurerm_role_assignment.${name}`]: expect.stringMatching(
        new RegExp(`^the proxies' identity may read the internal secret ${secret} of kv-identity-shared`),
      ),
    });
  });

  test("ignores the same role given to the AD FS servers' identity", () => {
    const prod = shipped('prod');
    const [name, role] = only(prod.json, 'azurerm_role_assignment', 'adfs-reads-admin-password');
    expect(role.scope).toMatch(/kv-identity-shared\/secrets\/adfs-admin-password$/);
    expect(verdicts(perimeterSecrets, prod).get(`azurerm_role_assignment.${name}`)).toBe('n/a');
  });

  test("fails a proxy's extension that carries the domain-join secret's URL, and ignores the same on an AD FS server", () => {
    const prod = shipped('prod');
    const url = 'https://KV-IDENTITY-SHARED.vault.azure.net/secrets/domain-join-password';
    const [name, extension] = only(prod.json, 'azurerm_virtual_machine_extension', 'wap-1/setup');
    extension.settings = JSON.stringify({ commandToExecute: `powershell -File x.ps1 -Secret ${url}` });
    const [, adfs] = only(prod.json, 'azurerm_virtual_machine_extension', 'adfs-1/setup');
    adfs.settings = JSON.stringify({ commandToExecute: `powershell -File x.ps1 -Secret ${url}` });
    expect(violations(perimeterSecrets, prod)).toEqual({
      [`azurerm_virtual_machine_extension.${name}`]: expect.stringMatching(/internal secret domain-join-password/),
    });
  });
});
