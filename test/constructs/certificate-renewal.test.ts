import { PROXY_TRUST_EVENT, RENEWAL_RUN_COMMAND } from '../../constructs/certificate-renewal';
import { RENEWAL_EVENTS } from '../../constructs/scripts/renewal';
import { terraformUnescape } from '../../tools/generated-scripts';
import { resources, synthObject, variant, withoutFarm } from '../helpers';

describe('the certificate renewal', () => {
  const prod = synthObject(variant('prod'));
  const installers = Object.entries<any>(prod.resource.azurerm_virtual_machine_run_command).filter(([, c]) => c.name === RENEWAL_RUN_COMMAND);
  const serverOf = (key: string) => /_servers_([a-z]+-\d)_/.exec(key)![1];

  test('installs its task on every AD FS, WAP, MFA and portal server, after that server is configured', () => {
    expect(installers.map(([key]) => key.replace(/_certificate-renewal-task_[0-9A-F]+$/, '')).sort()).toEqual(
      ['adfs-1', 'adfs-2', 'adfs-3', 'mfa-1', 'mfa-2', 'mfa-3', 'portal-1', 'portal-2', 'wap-1', 'wap-2', 'wap-3'].map(
        (s) => `${s.split('-')[0]}_servers_${s}`,
      ),
    );
    const lastStep: Record<string, RegExp> = {
      adfs: /_adfs-restart_/,
      wap: /_(wap-enrollment|wap-publishing)_/,
      mfa: /_(bind-https|azure-monitor-agent)_/,
      portal: /_(bind-https|azure-monitor-agent)_/,
    };
    for (const [key, command] of installers) {
      const server = serverOf(key);
      expect(command.depends_on.some((d: string) => d.includes(`_servers_${server}_`) && lastStep[server.split('-')[0]].test(d))).toBe(true);
      // No secret: the task runs as SYSTEM and reads nothing but the certificate store.
      expect(command.protected_parameter).toBeUndefined();
    }
  });

  test('tells each AD FS and WAP server the private addresses of the other servers of its tier, and the IIS servers nothing', () => {
    for (const [key, command] of installers) {
      const server = serverOf(key);
      const tier = server.split('-')[0];
      if (tier === 'mfa' || tier === 'portal') {
        expect(command.parameter).toBeUndefined();
        continue;
      }
      const nic = (n: string) => Object.keys(prod.resource.azurerm_network_interface).find((k) => k.startsWith(`${tier}_servers_${tier}-${n}_nic_`));
      const others = ['1', '2', '3'].filter((n) => `${tier}-${n}` !== server);
      expect(command.parameter).toEqual([
        { name: 'PeerAddresses', value: others.map((n) => `\${azurerm_network_interface.${nic(n)}.private_ip_address}`).join(',') },
      ]);
    }
  });

  test('gives every server of a tier the same installer, carrying the script for that tier', () => {
    const texts = (tier: string) => new Set(installers.filter(([key]) => key.startsWith(`${tier}_`)).map(([, c]) => terraformUnescape(c.source.script)));
    for (const tier of ['adfs', 'wap', 'mfa', 'portal']) expect(texts(tier).size).toBe(1);
    const script = (tier: string) => Buffer.from(/FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec([...texts(tier)][0])![1], 'base64').toString('utf8');
    expect(script('adfs')).toContain('Write-SslBinding');
    expect(script('wap')).toContain('Set-WebApplicationProxySslCertificate');
    expect(script('mfa')).toContain('IIS:\\SslBindings\\0.0.0.0!443');
    expect(script('mfa')).toContain('mfaapp.contoso.com');
    expect(script('portal')).toContain("'mfa.contoso.com'");
  });

  test('alerts on failures, near expiry and a broken proxy trust from the workspace, per server, to the action group', () => {
    const alerts = resources(prod, 'azurerm_monitor_scheduled_query_rules_alert_v2').filter(
      (a) => !['alert-mfaha-prod-patch-run-failed', 'alert-mfaha-prod-heartbeat-missing'].includes(a.name),
    );
    expect(alerts.map((a) => a.name).sort()).toEqual([
      'alert-mfaha-prod-certificate-near-expiry',
      'alert-mfaha-prod-proxy-trust-broken',
      'alert-mfaha-prod-renewal-failed',
    ]);
    for (const alert of alerts) {
      expect(alert.scopes).toEqual([expect.stringMatching(/^\$\{azurerm_log_analytics_workspace\./)]);
      expect(alert.action.action_groups).toEqual([expect.stringMatching(/^\$\{azurerm_monitor_action_group\./)]);
      expect(alert.criteria[0].dimension).toEqual([{ name: 'Computer', operator: 'Include', values: ['*'] }]);
    }
    expect(alerts.find((a) => a.name.endsWith('renewal-failed'))!.criteria[0].query).toContain(`EventID == ${RENEWAL_EVENTS.failed.id}`);
    const trust = alerts.find((a) => a.name.endsWith('proxy-trust-broken'))!;
    expect([trust.severity, trust.criteria[0].query]).toEqual([
      1,
      expect.stringContaining(`EventLog == "${PROXY_TRUST_EVENT.log}" and EventID == ${PROXY_TRUST_EVENT.id}`),
    ]);
  });

  test('has no alerts without monitoring; without certificates or a farm, no task', () => {
    expect(resources(synthObject(variant('prod', (c) => delete c.monitoring)), 'azurerm_monitor_scheduled_query_rules_alert_v2')).toEqual([]);
    const neither = synthObject(
      variant('dev', (c) => {
        withoutFarm(c);
        delete c.certificates;
      }),
    );
    expect(Object.values<any>(neither.resource.azurerm_virtual_machine_run_command ?? {}).filter((c) => c.name === RENEWAL_RUN_COMMAND)).toEqual([]);
  });
});
