import { AZURE_MFA_CLIENT_APP_ID } from '../../constructs/entra-mfa-client';
import { entraMfaEventQuery } from '../../constructs/entra-mfa-on-adfs';
import { CERTIFICATE_OUTPUT_MARKER, CERTIFICATE_OUTPUT_PATTERN } from '../../constructs/scripts/entra-mfa-certificate';
import { groupRuleLines } from '../../constructs/scripts/entra-mfa-policy';
import { FIXTURE_GROUP_SID, FIXTURE_TENANT, prodAtStage } from '../config/fixtures';
import { refusalOf, synthObject, TerraformJson, variant } from '../helpers';

/*
 * AD FS with Microsoft Entra MFA (constructs/entra-mfa-on-adfs.ts) at each migration stage of prod: which Run
 * Commands run where, in which order, and what Terraform registers on the Azure Multi-Factor Auth Client service
 * principal. What the scripts do is tested by running them (test/powershell/EntraMfa*.Tests.ps1).
 */

/** The Entra MFA Run Commands by `server/command`, e.g. `adfs-2/entra-mfa-restart`. */
function runCommands(tf: TerraformJson): Map<string, any> {
  return new Map(
    Object.entries<any>(tf.resource.azurerm_virtual_machine_run_command ?? {})
      .map(([key, body]) => [/^[a-z]+_servers_([a-z]+-\d+)_([a-z0-9-]+)_[0-9A-F]+$/.exec(key)!, body] as const)
      .filter(([m]) => /^(entra-mfa|wap-(un)?publishing)/.test(m[2]))
      .map(([m, body]) => [`${m[1]}/${m[2]}`, body]),
  );
}
/** What a resource waits for, as `server/step`. */
const after = (body: any) => (body.depends_on ?? []).map((d: string) => d.replace(/^[a-z_]+\.[a-z]+_servers_([a-z]+-\d+)_([a-z0-9-]+)_[0-9A-F]+$/, '$1/$2'));
/** The certificate registrations by `server/generation`. */
function registrations(tf: TerraformJson): Map<string, any> {
  return new Map(
    Object.entries<any>(tf.resource.azuread_service_principal_certificate ?? {})
      .filter(([key]) => key.startsWith('adfs_servers_'))
      .map(([key, body]) => {
        const [, server, generation] = /^adfs_servers_(adfs-\d+)_entra-mfa-client-certificate-(\d+)_[0-9A-F]+$/.exec(key)!;
        return [`${server}/${generation}`, body];
      }),
  );
}
const SERVERS = ['adfs-1', 'adfs-2', 'adfs-3'];

