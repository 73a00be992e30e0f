import { receiverNames } from '../../config/receivers';
import { SERVER_HEALTH_ALERT } from '../../constructs/health-alerts';
import { allowedFlows } from '../../constructs/traffic-flows';
import { EVENT_LOGS, MFA_SERVER_LOG_FILES } from '../../constructs/server-logs';
import { flowOptionsOf } from '../../stacks/environment-options';
import { resources, synthObject, TerraformJson, validate, variant, withoutFarm } from '../helpers';

const alertsOf = (tf: TerraformJson) => new Map(resources(tf, 'azurerm_monitor_metric_alert').map((a) => [a.name.replace(/^alert-mfaha-[a-z0-9]+-/, ''), a]));
/** The load balancer an alert watches, by the tier suffix of its name (lbi-mfaha-prod-mfaapp → mfaapp). */
function lbNameOf(tf: TerraformJson, scope: string): string {
  const key = /^\$\{azurerm_lb\.([^.]+)\.id\}$/.exec(scope)![1];
  return tf.resource.azurerm_lb[key].name;
}

describe("health alerts from the load balancers' probes", () => {
  const prod = synthObject(variant('prod'));
  const alerts = alertsOf(prod);

  test('master down: critical, on mfaapp, filtered to the replication port, the master-only pool', () => {
    const alert = alerts.get('mfa-master-down')!;
    expect(lbNameOf(prod, alert.scopes[0])).toBe('lbi-mfaha-prod-mfaapp');
    expect(alert.severity).toBe(0);
    expect(alert.criteria).toEqual([
      {
        metric_namespace: 'Microsoft.Network/loadBalancers',
        metric_name: 'DipAvailability',
        aggregation: 'Average',
        operator: 'LessThan',
        threshold: 90,
        dimension: [{ name: 'BackendPort', operator: 'Include', values: ['4443'] }],
      },
    ]);
    expect(alert.description).toContain('no user can be added and no setting or PIN can change until a subordinate is promoted');
    expect(alert.description).toContain('Promoting a subordinate to master');
  });

  test('follows the configured replication port', () => {
    const alert = alertsOf(synthObject(variant('prod', (c) => (c.mfa.replicationPort = 5443)))).get('mfa-master-down')!;
    expect(alert.criteria[0].dimension[0].values).toEqual(['5443']);
  });

  test.each([
    ['mfa', 'lbi-mfaha-prod-mfaapp'],
    ['portal', 'lbi-mfaha-prod-portal'],
    ['adfs', 'lbi-mfaha-prod-adfs'],
    ['wap', 'lbe-mfaha-prod-wap'],
  ])('%s degraded (one below critical, per server) and down (critical, the whole pool) on its load balancer, port 443', (tier, lb) => {
    const degraded = alerts.get(`${tier}-degraded`)!;
    const down = alerts.get(`${tier}-down`)!;
    expect([lbNameOf(prod, degraded.scopes[0]), lbNameOf(prod, down.scopes[0])]).toEqual([lb, lb]);
    expect([degraded.severity, down.severity]).toEqual([1, 0]);
    expect(degraded.criteria[0]).toMatchObject({ metric_name: 'DipAvailability', operator: 'LessThan', threshold: 90 });
    expect(degraded.criteria[0].dimension).toEqual([
      { name: 'BackendPort', operator: 'Include', values: ['443'] },
      { name: 'BackendIPAddress', operator: 'Include', values: ['*'] },
    ]);
    expect(down.criteria[0]).toMatchObject({ metric_name: 'DipAvailability', operator: 'LessThanOrEqual', threshold: 0 });
    expect(down.criteria[0].dimension).toEqual([{ name: 'BackendPort', operator: 'Include', values: ['443'] }]);
    for (const a of [degraded, down]) expect(a).toMatchObject({ frequency: 'PT1M', window_size: 'PT5M', auto_mitigate: true });
  });

  test('9 alerts, all sent to the action group: e-mail receivers and a webhook read from Key Vault', () => {
    expect(alerts.size).toBe(9);
    const [group] = resources(prod, 'azurerm_monitor_action_group');
    expect(group.short_name).toBe('mfahaprod');
    expect(group.email_receiver).toEqual([
      { name: 'email-identity-oncall-contoso-com', email_address: 'identity-oncall@contoso.com', use_common_alert_schema: true },
    ]);
    expect(group.webhook_receiver[0].service_uri).toMatch(/^\$\{data\.azurerm_key_vault_secret\.alerts_webhook-url_[0-9A-F]+\.value\}$/);
    for (const a of alerts.values()) expect(a.action).toEqual([{ action_group_id: expect.stringMatching(/^\$\{azurerm_monitor_action_group\./) }]);
  });

  test('a secure webhook sends a Microsoft Entra token of the configured application; without it, none', () => {
    const aadAuth = { objectId: '7f3c1a52-0000-4000-8000-0000000000aa', identifierUri: 'api://mfaha-alerts' };
    const secured = resources(synthObject(variant('prod', (c) => (c.monitoring.receivers.webhookAadAuth = aadAuth))), 'azurerm_monitor_action_group')[0];
    expect(secured.webhook_receiver[0].aad_auth).toEqual({ object_id: aadAuth.objectId, identifier_uri: aadAuth.identifierUri });
    const [plain] = resources(prod, 'azurerm_monitor_action_group');
    expect(plain.webhook_receiver[0].aad_auth).toBeUndefined();
  });

  test('names each e-mail receiver after its address: removing one leaves the others as they are', () => {
    const group = (emails: string[]) =>
      resources(synthObject(variant('prod', (c) => (c.monitoring.receivers.emails = emails))), 'azurerm_monitor_action_group')[0];
    const both = group(['a@contoso.com', 'b@contoso.com']).email_receiver;
    expect(group(['b@contoso.com']).email_receiver).toEqual([both[1]]);
    expect(receiverNames(['First.Last+MFA@Contoso.com'])).toEqual(['email-first-last-mfa-contoso-com']);
  });

  test('without receivers the alerts still fire, shown in the portal only', () => {
    const tf = synthObject(variant('prod', (c) => (c.monitoring.receivers = { emails: [] })));
    expect(resources(tf, 'azurerm_monitor_action_group')).toEqual([]);
    const quiet = resources(tf, 'azurerm_monitor_metric_alert');
    expect(quiet).toHaveLength(9);
    expect(quiet.every((a) => a.action === undefined)).toBe(true);
  });
});

describe('the server health alert (what the probe alerts cannot see)', () => {
  const prod = synthObject(variant('prod'));
  const [alert] = resources(prod, 'azurerm_monitor_activity_log_alert');

  test('fires when any VM of the resource group leaves Available in Resource Health, whoever stopped it', () => {
    expect(resources(prod, 'azurerm_monitor_activity_log_alert')).toHaveLength(1);
    expect(alert).toMatchObject({
      name: 'alert-mfaha-prod-servers-unavailable',
      location: 'global',
      scopes: [expect.stringMatching(/^\$\{azurerm_resource_group\.[^.]+\.id\}$/)],
      criteria: {
        category: 'ResourceHealth',
        resource_type: 'Microsoft.Compute/virtualMachines',
        resource_health: { current: ['Unavailable', 'Degraded', 'Unknown'], previous: ['Available'] },
      },
    });
    // No reason filter: user-initiated stops and deallocations count as much as platform events.
    expect(alert.criteria.resource_health.reason).toBeUndefined();
    expect(alert.action).toEqual([{ action_group_id: expect.stringMatching(/^\$\{azurerm_monitor_action_group\./) }]);
  });

  test('is listed with the other alerts in the outputs', () => {
    const [address] = Object.keys(prod.resource.azurerm_monitor_activity_log_alert);
    expect(prod.output.health_alerts.value).toContain(`\${azurerm_monitor_activity_log_alert.${address}.name}`);
    expect(address).toContain(SERVER_HEALTH_ALERT.key);
  });
});

describe('server logs', () => {
  const prod = synthObject(variant('prod'));

  test('a workspace with the configured retention and no shared keys', () => {
    expect(resources(prod, 'azurerm_log_analytics_workspace')).toEqual([
      expect.objectContaining({ name: 'log-mfaha-prod', sku: 'PerGB2018', retention_in_days: 90, local_authentication_enabled: false }),
    ]);
  });

  test('an existing workspace is used as given, and none is created', () => {
    const id = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-ops';
    const tf = synthObject(variant('prod', (c) => (c.monitoring.workspace = { resourceId: id })));
    expect(resources(tf, 'azurerm_log_analytics_workspace')).toEqual([]);
    expect(resources(tf, 'azurerm_monitor_data_collection_rule').every((r) => r.destinations.log_analytics[0].workspace_resource_id === id)).toBe(true);
  });

  test.each(['wap', 'adfs', 'portal', 'mfa'] as const)(
    "the %s servers send their tier's event logs through the agent, authenticated by the tier identity",
    (tier) => {
      const rule = resources(prod, 'azurerm_monitor_data_collection_rule').find((r) => r.name === `dcr-mfaha-prod-${tier}`)!;
      expect(rule.data_sources.windows_event_log[0]).toEqual({ name: 'events', streams: ['Microsoft-Event'], x_path_queries: EVENT_LOGS[tier] });
      const agents = Object.entries<any>(prod.resource.azurerm_virtual_machine_extension).filter(
        ([k]) => k.startsWith(`${tier}_servers_`) && k.includes('_azure-monitor-agent_'),
      );
      expect(agents.length).toBeGreaterThanOrEqual(2);
      for (const [, agent] of agents) {
        expect(agent).toMatchObject({ publisher: 'Microsoft.Azure.Monitor', type: 'AzureMonitorWindowsAgent', automatic_upgrade_enabled: true });
        expect(agent.settings).toMatch(
          new RegExp(`"identifier-name" = "mi_res_id", "identifier-value" = azurerm_user_assigned_identity\\.identities_${tier}_[0-9A-F]+\\.id`),
        );
      }
      const associations = Object.keys(prod.resource.azurerm_monitor_data_collection_rule_association).filter(
        (k) => k.startsWith(`${tier}_servers_`) && k.includes('_event-logs_'),
      );
      expect(associations).toHaveLength(agents.length);
    },
  );

  test('System and Application everywhere, the AD FS Admin log on AD FS and WAP, the WAP Admin log on WAP', () => {
    expect(EVENT_LOGS.mfa.map((q) => q.split('!')[0])).toEqual(['System', 'Application']);
    expect(EVENT_LOGS.adfs.map((q) => q.split('!')[0])).toEqual(['System', 'Application', 'AD FS/Admin']);
    expect(EVENT_LOGS.wap.map((q) => q.split('!')[0])).toEqual(['System', 'Application', 'AD FS/Admin', 'Microsoft-Windows-WebApplicationProxy/Admin']);
  });

  test("MFA Server's service log goes into a custom table, from the MFA servers only, without a data collection endpoint (only Private Links need one)", () => {
    const rule = resources(prod, 'azurerm_monitor_data_collection_rule').find((r) => r.name === 'dcr-mfaha-prod-mfa-server-log')!;
    expect(rule.data_sources.log_file[0]).toMatchObject({ file_patterns: [MFA_SERVER_LOG_FILES], format: 'text' });
    expect(rule.data_flow[0]).toMatchObject({ output_stream: 'Custom-MfaServerLog_CL' });
    expect(rule.data_collection_endpoint_id).toBeUndefined();
    expect(resources(prod, 'azurerm_monitor_data_collection_endpoint')).toEqual([]);
    expect(resources(prod, 'azurerm_log_analytics_workspace_table_custom_log')).toEqual([expect.objectContaining({ name: 'MfaServerLog_CL' })]);
    const logs = Object.entries<any>(prod.resource.azurerm_monitor_data_collection_rule_association).filter(([, a]) => a.name.endsWith('-mfa-server-log'));
    expect(logs.map(([k]) => k.split('_servers_')[0])).toEqual(['mfa', 'mfa', 'mfa']);
    expect(Object.values<any>(prod.resource.azurerm_monitor_data_collection_rule_association).filter((a) => a.data_collection_endpoint_id)).toEqual([]);
  });

  test("turning monitoring on adds exactly the agent's egress: AzureMonitor and AzureResourceManager everywhere", () => {
    const names = (input: any) => new Set(allowedFlows(flowOptionsOf(validate(input))).map((f) => f.name));
    const on = names(variant('prod'));
    const off = names(variant('prod', (c) => delete c.monitoring));
    const added = [...on].filter((n) => !off.has(n)).sort();
    expect(added).toEqual(['wap', 'adfs', 'portal', 'mfa'].flatMap((t) => [`allow-${t}-to-azure-monitor`, `allow-${t}-to-azure-resource-manager`]).sort());
    expect([...off].filter((n) => !on.has(n))).toEqual([]);
  });

  test('dev keeps monitoring off: no agent, no rule, no alert', () => {
    const dev = synthObject(variant('dev'));
    for (const type of ['azurerm_monitor_metric_alert', 'azurerm_monitor_data_collection_rule', 'azurerm_log_analytics_workspace'])
      expect(resources(dev, type)).toEqual([]);
    expect(resources(dev, 'azurerm_virtual_machine_extension').filter((e) => e.type === 'AzureMonitorWindowsAgent')).toEqual([]);
  });
});

describe('alerts that wait for MFA Server (mfa.serverInstalled)', () => {
  const alertsWith = (installed: boolean, change: (c: any) => void = () => {}) =>
    alertsOf(
      synthObject(
        variant('prod', (c) => {
          c.mfa.serverInstalled = installed;
          change(c);
        }),
      ),
    );

  test('until MFA Server is installed, the master-down alert is disabled, and says why; the others keep watching', () => {
    const waiting = alertsWith(false);
    expect(waiting.get('mfa-master-down')!.enabled).toBe(false);
    expect(waiting.get('mfa-master-down')!.description).toContain('Disabled until mfa.serverInstalled is true');
    expect([...waiting].filter(([, a]) => a.enabled === false).map(([k]) => k)).toEqual(['mfa-master-down']);
  });

  test('once it is installed (and in a file written before the field), every alert is enabled: the body of an environment deployed before is unchanged', () => {
    for (const alerts of [alertsWith(true), alertsOf(synthObject(variant('prod')))])
      expect([...alerts.values()].every((a) => a.enabled === undefined)).toBe(true);
  });

  test('without certificates or the farm, the alerts on the probes only the manual steps make answer wait too', () => {
    const waiting = alertsWith(false, (c) => {
      delete c.certificates;
      withoutFarm(c);
    });
    expect(
      [...waiting]
        .filter(([, a]) => a.enabled === false)
        .map(([k]) => k)
        .sort(),
    ).toEqual(['adfs-degraded', 'adfs-down', 'mfa-degraded', 'mfa-down', 'mfa-master-down', 'portal-degraded', 'portal-down', 'wap-degraded', 'wap-down']);
  });
});

describe('patch windows and the alerts', () => {
  const prod = synthObject(variant('prod'));
  const byName = new Map(resources(prod, 'azurerm_monitor_alert_processing_rule_suppression').map((s) => [s.name.replace('apr-mfaha-prod-', ''), s]));
  const suppressions = [...byName.values()];
  const alertId = (suffix: string) => {
    const [address] = Object.entries<any>(prod.resource.azurerm_monitor_metric_alert).find(([, a]) => a.name.endsWith(suffix))!;
    return `\${azurerm_monitor_metric_alert.${address}.id}`;
  };
  const resourceHealth = `\${azurerm_monitor_activity_log_alert.${Object.keys(prod.resource.azurerm_monitor_activity_log_alert)[0]}.id}`;
  const heartbeat = `\${azurerm_monitor_scheduled_query_rules_alert_v2.${Object.entries<any>(prod.resource.azurerm_monitor_scheduled_query_rules_alert_v2).find(([, a]) => a.name.endsWith('-heartbeat-missing'))![0]}.id}`;
  const vms = (s: any) =>
    s.scopes
      .filter((x: string) => x.includes('azurerm_windows_virtual_machine'))
      .map((x: string) => /_servers_([a-z]+-\d+)_/.exec(x)![1])
      .sort();

  test("one suppression per ring and tier of the ring table, in the ring's window and time zone, ending 30 minutes after it closes", () => {
    // prod's ring table: primaries adfs-1, mfa-1; ring-1 adfs-2, portal-1, wap-1; ring-2 adfs-3, mfa-2, portal-2, wap-2; ring-3 mfa-3, wap-3.
    expect([...byName.keys()].sort()).toEqual([
      'primaries-adfs',
      'primaries-mfa',
      'ring-1-adfs',
      'ring-1-portal',
      'ring-1-wap',
      'ring-2-adfs',
      'ring-2-mfa',
      'ring-2-portal',
      'ring-2-wap',
      'ring-3-mfa',
      'ring-3-wap',
    ]);
    // Wednesday 22:00 for 3 h, then 30 minutes: past midnight, so two recurrences; every tier of the ring the same.
    for (const tier of ['adfs', 'portal', 'wap']) {
      expect(byName.get(`ring-1-${tier}`)!.schedule).toEqual({
        time_zone: 'W. Europe Standard Time',
        recurrence: {
          weekly: [
            { days_of_week: ['Wednesday'], start_time: '22:00:00', end_time: '23:59:59' },
            { days_of_week: ['Thursday'], start_time: '00:00:00', end_time: '01:30:00' },
          ],
        },
      });
    }
  });

  test("suppresses what a ring's restarts fire: the tier's degraded alert, Resource Health and the heartbeat alert of its servers in the ring, master-down in the master's ring; never tier down", () => {
    const master = byName.get('primaries-mfa')!;
    expect(master.condition.alert_rule_id.operator).toBe('Equals');
    expect(master.condition.alert_rule_id.values.sort()).toEqual([alertId('-mfa-degraded'), alertId('-mfa-master-down'), resourceHealth, heartbeat].sort());
    expect(vms(master)).toEqual(['mfa-1']);
    expect(byName.get('primaries-adfs')!.condition.alert_rule_id.values.sort()).toEqual([alertId('-adfs-degraded'), resourceHealth, heartbeat].sort());
    expect(byName.get('ring-2-mfa')!.condition.alert_rule_id.values).not.toContain(alertId('-mfa-master-down'));
    for (const s of suppressions)
      for (const tier of ['mfa', 'portal', 'adfs', 'wap']) expect(s.condition.alert_rule_id.values).not.toContain(alertId(`-${tier}-down`));
    expect(['adfs', 'portal', 'wap'].map((t) => vms(byName.get(`ring-1-${t}`)!))).toEqual([['adfs-2'], ['portal-1'], ['wap-1']]);
  });

  test('rings that recur every two weeks or more get no suppression: a weekly one would hide real failures in the weeks between', () => {
    const tf = synthObject(variant('prod', (c) => (c.maintenance.recurrenceWeeks = 2)));
    expect(resources(tf, 'azurerm_monitor_alert_processing_rule_suppression')).toEqual([]);
  });

  test("suppresses the heartbeat alert of the ring's servers too: a restart stops their heartbeats", () => {
    const [address] = Object.entries<any>(prod.resource.azurerm_monitor_scheduled_query_rules_alert_v2).find(([, a]) => a.name.endsWith('-heartbeat-missing'))!;
    for (const s of suppressions) expect(s.condition.alert_rule_id.values).toContain(`\${azurerm_monitor_scheduled_query_rules_alert_v2.${address}.id}`);
  });

  test('a failed patch run raises a warning from Resource Graph, with the identity and roles its query needs', () => {
    const [alert] = resources(prod, 'azurerm_monitor_scheduled_query_rules_alert_v2').filter((a) => a.name === 'alert-mfaha-prod-patch-run-failed');
    expect(alert).toMatchObject({ severity: 2, identity: { type: 'SystemAssigned' }, evaluation_frequency: 'PT6H', window_duration: 'P1D' });
    expect(alert.criteria[0].query).toMatch(/^arg\(""\)\.patchinstallationresources /);
    expect(alert.criteria[0].query).not.toMatch(/\bjoin\b/);
    const roles = resources(prod, 'azurerm_role_assignment').filter((r) => String(r.principal_id).includes('patch-windows_patch-run-failed'));
    expect(roles.map((r) => r.role_definition_name).sort()).toEqual(['Log Analytics Reader', 'Reader']);
  });
});

describe('the heartbeat alert (a tier that loses its egress)', () => {
  const prod = synthObject(variant('prod'));
  const [alert] = resources(prod, 'azurerm_monitor_scheduled_query_rules_alert_v2').filter((a) => a.name === 'alert-mfaha-prod-heartbeat-missing');

  test('runs every 5 minutes on the workspace the agents send to, over the last day', () => {
    expect(alert).toMatchObject({
      scopes: ['${azurerm_log_analytics_workspace.logs_workspace_11CB4DC9.id}'],
      severity: 1,
      evaluation_frequency: 'PT5M',
      window_duration: 'P1D',
      auto_mitigation_enabled: true,
    });
  });

  test("fires for each VM of the resource group whose last heartbeat is older than 10 minutes, the VM being the alert's target", () => {
    expect(alert.criteria[0].query).toBe(
      "Heartbeat | where tolower(_ResourceId) startswith tolower('${azurerm_resource_group.resource-group.id}/providers/Microsoft.Compute/virtualMachines/') | summarize LastHeartbeat = max(TimeGenerated) by _ResourceId = tolower(_ResourceId) | where LastHeartbeat < ago(10m)",
    );
    expect(alert.criteria[0]).toMatchObject({ time_aggregation_method: 'Count', operator: 'GreaterThan', threshold: 0, resource_id_column: '_ResourceId' });
  });

  test('dev keeps monitoring off: no heartbeat alert', () => {
    expect(
      resources(synthObject(variant('dev')), 'azurerm_monitor_scheduled_query_rules_alert_v2').filter((a) => a.name.endsWith('heartbeat-missing')),
    ).toEqual([]);
  });
});
