import { synthObject, TerraformJson, variant, withoutFarm } from '../helpers';

/*
 * The hardening in the synthesized Terraform (constructs/server-hardening.ts): which server runs what, and who waits
 * for whom. What each script does on a server runs under Pester (test/powershell/ServerHardening.Tests.ps1).
 */

/** Run commands by `server/command`, e.g. `adfs-2/server-hardening`. */
function runCommands(tf: TerraformJson): Map<string, any> {
  return new Map(
    Object.entries<any>(tf.resource.azurerm_virtual_machine_run_command ?? {}).map(([key, body]) => {
      const [, server, command] = /^[a-z]+_servers_([a-z]+-\d+)_([a-z-]+)_[0-9A-F]+$/.exec(key)!;
      return [`${server}/${command}`, body];
    }),
  );
}

/** A dependency as `server/step` (Run Commands, extensions, the restart waits), or `barrier`. */
const named = (d: string) =>
  d.startsWith('time_sleep.hardening_configured_') ? 'barrier' : d.replace(/^[a-z_]+\.[a-z]+_servers_([a-z]+-\d+)_([a-z-]+)_[0-9A-F]+$/, '$1/$2');
const after = (body: any): string[] => (body.depends_on ?? []).map(named);

/** The servers of a tier in the order they restart: each one's hardening waits for the previous one's check. */
function restartOrder(commands: Map<string, any>, tier: string): string[] {
  const hardened = [...commands.keys()].filter((k) => k.startsWith(`${tier}-`) && k.endsWith('/server-hardening')).map((k) => k.split('/')[0]);
  const order = hardened.filter((s) => !after(commands.get(`${s}/server-hardening`)).some((d) => d.endsWith('/hardening-restart-check')));
  expect(order).toHaveLength(1);
  while (order.length < hardened.length) {
    const next = hardened.find((s) => after(commands.get(`${s}/server-hardening`)).includes(`${order[order.length - 1]}/hardening-restart-check`));
    expect(next).toBeDefined();
    order.push(next!);
  }
  return order;
}

