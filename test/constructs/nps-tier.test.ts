import * as fs from 'fs';
import * as path from 'path';
import { INSTALL_EXTENSION_STEP } from '../../constructs/scripts/nps';
import { allowedFlows, NPS_EXTENSION_ENDPOINTS } from '../../constructs/traffic-flows';
import { EVENT_LOGS } from '../../constructs/server-logs';
import { flowOptionsOf } from '../../stacks/environment-options';
import { FIXTURE_TENANT, prodAtStage } from '../config/fixtures';
import { environmentDot } from '../../tools/environment-diagram';
import { flowMatrix } from '../../tools/flow-matrix';
import { formatMatrix } from '../../tools/flow-report';
import { networkModelOf } from '../../tools/network-model';
import { namedGroupsOf } from '../../tools/synthesized-stack';
import { resources, ROOT, synthObject, TerraformJson, validate } from '../helpers';

/*
 * The NPS servers at the stages that deploy them, as the synthesized Terraform of prod holds them: the tier, its
 * configuration one server after the other, its client certificates, its Key Vault access, its flows, its alerts
 * and logs.
 */

type Stage = 'parallel' | 'entra' | 'decommissioned';
const STAGES: Stage[] = ['parallel', 'entra', 'decommissioned'];

/** The resources of a type whose address starts with a prefix, by address. */
const byName = (tf: TerraformJson, type: string, prefix = ''): [string, any][] =>
  Object.entries<any>(tf.resource[type] ?? {}).filter(([k]) => k.startsWith(prefix));
/** The `${type.name}` reference form of a resource's attribute. */
const ref = (type: string, name: string, attribute: string) => `\${${type}.${name}.${attribute}}`;
/** The one resource of a type whose address starts with a prefix. */
const only = (tf: TerraformJson, type: string, prefix: string): [string, any] => {
  const found = byName(tf, type, prefix);
  expect(found.map(([k]) => k)).toHaveLength(1);
  return found[0];
};
const runCommand = (tf: TerraformJson, server: string, name: string) => only(tf, 'azurerm_virtual_machine_run_command', `nps_servers_${server}_${name}_`);

