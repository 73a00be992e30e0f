import { resources, synthObject, TerraformJson, variant, withoutFarm } from '../helpers';

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
const after = (body: any) => (body.depends_on ?? []).map((d: string) => d.replace(/^azurerm_[a-z_]+\.[a-z]+_servers_([a-z]+-\d+)_([a-z-]+)_[0-9A-F]+$/, '$1/$2'));

describe('AD FS farm and Web Application Proxy configuration', () => {
  const prod = synthObject(variant('prod'));
  const commands = runCommands(prod);

  test('the first AD FS server creates the farm once its certificate is installed', () => {
    const create = commands.get('adfs-1/adfs-farm');
    expect(create.source.script).toContain('Install-AdfsFarm @farm');
    // prod has monitoring on: the farm waits for the agent, which waits for the certificates.
    expect(after(create)).toEqual(['adfs-1/azure-monitor-agent']);
    const agent = Object.entries<any>(prod.resource.azurerm_virtual_machine_extension).find(([k]) => k.startsWith('adfs_servers_adfs-1_azure-monitor-agent_'))![1];
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
      expect(commands.get(`adfs-${n}/adfs-farm`).source.script).toContain("Add-AdfsFarmNode @farm");
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

  test('credentials reach the servers only as protected parameters that reference Key Vault secrets', () => {
    const secrets = Object.entries<any>(prod.data!.azurerm_key_vault_secret);
    const admin = secrets.find(([, s]) => s.name === 'adfs-admin-password');
    expect(admin).toBeDefined();
    for (const [key, body] of commands) {
      for (const p of body.protected_parameter ?? []) expect([key, p.value]).toEqual([key, expect.stringMatching(/^\$\{base64encode\(data\.azurerm_key_vault_secret\.[A-Za-z0-9_-]+\.value\)\}$/)]);
      for (const p of body.parameter ?? []) expect([key, p.name]).toEqual([key, expect.not.stringMatching(/password/i)]);
      expect(body.run_as_password).toBeUndefined();
    }
    expect(commands.get('adfs-1/adfs-farm').protected_parameter).toEqual([{ name: 'AdminPassword', value: `\${base64encode(data.azurerm_key_vault_secret.${admin![0]}.value)}` }]);
    // The proxies register with a credential of their own: the farm admin's password never goes to the perimeter.
    const trust = secrets.find(([, s]) => s.name === 'adfs-proxy-trust-password' && s.key_vault_id.endsWith('/vaults/kv-identity-perimeter'));
    expect(trust).toBeDefined();
    expect(commands.get('wap-2/wap-enrollment').protected_parameter).toEqual([{ name: 'TrustPassword', value: `\${base64encode(data.azurerm_key_vault_secret.${trust![0]}.value)}` }]);
    expect(commands.get('wap-2/wap-enrollment').source.script).toContain("'CONTOSO\\adfs-proxy-trust'");
  });

  test('a classic service account and a separate proxy trust account read their own secrets', () => {
    const tf = synthObject(variant('prod', (c) => {
      const vault = c.adfs.farm.adminCredential.passwordSecret.keyVaultResourceId;
      c.adfs.farm = { serviceAccount: { username: 'CONTOSO\\svc-adfs', passwordSecret: { keyVaultResourceId: vault, secretName: 'svc-adfs' } }, adminCredential: c.adfs.farm.adminCredential };
      c.wap.trustCredential = { username: 'CONTOSO\\wap-trust', passwordSecret: { keyVaultResourceId: vault, secretName: 'wap-trust' } };
    }));
    const all = runCommands(tf);
    expect(all.get('adfs-2/adfs-farm').protected_parameter.map((p: any) => p.name)).toEqual(['AdminPassword', 'ServiceAccountPassword']);
    expect(all.get('wap-1/wap-enrollment').source.script).toContain("'CONTOSO\\wap-trust'");
    const names = Object.values<any>(tf.data!.azurerm_key_vault_secret).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['adfs-admin-password', 'svc-adfs', 'wap-trust']));
  });

  test('scripts name servers and services, never addresses (0.0.0.0 is IIS\'s every-address binding)', () => {
    for (const [key, body] of commands) {
      const addresses = (body.source.script.match(/\b\d{1,3}(\.\d{1,3}){3}\b/g) ?? []).filter((a: string) => a !== '0.0.0.0');
      expect([key, addresses]).toEqual([key, []]);
    }
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
    expect([...runCommands(tf).keys()].filter((k) => /adfs-farm|adfs-restart|wap-/.test(k))).toEqual([]);
    expect(resources(tf, 'azurerm_virtual_machine_run_command').length).toBeGreaterThan(0);
  });
});