describe('server hardening of prod', () => {
  const prod = synthObject(variant('prod'));
  const commands = runCommands(prod);
  const sleeps = Object.entries<any>(prod.resource.time_sleep ?? {});

  test('every AD FS, WAP, MFA and portal server hardens TLS, then checks its restart, with no parameter at all', () => {
    const servers = Object.keys(prod.resource.azurerm_windows_virtual_machine).map((k) => /_servers_([a-z]+-\d+)_/.exec(k)![1]);
    expect(servers).toHaveLength(11);
    for (const server of servers) {
      for (const step of ['server-hardening', 'hardening-restart-check']) {
        const body = commands.get(`${server}/${step}`);
        expect([server, step, body?.parameter, body?.protected_parameter]).toEqual([server, step, undefined, undefined]);
      }
      expect(commands.get(`${server}/server-hardening`).source.script).toContain(
        "$key = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\{0}\\{1}' -f $protocol, $side",
      );
    }
  });

  test.each([
    ['mfa', ['mfa-2', 'mfa-3', 'mfa-1']],
    ['adfs', ['adfs-2', 'adfs-3', 'adfs-1']],
    ['portal', ['portal-1', 'portal-2']],
    ['wap', ['wap-1', 'wap-2', 'wap-3']],
  ])('%s restarts one server at a time, in the order it is patched (the master and the WID primary last)', (tier, order) => {
    expect(restartOrder(commands, tier)).toEqual(order);
  });

  test('a check waits for its restart: longer than the restart delay, and again whenever its hardening runs again', () => {
    for (const server of ['adfs-1', 'wap-2', 'mfa-3', 'portal-1']) {
      const check = commands.get(`${server}/hardening-restart-check`);
      const [wait] = after(check);
      expect(wait).toBe(`${server}/hardening-restart-wait`);
      const [, sleep] = sleeps.find(([k]) => k.startsWith(`${server.split('-')[0]}_servers_${server}_hardening-restart-wait_`))!;
      expect(after(sleep)).toEqual([`${server}/server-hardening`]);
      expect(Number(sleep.create_duration.replace(/s$/, ''))).toBeGreaterThan(60);
      // A new Run Command (a new server) or a new script replaces the wait, which then waits again.
      expect(sleep.triggers.hardening).toMatch(
        new RegExp(`^\\$\\{azurerm_virtual_machine_run_command\\.[a-z]+_servers_${server}_server-hardening_[0-9A-F]+\\.id\\}$`),
      );
      expect(sleep.triggers.definition).toMatch(/^[0-9a-f]{12}$/);
      expect(check.source.script).toContain(`definition ${sleep.triggers.definition}`);
    }
  });

  test('nothing restarts while a configuration step runs: the first server of each tier waits for every Run Command and extension', () => {
    const [, barrier] = sleeps.find(([k]) => k.startsWith('hardening_configured_'))!;
    const configuration = [
      ...Object.keys(prod.resource.azurerm_virtual_machine_extension).map((k) => `azurerm_virtual_machine_extension.${k}`),
      ...Object.entries<any>(prod.resource.azurerm_virtual_machine_run_command)
        .filter(([, body]) => !['server-hardening', 'hardening-restart-check', 'extranet-lockout', 'windows-laps'].includes(body.name))
        .map(([k]) => `azurerm_virtual_machine_run_command.${k}`),
    ];
    expect([...barrier.depends_on].sort()).toEqual(configuration.sort());
    for (const first of ['mfa-2', 'portal-1', 'wap-1']) expect(after(commands.get(`${first}/server-hardening`))).toEqual(['barrier']);
  });

  test('the extranet lockout is set on the WID primary first, and every AD FS server restarts after it', () => {
    const lockout = commands.get('adfs-1/extranet-lockout');
    expect(after(lockout)).toEqual(['barrier']);
    expect(lockout.source.script).toContain("Set-AdfsProperties -ExtranetLockoutMode 'ADFSSmartLockoutLogOnly' -Confirm:$false");
    expect(after(commands.get('adfs-2/server-hardening'))).toEqual(['adfs-1/extranet-lockout']);
    expect([...commands.keys()].filter((k) => k.endsWith('/extranet-lockout'))).toEqual(['adfs-1/extranet-lockout']);
    for (const server of ['adfs-1', 'adfs-2', 'adfs-3'])
      expect(commands.get(`${server}/server-hardening`).source.script).toContain("Restart-Service -Name 'adfssrv' -Force");
  });

  test('Windows LAPS on every domain member once its restart is checked, never on the proxies', () => {
    const laps = [...commands.keys()]
      .filter((k) => k.endsWith('/windows-laps'))
      .map((k) => k.split('/')[0])
      .sort();
    expect(laps).toEqual(['adfs-1', 'adfs-2', 'adfs-3', 'mfa-1', 'mfa-2', 'mfa-3', 'portal-1', 'portal-2']);
    for (const server of laps) expect(after(commands.get(`${server}/windows-laps`))).toEqual([`${server}/hardening-restart-check`]);
    // prod names its OU: the precondition names it too.
    expect(commands.get('mfa-1/windows-laps').source.script).toContain("'OU=MFA,OU=Servers,DC=contoso,DC=com'");
  });
});

describe('server hardening switched off, or without a farm', () => {
  test('without TLS hardening and LAPS, only the extranet lockout and the AD FS restarts it needs remain', () => {
    const commands = runCommands(synthObject(variant('prod', (c) => (c.hardening = { tlsHardeningEnabled: false, laps: { enabled: false } }))));
    const hardening = [...commands.keys()].filter((k) => /\/(server-hardening|hardening-restart-check|windows-laps|extranet-lockout)$/.test(k)).sort();
    expect(hardening).toEqual([
      'adfs-1/extranet-lockout',
      ...['adfs-1', 'adfs-2', 'adfs-3'].flatMap((s) => [`${s}/hardening-restart-check`, `${s}/server-hardening`]),
    ]);
    expect(commands.get('adfs-2/server-hardening').source.script).not.toContain('SCHANNEL');
  });

  test('without a farm: no extranet lockout, and AD FS and the proxies are checked for their restart only, since nothing serves yet', () => {
    const commands = runCommands(synthObject(variant('prod', withoutFarm)));
    expect([...commands.keys()].filter((k) => k.endsWith('/extranet-lockout'))).toEqual([]);
    for (const server of ['adfs-1', 'wap-1'])
      expect(commands.get(`${server}/hardening-restart-check`).source.script).toContain('nothing serves on this server yet');
    expect(commands.get('portal-1/hardening-restart-check').source.script).toContain("Test-NetConnection -ComputerName 'localhost' -Port 443");
  });
});