describe.each(STAGES)('the NPS tier of prod at stage %s', (stage) => {
  const tf = synthObject(prodAtStage(stage));
  const env = validate(prodAtStage(stage));

  test('has two domain-joined servers in two zones, with the NPS role, behind their own RADIUS load balancer probed on the health endpoint', () => {
    const vms = byName(tf, 'azurerm_windows_virtual_machine', 'nps_').map(([, vm]) => vm);
    expect(vms.map((vm) => [vm.computer_name, vm.zone])).toEqual([
      ['prod-nps1', '1'],
      ['prod-nps2', '2'],
    ]);
    const extensions = byName(tf, 'azurerm_virtual_machine_extension', 'nps_').map(([, e]) => e);
    expect(extensions.filter((e) => e.type === 'JsonADDomainExtension')).toHaveLength(2);
    expect(
      extensions
        .filter((e) => e.name === 'setup')
        .every((e) => JSON.parse(e.settings).commandToExecute.includes("Install-WindowsFeature -Name @('NPAS') -IncludeManagementTools")),
    ).toBe(true);
    const [lb] = only(tf, 'azurerm_lb', 'nps_');
    const probe = only(tf, 'azurerm_lb_probe', 'nps_')[1];
    expect(probe).toMatchObject({ protocol: 'Http', port: 8099, request_path: '/nps-health', loadbalancer_id: ref('azurerm_lb', lb, 'id') });
    expect(
      byName(tf, 'azurerm_lb_rule', 'nps_')
        .map(([, r]) => [r.name, r.protocol, r.backend_port])
        .sort(),
    ).toEqual([
      ['radius-accounting', 'Udp', 1813],
      ['radius-auth', 'Udp', 1812],
    ]);
  });

  test('configures one server after the other: the client certificate, nps-radius, nps-extension, nps-tasks', () => {
    const address = (server: string, name: string) => `azurerm_virtual_machine_run_command.${runCommand(tf, server, name)[0]}`;
    const dependsOn = (server: string, name: string) => runCommand(tf, server, name)[1].depends_on as string[];
    const keyVaultExtension = (server: string) =>
      `azurerm_virtual_machine_extension.${only(tf, 'azurerm_virtual_machine_extension', `nps_servers_${server}_key-vault-certificates_`)[0]}`;
    expect(dependsOn('nps-1', 'nps-radius')).toContain(keyVaultExtension('nps-1'));
    expect(dependsOn('nps-1', 'nps-extension')).toContain(address('nps-1', 'nps-radius'));
    expect(dependsOn('nps-1', 'nps-tasks')).toEqual([address('nps-1', 'nps-extension')]);
    // The second server starts once the first is done: never two IAS restarts together.
    expect(dependsOn('nps-2', 'nps-radius')).toContain(address('nps-1', 'nps-tasks'));
    expect(dependsOn('nps-2', 'nps-radius')).toContain(keyVaultExtension('nps-2'));
    // The monitoring agent comes last, as on every tier.
    const agent = only(tf, 'azurerm_virtual_machine_extension', 'nps_servers_nps-2_azure-monitor-agent_')[1];
    expect(agent.depends_on).toEqual([address('nps-2', 'nps-tasks')]);
  });

  test('lets the NPS identity read each shared secret, scoped to that secret, and passes only its client id to the servers', () => {
    const identity = only(tf, 'azurerm_user_assigned_identity', 'identities_nps_')[0];
    const readers = byName(tf, 'azurerm_role_assignment', 'nps-configuration_secrets-user-').map(([, r]) => r);
    expect(readers.map((r) => r.scope).sort()).toEqual(
      env.nps!.radiusClients.map((c) => `${c.sharedSecret.keyVaultResourceId}/secrets/${c.sharedSecret.secretName}`).sort(),
    );
    expect(
      readers.every(
        (r) => r.role_definition_name === 'Key Vault Secrets User' && r.principal_id === ref('azurerm_user_assigned_identity', identity, 'principal_id'),
      ),
    ).toBe(true);
    // Nothing reads them at plan time, and no Run Command carries them.
    expect(Object.values<any>(tf.data?.azurerm_key_vault_secret ?? {}).filter((d) => /radius/.test(d.name))).toEqual([]);
    const radius = runCommand(tf, 'nps-1', 'nps-radius')[1];
    expect(radius.parameter).toEqual([{ name: 'IdentityClientId', value: ref('azurerm_user_assigned_identity', identity, 'client_id') }]);
    expect(radius.protected_parameter).toBeUndefined();
  });

  test('gives each server its own client certificate for Microsoft Entra MFA, readable by NETWORK SERVICE and registered on the service principal', () => {
    const [vault, vaultBody] = only(tf, 'azurerm_key_vault', 'nps-configuration_client-certificates_vault_');
    expect(vaultBody).toMatchObject({
      name: 'kv-mfaha-prod-nps',
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      network_acls: { default_action: 'Deny' },
    });
    expect(vaultBody.network_acls.virtual_network_subnet_ids).toEqual([expect.stringContaining('azurerm_subnet.network_nps-subnet')]);
    const reader = only(tf, 'azurerm_role_assignment', 'nps-configuration_client-certificates_nps-secrets-user_')[1];
    expect(reader.scope).toBe(ref('azurerm_key_vault', vault, 'id'));
    for (const server of ['nps-1', 'nps-2']) {
      const [certificate, body] = only(tf, 'azurerm_key_vault_certificate', `nps_servers_${server}_entra-mfa-client-certificate_`);
      expect(body.name).toBe(`${server}-entra-mfa-client`);
      expect(body.certificate_policy).toMatchObject({
        issuer_parameters: { name: 'Self' },
        key_properties: { exportable: true },
        lifetime_action: [{ action: { action_type: 'AutoRenew' }, trigger: { days_before_expiry: 60 } }],
        x509_certificate_properties: {
          subject: `CN=${FIXTURE_TENANT},OU=Microsoft NPS Extension`,
          extended_key_usage: ['1.3.6.1.5.5.7.3.2'],
          validity_in_months: 24,
        },
      });
      const extension = only(tf, 'azurerm_virtual_machine_extension', `nps_servers_${server}_key-vault-certificates_`)[1];
      expect(extension.settings).toContain('"accounts" = ["Network Service"]');
      expect(extension.settings).toContain(`"url" = azurerm_key_vault_certificate.${certificate}.versionless_secret_id`);
      const registration = only(tf, 'azuread_service_principal_certificate', `nps_servers_${server}_entra-mfa-client-registration_`)[1];
      expect(registration).toMatchObject({
        type: 'AsymmetricX509Cert',
        encoding: 'hex',
        value: ref('azurerm_key_vault_certificate', certificate, 'certificate_data'),
        end_date: `\${azurerm_key_vault_certificate.${certificate}.certificate_attribute[0].expires}`,
        lifecycle: { create_before_destroy: true },
      });
      expect(runCommand(tf, server, 'nps-extension')[1].parameter).toEqual([
        { name: 'CertificateThumbprint', value: ref('azurerm_key_vault_certificate', certificate, 'thumbprint') },
      ]);
    }
  });

  test('lets RADIUS in from the clients only, reaches Microsoft Entra MFA on 443, and its domain controllers as a domain member', () => {
    const flows = allowedFlows(flowOptionsOf(env));
    const into = flows.filter((f) => f.to.kind === 'tier' && f.to.tier === 'nps').map((f) => f.name);
    expect(into).toEqual(['allow-lb-probe-to-nps', 'allow-radius-clients-to-nps', 'allow-bastion-rdp-to-nps']);
    const radius = flows.find((f) => f.name === 'allow-radius-clients-to-nps')!;
    expect(radius.from).toEqual({ kind: 'cidrs', label: 'radius-clients', cidrs: ['10.40.0.0/24', '10.41.0.0/24'] });
    expect(radius.ports.map(String)).toEqual(['udp/1812', 'udp/1813']);
    const entra = flows.find((f) => f.name === 'allow-nps-to-entra-mfa')!;
    expect(entra).toMatchObject({ to: { kind: 'serviceTag', tag: 'Internet' } });
    expect(entra.ports.map(String)).toEqual(['tcp/443']);
    for (const endpoint of NPS_EXTENSION_ENDPOINTS) expect(entra.why).toContain(endpoint);
    expect(flows.filter((f) => f.from.kind === 'tier' && f.from.tier === 'nps').map((f) => f.name)).toEqual([
      'allow-nps-to-domain-controllers-tcp',
      'allow-nps-to-domain-controllers-udp',
      'allow-nps-to-entra-mfa',
      'allow-nps-to-azure-kms',
      'allow-nps-to-windows-update',
      'allow-nps-to-windows-update-download',
      'allow-nps-to-key-vault',
      'allow-nps-to-azure-monitor',
      'allow-nps-to-azure-resource-manager',
    ]);
    // prod's egress is the hub firewall: the NPS subnet routes there, and reaches its vaults through the service endpoint.
    expect(byName(tf, 'azurerm_subnet_route_table_association', 'network_nps-')).toHaveLength(1);
    expect(only(tf, 'azurerm_subnet', 'network_nps-subnet_')[1].service_endpoints).toEqual(['Microsoft.KeyVault']);
  });

  test("is patched in rings, one NPS server at a time, and sends the NPS extension's and NPS's events", () => {
    const assignments = byName(tf, 'azurerm_maintenance_assignment_virtual_machine', 'maintenance_assignments_nps-').map(
      ([, a]) => a.maintenance_configuration_id,
    );
    expect(assignments).toHaveLength(2);
    expect(new Set(assignments).size).toBe(2);
    const rule = only(tf, 'azurerm_monitor_data_collection_rule', 'logs_nps-events_')[1];
    expect(rule.data_sources.windows_event_log[0].x_path_queries).toEqual([...EVENT_LOGS.nps]);
    expect(EVENT_LOGS.nps).toEqual(
      expect.arrayContaining([
        'AuthZAdminCh!*',
        expect.stringMatching(/^AuthNOptCh!/),
        expect.stringMatching(/^AuthZOptCh!/),
        expect.stringMatching(/^Security!.*EventID=6273/),
      ]),
    );
  });

  test("alerts when a client certificate nears its expiry or is gone, from the certificate check's events", () => {
    const alerts = byName(tf, 'azurerm_monitor_scheduled_query_rules_alert_v2', 'nps-certificate-alerts_').map(([, a]) => a);
    expect(
      alerts
        .map((a) => [a.name, a.severity, a.criteria[0].query])
        .sort()
        .reverse(),
    ).toEqual([
      [
        'alert-mfaha-prod-nps-certificate-near-expiry',
        2,
        'Event | where Source == "MFA-HA-NpsExtension" and EventID == 1101 | project TimeGenerated, Computer, RenderedDescription',
      ],
      [
        'alert-mfaha-prod-nps-certificate-invalid',
        1,
        'Event | where Source == "MFA-HA-NpsExtension" and EventID == 1102 | project TimeGenerated, Computer, RenderedDescription',
      ],
    ]);
  });
});