describe('AD FS with Microsoft Entra MFA', () => {
  test.each([
    ['without a migration block', variant('prod')],
    ['at stage mfa-server without a tenant (a file that never went further)', prodAtStage('mfa-server')],
  ])('is not there %s', (_, input) => {
    const prod = synthObject(input);
    expect([...runCommands(prod).keys()].filter((k) => k.includes('entra-mfa'))).toEqual([]);
    expect(prod.resource.azuread_service_principal_certificate).toBeUndefined();
  });

  describe('at stage mfa-server with the tenant, as a step back from parallel leaves the file', () => {
    const tf = synthObject(prodAtStage('mfa-server', (c) => (c.migration.tenantId = FIXTURE_TENANT)));
    const commands = runCommands(tf);

    test('only runs the policy script that undoes stage parallel, on the WID primary after its farm configuration', () => {
      expect([...commands.keys()].filter((k) => k.includes('entra-mfa'))).toEqual(['adfs-1/entra-mfa-policy']);
      expect(commands.get('adfs-1/entra-mfa-policy').source.script).toContain('undo the parallel stage');
      expect(after(commands.get('adfs-1/entra-mfa-policy'))).toEqual(['adfs-1/adfs-restart']);
      expect(tf.resource.azuread_service_principal_certificate).toBeUndefined();
    });
  });

  describe('at stage parallel', () => {
    const tf = synthObject(prodAtStage('parallel'));
    const commands = runCommands(tf);
    const registered = registrations(tf);

    test('every AD FS server makes its tenant certificate after its farm configuration (and the restart it takes), then installs its check', () => {
      for (const server of SERVERS) {
        expect(after(commands.get(`${server}/entra-mfa-certificate-1`))).toEqual([`${server}/adfs-restart`]);
        expect(commands.get(`${server}/entra-mfa-certificate-1`).source.script).toContain(`New-AdfsAzureMfaTenantCertificate -TenantId '${FIXTURE_TENANT}'`);
        expect(after(commands.get(`${server}/entra-mfa-certificate-check-task`))).toEqual([`${server}/entra-mfa-certificate-1`]);
      }
    });

    test("Terraform registers each server's certificate on the service principal, read from that server's Run Command output", () => {
      expect([...registered.keys()]).toEqual(SERVERS.map((s) => `${s}/1`));
      const principal = Object.keys(tf.data!.azuread_service_principal)[0];
      expect(tf.data!.azuread_service_principal[principal].client_id).toBe(AZURE_MFA_CLIENT_APP_ID);
      for (const server of SERVERS) {
        const certificate = registered.get(`${server}/1`);
        const runCommand = Object.keys(tf.resource.azurerm_virtual_machine_run_command).find((k) =>
          k.startsWith(`adfs_servers_${server}_entra-mfa-certificate-1_`),
        );
        const read = (index: number) =>
          `\${element(regex(${JSON.stringify(CERTIFICATE_OUTPUT_PATTERN)}, azurerm_virtual_machine_run_command.${runCommand}.instance_view[0].output), ${index})}`;
        expect(certificate).toEqual({
          service_principal_id: `\${data.azuread_service_principal.${principal}.id}`,
          type: 'AsymmetricX509Cert',
          encoding: 'base64',
          value: read(3),
          start_date: read(1),
          end_date: read(2),
        });
      }
    });

    test('the pattern reads the line the certificate script prints: thumbprint, start, end and the certificate', () => {
      const line = `${CERTIFICATE_OUTPUT_MARKER} ${'AB12'.repeat(10)} 2026-12-08T10:00:00Z 2028-12-08T10:00:00Z MIIBkTCB+w==`;
      const output = `[2026-12-06 10:00:00Z] entra-mfa-certificate-1: print …\n${line}\n[2026-12-06 10:00:01Z] entra-mfa-certificate-1: done\n`;
      expect(new RegExp(CERTIFICATE_OUTPUT_PATTERN).exec(output)!.slice(1)).toEqual([
        'AB12'.repeat(10),
        '2026-12-08T10:00:00Z',
        '2028-12-08T10:00:00Z',
        'MIIBkTCB+w==',
      ]);
      expect(commands.get('adfs-1/entra-mfa-certificate-1').source.script).toContain(`Write-Output ('${CERTIFICATE_OUTPUT_MARKER} {0} {1} {2} {3}'`);
    });

    test('the primary configures the tenant once every certificate is registered, checking the behaviour level and the adapter', () => {
      const tenant = commands.get('adfs-1/entra-mfa-tenant');
      expect(after(tenant)).toEqual(['adfs-1/entra-mfa-certificate-check-task', ...SERVERS.map((s) => `${s}/entra-mfa-client-certificate-1`)]);
      expect(tenant.source.script).toContain(`Set-AdfsAzureMfaTenant -TenantId '${FIXTURE_TENANT}' -ClientId '${AZURE_MFA_CLIENT_APP_ID}'`);
      expect(tenant.source.script).toContain('(Get-AdfsFarmInformation).CurrentFarmBehavior');
      expect(tenant.source.script).toContain('check that the MFA Server adapter is registered');
      expect([...commands.keys()].filter((k) => k.endsWith('/entra-mfa-tenant'))).toEqual(['adfs-1/entra-mfa-tenant']);
    });

    test('the servers restart one after the other, then the policy sends the groups to Entra MFA', () => {
      expect(after(commands.get('adfs-1/entra-mfa-restart'))).toEqual(['adfs-1/entra-mfa-certificate-check-task', 'adfs-1/entra-mfa-tenant']);
      expect(after(commands.get('adfs-2/entra-mfa-restart'))).toEqual(['adfs-2/entra-mfa-certificate-check-task', 'adfs-1/entra-mfa-restart']);
      expect(after(commands.get('adfs-3/entra-mfa-restart'))).toEqual(['adfs-3/entra-mfa-certificate-check-task', 'adfs-2/entra-mfa-restart']);
      expect(after(commands.get('adfs-1/entra-mfa-policy'))).toEqual(['adfs-3/entra-mfa-restart']);
      expect(commands.get('adfs-2/entra-mfa-restart').source.script).toContain("@('prod-adfs1.contoso.com', 'prod-adfs3.contoso.com')");
      for (const line of groupRuleLines([FIXTURE_GROUP_SID])) expect(commands.get('adfs-1/entra-mfa-policy').source.script).toContain(line.replace(/'/g, "''"));
    });

    test('the portal stays published', () => {
      expect(commands.has('wap-1/wap-publishing')).toBe(true);
      expect(commands.has('wap-1/wap-unpublishing')).toBe(false);
    });

    test('no Entra MFA Run Command takes a parameter: none needs a secret', () => {
      for (const [key, body] of commands) expect([key, body.parameter, body.protected_parameter]).toEqual([key, undefined, undefined]);
    });

    test('stays within the 25 managed Run Commands a VM may have', () => {
      const perServer = new Map<string, number>();
      for (const key of Object.keys(tf.resource.azurerm_virtual_machine_run_command)) {
        const server = /^[a-z]+_servers_([a-z]+-\d+)_/.exec(key)![1];
        perServer.set(server, (perServer.get(server) ?? 0) + 1);
      }
      expect(Math.max(...perServer.values())).toBeLessThanOrEqual(25);
    });

    test("alerts on the certificate check's events, a day's window evaluated every six hours", () => {
      const alerts = Object.values<any>(tf.resource.azurerm_monitor_scheduled_query_rules_alert_v2).filter((a) => a.name.includes('entra-mfa'));
      expect(alerts.map((a) => [a.name, a.severity, a.evaluation_frequency, a.window_duration, a.criteria[0].query]).sort()).toEqual([
        ['alert-mfaha-prod-entra-mfa-certificate-expired', 1, 'PT6H', 'P1D', entraMfaEventQuery('expired')],
        ['alert-mfaha-prod-entra-mfa-certificate-near-expiry', 2, 'PT6H', 'P1D', entraMfaEventQuery('nearExpiry')],
      ]);
    });
  });

  describe('at stage entra', () => {
    const tf = synthObject(prodAtStage('entra'));
    const commands = runCommands(tf);

    test('the policy removes the adapter first, then the servers restart one after the other', () => {
      expect(after(commands.get('adfs-1/entra-mfa-policy'))).toEqual(['adfs-1/entra-mfa-tenant']);
      expect(after(commands.get('adfs-1/entra-mfa-restart'))).toEqual(['adfs-1/entra-mfa-certificate-check-task', 'adfs-1/entra-mfa-policy']);
      expect(after(commands.get('adfs-3/entra-mfa-restart'))).toEqual(['adfs-3/entra-mfa-certificate-check-task', 'adfs-2/entra-mfa-restart']);
      expect(commands.get('adfs-1/entra-mfa-policy').source.script).toContain('Unregister-AdfsAuthenticationProvider -Name $adapter');
      expect(commands.get('adfs-1/entra-mfa-restart').source.script).toContain('MFA Server adapter removed');
    });

    test('neither checks the behaviour level nor the adapter', () => {
      expect(commands.get('adfs-1/entra-mfa-tenant').source.script).not.toContain('Get-AdfsFarmInformation');
      expect(commands.get('adfs-1/entra-mfa-tenant').source.script).not.toContain('check that the MFA Server adapter is registered');
    });

    test('the first proxy unpublishes the portal instead of publishing it, after its enrollment', () => {
      expect(commands.has('wap-1/wap-publishing')).toBe(false);
      expect(after(commands.get('wap-1/wap-unpublishing'))).toEqual(['wap-1/wap-enrollment']);
      expect(commands.get('wap-1/wap-unpublishing').source.script).toContain("'https://mfa.contoso.com/MultiFactorAuth/'");
    });
  });

  describe('renewing the tenant certificates (migration.adfsCertificateGeneration)', () => {
    const at = (generation: number) => prodAtStage('entra', (c) => (c.migration.adfsCertificateGeneration = generation));

    test('keeps the previous generation registered beside the new one, and drops the one before', () => {
      expect([...registrations(synthObject(at(2))).keys()]).toEqual(SERVERS.flatMap((s) => [`${s}/1`, `${s}/2`]));
      const third = synthObject(at(3));
      expect([...registrations(third).keys()]).toEqual(SERVERS.flatMap((s) => [`${s}/2`, `${s}/3`]));
      const commands = runCommands(third);
      expect(after(commands.get('adfs-1/entra-mfa-certificate-3'))).toEqual(['adfs-1/entra-mfa-certificate-2']);
      expect(after(commands.get('adfs-1/entra-mfa-certificate-check-task'))).toEqual(['adfs-1/entra-mfa-certificate-3']);
    });

    test('runs the restarts again (their script changes), which restart only where a certificate had expired', () => {
      const restart = (generation: number) => runCommands(synthObject(at(generation))).get('adfs-2/entra-mfa-restart').source.script as string;
      expect(restart(2)).not.toBe(restart(1));
    });

    test('refuses a generation that is not a positive integer, in one line', () => {
      expect(refusalOf(prodAtStage('parallel', (c) => (c.migration.adfsCertificateGeneration = 0)))).toBe(
        'environments/test.json: migration.adfsCertificateGeneration must be an integer from 1 to 1000, got 0',
      );
    });
  });
});
