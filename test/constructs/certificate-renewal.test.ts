import { RENEWAL_RUN_COMMAND } from '../../constructs/certificate-renewal';
import { RENEWAL_EVENTS } from '../../constructs/scripts/renewal';
import { terraformUnescape } from '../../tools/generated-scripts';
import { resources, synthObject, variant, withoutFarm } from '../helpers';

describe('the certificate renewal', () => {
  const prod = synthObject(variant('prod'));
  const installers = Object.entries<any>(prod.resource.azurerm_virtual_machine_run_command).filter(([, c]) => c.name === RENEWAL_RUN_COMMAND);

  test('installs its task on every AD FS and WAP server, after the farm or proxy configuration of that server', () => {
    expect(installers.map(([key]) => key.replace(/_certificate-renewal-task_[0-9A-F]+$/, '')).sort()).toEqual(
      ['adfs-1', 'adfs-2', 'adfs-3'].map((s) => `adfs_servers_${s}`).concat(['wap-1', 'wap-2', 'wap-3'].map((s) => `wap_servers_${s}`)),
    );
    for (const [key, command] of installers) {
      const server = /_servers_([a-z]+-\d)_/.exec(key)![1];
      expect(command.depends_on).toHaveLength(1);
      expect(command.depends_on[0]).toMatch(new RegExp(`^azurerm_virtual_machine_run_command\\.[a-z]+_servers_${server}_(adfs-farm|wap-enrollment|wap-publishing)_`));
      // No secret: the task runs as SYSTEM and reads nothing but the certificate store.
      expect(command.parameter).toBeUndefined();
      expect(command.protected_parameter).toBeUndefined();
    }
  });

  test('gives every server of a tier the same installer, carrying the script for that tier', () => {
    const texts = (tier: string) => new Set(installers.filter(([key]) => key.startsWith(`${tier}_`)).map(([, c]) => terraformUnescape(c.source.script)));
    for (const tier of ['adfs', 'wap']) expect(texts(tier).size).toBe(1);
    const [adfs] = [...texts('adfs')];
    const [wap] = [...texts('wap')];
    expect(adfs).not.toBe(wap);
    const script = (installer: string) => Buffer.from(/FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(installer)![1], 'base64').toString('utf8');
    expect(script(adfs)).toContain('Set-AdfsCertificate');
    expect(script(wap)).toContain('Set-WebApplicationProxySslCertificate');
  });

  test('alerts on failures and near expiry from the workspace, per server, to the action group', () => {
    const alerts = resources(prod, 'azurerm_monitor_scheduled_query_rules_alert_v2');
    expect(alerts.map((a) => a.name).sort()).toEqual(['alert-mfaha-prod-certificate-near-expiry', 'alert-mfaha-prod-renewal-failed']);
    for (const alert of alerts) {
      expect(alert.scopes).toEqual([expect.stringMatching(/^\$\{azurerm_log_analytics_workspace\./)]);
      expect(alert.action.action_groups).toEqual([expect.stringMatching(/^\$\{azurerm_monitor_action_group\./)]);
      expect(alert.criteria[0].dimension).toEqual([{ name: 'Computer', operator: 'Include', values: ['*'] }]);
    }
    const failed = alerts.find((a) => a.name.endsWith('renewal-failed'))!;
    expect(failed.criteria[0].query).toContain(`EventID == ${RENEWAL_EVENTS.failed.id}`);
  });

  test('has no alerts without monitoring, and no task without a farm the toolkit configures', () => {
    expect(resources(synthObject(variant('prod', (c) => delete c.monitoring)), 'azurerm_monitor_scheduled_query_rules_alert_v2')).toEqual([]);
    const farmless = synthObject(variant('dev', withoutFarm));
    expect(Object.values<any>(farmless.resource.azurerm_virtual_machine_run_command ?? {}).filter((c) => c.name === RENEWAL_RUN_COMMAND)).toEqual([]);
  });
});