describe('what the stages change around the NPS tier', () => {
  test('at entra, the mfaapp address keeps its RADIUS rules and sends them to the NPS servers, probed by their health endpoint', () => {
    const tf = synthObject(prodAtStage('entra'));
    const [mfaLb] = only(tf, 'azurerm_lb', 'mfa_');
    const probe = byName(tf, 'azurerm_lb_probe', 'mfa_').find(([, p]) => p.name === 'nps-health')!;
    expect(probe[1]).toMatchObject({ port: 8099, request_path: '/nps-health' });
    const pool = byName(tf, 'azurerm_lb_backend_address_pool', 'mfa_').find(([, p]) => p.name === 'nps-servers')!;
    for (const name of ['radius-auth', 'radius-accounting']) {
      const rule = byName(tf, 'azurerm_lb_rule', 'mfa_').find(([, r]) => r.name === name)![1];
      expect(rule).toMatchObject({
        loadbalancer_id: ref('azurerm_lb', mfaLb, 'id'),
        probe_id: ref('azurerm_lb_probe', probe[0], 'id'),
        backend_address_pool_ids: [ref('azurerm_lb_backend_address_pool', pool[0], 'id')],
      });
    }
    expect(
      byName(tf, 'azurerm_network_interface_backend_address_pool_association', 'nps_').filter(([k]) => k.includes('pool-mfaapp-nps-servers')),
    ).toHaveLength(2);
  });

  test('without the manual step done (nps.extensionInstalled false) the extension is not configured, and nothing else changes', () => {
    const tf = synthObject(prodAtStage('parallel', (c) => (c.nps.extensionInstalled = false)));
    // (Windows LAPS, the hardening's, comes on every domain member: constructs/server-hardening.ts)
    expect(
      byName(tf, 'azurerm_virtual_machine_run_command', 'nps_')
        .map(([, r]) => r.name)
        .filter((n) => n !== 'windows-laps')
        .sort(),
    ).toEqual(['nps-radius', 'nps-radius', 'nps-tasks', 'nps-tasks']);
    const radius = `azurerm_virtual_machine_run_command.${runCommand(tf, 'nps-1', 'nps-radius')[0]}`;
    expect(runCommand(tf, 'nps-1', 'nps-tasks')[1].depends_on).toEqual([radius]);
    // The certificates are there already: turning the flag on adds the extension's configuration only.
    expect(byName(tf, 'azuread_service_principal_certificate', 'nps_')).toHaveLength(2);
  });

  test('in a lab, the client certificates go to the lab vault and no vault of their own is created', () => {
    const tf = synthObject(
      prodAtStage('parallel', (c) => {
        c.certificates = { selfSigned: true, keyVaultName: 'kv-mfaha-prod-tls' };
        delete c.nps.keyVaultName;
      }),
    );
    expect(byName(tf, 'azurerm_key_vault', 'nps-configuration_')).toEqual([]);
    const [lab] = only(tf, 'azurerm_key_vault', 'certificates_vault_');
    expect(byName(tf, 'azurerm_key_vault_certificate', 'nps_').every(([, c]) => c.key_vault_id === ref('azurerm_key_vault', lab, 'id'))).toBe(true);
    // The NPS identity reads its own certificates in the lab vault, one role each, and no other.
    const readers = byName(tf, 'azurerm_role_assignment', 'certificates_nps-reads-').map(([, r]) => r.scope);
    expect(readers.sort()).toEqual(['nps-1', 'nps-2'].map((s) => `${ref('azurerm_key_vault', lab, 'id')}/secrets/${s}-entra-mfa-client`));
    expect(
      resources(tf, 'azurerm_role_assignment').filter((r) => r.principal_id.includes('identities_nps_') && r.scope === ref('azurerm_key_vault', lab, 'id')),
    ).toEqual([]);
    // The NPS servers trust no lab TLS certificate and bind no IIS site: their Key Vault extension holds their own certificate only.
    expect(byName(tf, 'azurerm_virtual_machine_run_command', 'nps_').map(([, r]) => r.name)).not.toContain('trust-lab-certificates');
  });

  test('nps.serviceEgressCidrs narrows the flow to Microsoft Entra MFA', () => {
    const env = validate(prodAtStage('parallel', (c) => (c.nps.serviceEgressCidrs = ['20.190.128.0/18', '40.126.0.0/18'])));
    const entra = allowedFlows(flowOptionsOf(env)).find((f) => f.name === 'allow-nps-to-entra-mfa')!;
    expect(entra.to).toEqual({ kind: 'cidrs', label: 'entra-mfa-service', cidrs: ['20.190.128.0/18', '40.126.0.0/18'] });
  });
});

