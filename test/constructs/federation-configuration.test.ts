import { dnsRecordsOf } from '../../config/dns-records';
import { resources, shippedInput, synthObject, TerraformJson, validate, variant, withoutFarm } from '../helpers';

/** Run commands by `server/command`, e.g. `adfs-2/adfs-farm`. */
function runCommands(tf: TerraformJson): Map<string, any> {
  return new Map(
    Object.entries<any>(tf.resource.azurerm_virtual_machine_run_command ?? {}).map(([key, body]) => {
      const [, server, command] = /^[a-z]+_servers_([a-z]+-\d+)_([a-z-]+)_[0-9A-F]+$/.exec(key)!;
      return [`${server}/${command}`, body];
    }),
  );
}
/** What a resource waits for, as `server/step`. */
const after = (body: any) =>
  (body.depends_on ?? []).map((d: string) => d.replace(/^azurerm_[a-z_]+\.[a-z]+_servers_([a-z]+-\d+)_([a-z-]+)_[0-9A-F]+$/, '$1/$2'));

describe('AD FS farm and Web Application Proxy configuration', () => {
  const prod = synthObject(variant('prod'));
  const commands = runCommands(prod);

  test('the first AD FS server creates the farm once its certificate is installed', () => {
    const create = commands.get('adfs-1/adfs-farm');
    expect(create.source.script).toContain('Install-AdfsFarm @farm');
    // prod has monitoring on: the farm waits for the agent, which waits for the certificates.
    expect(after(create)).toEqual(['adfs-1/azure-monitor-agent', expect.stringMatching(/^azurerm_role_assignment\.federation_adfs-reads-admin-password_/)]);
    const agent = Object.entries<any>(prod.resource.azurerm_virtual_machine_extension).find(([k]) =>
      k.startsWith('adfs_servers_adfs-1_azure-monitor-agent_'),
    )![1];
    expect(after(agent)).toEqual(['adfs-1/key-vault-certificates']);
  });

  test('each AD FS server restarts after its farm script, and the next step waits until it answers again', () => {
    const sleeps = prod.resource.time_sleep as Record<string, any>;
    for (const n of [1, 2, 3]) {
      const [key, sleep] = Object.entries<any>(sleeps).find(([k]) => k.startsWith(`adfs_servers_adfs-${n}_adfs-farm-restart-delay_`))!;
      expect(after(sleep)).toEqual([`adfs-${n}/adfs-farm`]);
      expect(sleep.create_duration).toBe('180s');
      expect(after(commands.get(`adfs-${n}/adfs-restart`))).toEqual([`time_sleep.${key}`]);
      expect(commands.get(`adfs-${n}/adfs-restart`).source.script).toContain("Test-AdfsProbe -Computer 'localhost'");
    }
  });

  test('the others join it one after another, only after the previous one restarted', () => {
    expect(after(commands.get('adfs-2/adfs-farm'))).toContain('adfs-1/adfs-restart');
    expect(after(commands.get('adfs-3/adfs-farm'))).toContain('adfs-2/adfs-restart');
    for (const n of [2, 3]) {
      expect(commands.get(`adfs-${n}/adfs-farm`).source.script).toContain('Add-AdfsFarmNode @farm');
      expect(commands.get(`adfs-${n}/adfs-farm`).source.script).toContain("$farm['PrimaryComputerName'] = 'prod-adfs1.contoso.com'");
    }
  });

  test('each proxy registers after the farm exists, one after another; the first then publishes the portal once the last AD FS server joined', () => {
    expect(after(commands.get('wap-1/wap-enrollment'))).toContain('adfs-1/adfs-restart');
    expect(after(commands.get('wap-2/wap-enrollment'))).toContain('wap-1/wap-enrollment');
    expect(after(commands.get('wap-3/wap-enrollment'))).toContain('wap-2/wap-enrollment');
    expect(after(commands.get('wap-1/wap-publishing'))).toEqual(['wap-1/wap-enrollment', 'adfs-3/adfs-restart']);
    expect([...commands.keys()].filter((k) => k.endsWith('/wap-publishing'))).toEqual(['wap-1/wap-publishing']);
  });

  /** The secrets each identity may read: `<identity> -> <vault>/<secret>`, from the role assignments scoped to a secret. */
  const readers = (tf: TerraformJson) =>
    Object.values<any>(tf.resource.azurerm_role_assignment)
      // (The certificates' readers are test/constructs/certificates.test.ts's.)
      .filter((r) => /\/secrets\/[^/]+$/.test(r.scope) && !r.scope.includes('kv-identity-certs'))
      .map((r) => `${/user_assigned_identity\.identities_([a-z]+)_/.exec(r.principal_id)?.[1]} -> ${r.scope.split('/').slice(-3).join('/')}`)
      .sort();

  test('no password reaches Terraform nor a Run Command: each server reads its own from Key Vault with its identity', () => {
    // No data source reads them: their values are in neither the plan nor the state.
    const read = Object.values<any>(prod.data?.azurerm_key_vault_secret ?? {}).map((s) => s.name);
    expect(read).not.toEqual(expect.arrayContaining(['adfs-admin-password']));
    expect(read).not.toContain('adfs-proxy-trust-password');
    for (const [key, body] of commands) {
      expect([key, body.protected_parameter, body.run_as_password]).toEqual([key, undefined, undefined]);
      for (const p of body.parameter ?? []) expect([key, p.name]).toEqual([key, expect.not.stringMatching(/password|secret/i)]);
    }
    expect(commands.get('adfs-1/adfs-farm').parameter).toEqual([
      { name: 'IdentityClientId', value: expect.stringMatching(/^\$\{azurerm_user_assigned_identity\.identities_adfs_[0-9A-F]+\.client_id\}$/) },
    ]);
    expect(commands.get('wap-2/wap-enrollment').parameter).toEqual([
      { name: 'IdentityClientId', value: expect.stringMatching(/^\$\{azurerm_user_assigned_identity\.identities_wap_[0-9A-F]+\.client_id\}$/) },
    ]);
    // The AD FS servers may read the farm admin's password; the proxies their own trust credential's, and nothing else.
    expect(readers(prod)).toEqual(['adfs -> kv-identity-shared/secrets/adfs-admin-password', 'wap -> kv-identity-perimeter/secrets/adfs-proxy-trust-password']);
    expect(commands.get('wap-2/wap-enrollment').source.script).toContain("'CONTOSO\\adfs-proxy-trust'");
    expect(commands.get('wap-2/wap-enrollment').source.script).toContain(
      "-VaultName 'kv-identity-perimeter' -SecretName 'adfs-proxy-trust-password' -ClientId $IdentityClientId",
    );
  });

  test('a classic service account and a separate proxy trust account read their own secrets', () => {
    const tf = synthObject(
      variant('prod', (c) => {
        const vault = c.adfs.farm.adminCredential.passwordSecret.keyVaultResourceId;
        c.adfs.farm = {
          serviceAccount: { username: 'CONTOSO\\svc-adfs', passwordSecret: { keyVaultResourceId: vault, secretName: 'svc-adfs' } },
          adminCredential: c.adfs.farm.adminCredential,
        };
        c.wap.trustCredential = {
          username: 'CONTOSO\\wap-trust',
          passwordSecret: { keyVaultResourceId: vault.replace('kv-identity-shared', 'kv-identity-perimeter'), secretName: 'wap-trust' },
        };
      }),
    );
    const all = runCommands(tf);
    expect(all.get('adfs-2/adfs-farm').parameter.map((p: any) => p.name)).toEqual(['IdentityClientId']);
    expect(all.get('adfs-2/adfs-farm').source.script).toContain("-SecretName 'svc-adfs'");
    expect(all.get('wap-1/wap-enrollment').source.script).toContain("'CONTOSO\\wap-trust'");
    expect(readers(tf)).toEqual([
      'adfs -> kv-identity-shared/secrets/adfs-admin-password',
      'adfs -> kv-identity-shared/secrets/svc-adfs',
      'wap -> kv-identity-perimeter/secrets/wap-trust',
    ]);
  });

  test("scripts name servers and services, never addresses (0.0.0.0 is IIS's every-address binding)", () => {
    for (const [key, body] of commands) {
      const addresses = (body.source.script.match(/\b\d{1,3}(\.\d{1,3}){3}\b/g) ?? []).filter((a: string) => a !== '0.0.0.0' && a !== '169.254.169.254');
      expect([key, addresses]).toEqual([key, []]);
    }
  });

  test('the user portal is published only when the file asks for it: an environment file that does not say publishes nothing', () => {
    // GIVEN prod without wap.publishMfaPortalEnabled (the field an environment file written before it never had)
    const input = variant('prod', (c) => delete c.wap.publishMfaPortalEnabled);
    // WHEN synthesized THEN no proxy publishes the portal, and the portal name gets no public record
    expect([...runCommands(synthObject(input)).keys()].filter((k) => k.endsWith('/wap-publishing'))).toEqual([]);
    expect(
      dnsRecordsOf(validate(input))
        .filter((r) => r.view === 'public')
        .map((r) => r.fqdn),
    ).toEqual(['sts.contoso.com']);
  });

  test('the shipped prod publishes the portal because its file says so', () => {
    expect(shippedInput('prod').wap.publishMfaPortalEnabled).toBe(true);
    expect([...commands.keys()].filter((k) => k.endsWith('/wap-publishing'))).toEqual(['wap-1/wap-publishing']);
  });

  test('follows a promotion of the WID primary (adfs.primaryIndex): it creates, the others join it, the proxies write through it', () => {
    const promoted = runCommands(synthObject(variant('prod', (c) => (c.adfs.primaryIndex = 1))));
    expect(promoted.get('adfs-2/adfs-farm').source.script).toContain('Install-AdfsFarm @farm');
    for (const n of [1, 3]) expect(promoted.get(`adfs-${n}/adfs-farm`).source.script).toContain("$farm['PrimaryComputerName'] = 'prod-adfs2.contoso.com'");
    expect(after(promoted.get('adfs-1/adfs-farm'))).toContain('adfs-2/adfs-restart');
    expect(promoted.get('wap-1/wap-enrollment').source.script).toContain("Resolve-DnsName -Name 'prod-adfs2.contoso.com'");
  });

  test('switched off, the farm is left alone: roles only', () => {
    const tf = synthObject(variant('prod', withoutFarm));
    expect([...runCommands(tf).keys()].filter((k) => /\/(adfs-farm|adfs-restart|wap-[a-z]+|extranet-lockout)$/.test(k))).toEqual([]);
    expect(resources(tf, 'azurerm_virtual_machine_run_command').length).toBeGreaterThan(0);
  });
});