describe('the health alerts', () => {
  test.each(['mfa-server', ...STAGES] as const)(
    'of prod at %s each watch a backend port a rule of their load balancer sends to (the probe metric has series per rule, none for a probe port)',
    (stage) => {
      const tf = synthObject(prodAtStage(stage));
      const rules = resources(tf, 'azurerm_lb_rule');
      const alerts = resources(tf, 'azurerm_monitor_metric_alert');
      expect(alerts.length).toBeGreaterThan(0);
      const unwatched = alerts
        .map((alert) => ({
          name: alert.name,
          lb: alert.scopes[0],
          port: Number(alert.criteria[0].dimension.find((d: any) => d.name === 'BackendPort').values[0]),
        }))
        .filter(({ lb, port }) => !rules.some((r) => `${r.loadbalancer_id}` === lb.replace(/\.id\}$/, '.id}') && r.backend_port === port));
      expect(unwatched).toEqual([]);
    },
  );
});

describe('the documentation of the NPS tier', () => {
  const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

  test('names the manual step the extension script points to, where the script says it is', () => {
    expect(read('README.md')).toContain(`**${INSTALL_EXTENSION_STEP}**`);
    expect(read('docs/nps.md')).toContain(`**${INSTALL_EXTENSION_STEP}**`);
  });

  test('lists every endpoint of the NPS extension for the hub firewall', () => {
    const egress = read('docs/egress.md');
    for (const endpoint of NPS_EXTENSION_ENDPOINTS) expect(egress).toContain(`\`${endpoint}\``);
  });
});

describe('the flow report and the diagram', () => {
  test.each(['parallel', 'entra'] as const)('at %s show the NPS servers, their RADIUS clients and their way to Microsoft Entra MFA', async (stage) => {
    const input = prodAtStage(stage);
    const tf = synthObject(input);
    const env = validate(input);
    const report = formatMatrix(flowMatrix(networkModelOf(tf), namedGroupsOf(env)), { title: `prod at ${stage}` });
    expect(report).toMatch(/radius-clients 10\.40\.0\.0\/24 -> nps udp\/1812 +nsg-mfaha-prod-nps\/allow-radius-clients-to-nps/);
    expect(report).toMatch(/nps -> Internet tcp\/443 +nsg-mfaha-prod-nps\/allow-nps-to-entra-mfa/);
    const dot = environmentDot(tf, env, 'prod');
    expect(dot).toContain('snet-nps, 10.30.1.64/26');
    expect(dot).toContain('"from:radius-clients" -> "lb:lbi-mfaha-prod-nps"');
    expect(dot).toContain('prod-nps1');
  });

  test('at decommissioned show RADIUS to the NPS servers only', () => {
    const input = prodAtStage('decommissioned');
    const tf = synthObject(input);
    const report = formatMatrix(flowMatrix(networkModelOf(tf), namedGroupsOf(validate(input))), { title: 'prod at decommissioned' });
    expect(report).toMatch(/-> nps udp\/1812/);
    expect(report).not.toMatch(/-> mfa udp\/1812/);
  });
});
