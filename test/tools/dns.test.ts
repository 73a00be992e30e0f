import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { dnsRecordsOf } from '../../config/dns-records';
import { internalRecordsScript, placeInAdDns, publicRecordLines } from '../../tools/dns-commands';
import { runMfaHa } from '../cli-harness';
import { fixtureEnvironments, ROOT, validate, variant } from '../helpers';

describe('the DNS records of the design', () => {
  test('inside: each name points at its internal load balancer; outside: the federation service and the portal point at the proxies', () => {
    const records = dnsRecordsOf(validate(variant('prod')));
    expect(records.map((r) => [r.view, r.fqdn, r.address])).toEqual([
      ['internal', 'mfaapp.contoso.com', '10.30.0.62'],
      ['internal', 'mfa.contoso.com', '10.30.0.126'],
      ['internal', 'sts.contoso.com', '10.30.0.190'],
      ['public', 'sts.contoso.com', undefined],
      ['public', 'mfa.contoso.com', undefined],
    ]);
  });

  test('the portal stays internal when the proxies do not publish it', () => {
    const records = dnsRecordsOf(validate(variant('prod', (c) => (c.wap.publishMfaPortalEnabled = false))));
    expect(records.filter((r) => r.view === 'public').map((r) => r.fqdn)).toEqual(['sts.contoso.com']);
  });

  test('a name under the AD domain goes into its zone; any other name gets a pinpoint zone of its own', () => {
    expect(placeInAdDns('mfaapp.contoso.com', 'contoso.com')).toEqual({ zone: 'contoso.com', name: 'mfaapp', pinpoint: false });
    expect(placeInAdDns('sts.contoso.com', 'corp.contoso.com')).toEqual({ zone: 'sts.contoso.com', name: '@', pinpoint: true });
  });

  // PowerShell parses and runs the DNS script of every shipped configuration: test/powershell/DnsRecords.Tests.ps1.
  test('the internal script adds each record only when missing, and warns when it points elsewhere', () => {
    const env = validate(variant('prod', (c) => (c.dns.federationService = 'sts.fabrikam.com')));
    const script = internalRecordsScript(dnsRecordsOf(env), env.domain.name).text;
    expect(script.match(/Add-DnsServerResourceRecordA @record/g)).toHaveLength(3);
    expect(script).toContain("$record = @{ ZoneName = 'contoso.com'; Name = 'mfaapp'; IPv4Address = '10.30.0.62' }");
    expect(script).toContain(
      "if ($null -eq (Get-DnsServerZone -Name 'sts.fabrikam.com' -ErrorAction SilentlyContinue)) { Add-DnsServerPrimaryZone -Name 'sts.fabrikam.com' -ReplicationScope 'Forest' }",
    );
    expect(script).toContain("Write-Warning 'sts.fabrikam.com already has an A record with another address: point it at 10.30.0.190'");
  });

  test('the public records are zone-file lines with the WAP public IP', () => {
    const records = dnsRecordsOf(validate(variant('prod')));
    expect(publicRecordLines(records, '20.1.2.3')).toEqual([
      'sts.contoso.com.  3600  IN  A  20.1.2.3  ; the Web Application Proxy public IP',
      'mfa.contoso.com.  3600  IN  A  20.1.2.3  ; the Web Application Proxy public IP (portal published by WAP)',
    ]);
    expect(publicRecordLines(records, undefined)[0]).toContain('<wap_public_ip>');
  });
});

describe('npm run dns', () => {
  const dir = fixtureEnvironments();
  afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));
  /** `mfa-ha dns …args` in this process, on the shipped environments. */
  const runDns = (...args: string[]) => runMfaHa(['dns', ...args], { MFA_HA_CONFIG: dir });

  test('writes PowerShell from its first byte, as a user runs it (npm run --silent dns -- prod > records.ps1)', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, MFA_HA_CONFIG: dir };
    for (const key of Object.keys(env)) if (/^npm_config_/i.test(key)) delete env[key];
    // npm writes its banner (`> mfa-ha-cdktf@0.1.0 dns`) on stdout unless --silent: the README shows it so.
    const run = spawnSync('npm', ['run', '--silent', 'dns', '--', 'prod'], { cwd: ROOT, encoding: 'utf8', env });
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith(`# DNS records of prod (${path.join(dir, 'prod.json')}).\n`)).toBe(true);
    // Byte for byte what the tool itself writes: the DNS script PowerShell's parser and Pester run (test/powershell).
    expect(run.stdout).toBe((await runDns('prod')).stdout);
  });

  test('prints the records of an environment, ready to apply', async () => {
    const run = await runDns('prod', '--public-ip', '20.1.2.3');
    expect(run.exitCode).toBeUndefined();
    expect(run.stdout).toContain("$record = @{ ZoneName = 'contoso.com'; Name = 'sts'; IPv4Address = '10.30.0.190' }");
    expect(run.stdout).toContain('#    sts.contoso.com.  3600  IN  A  20.1.2.3');
  });

  test.each([
    [['nope'], 'error: no environment is named "nope" (known: dev, prod)\n'],
    [['prod', '--public-ip', 'x'], 'error: --public-ip must be an IPv4 address, got "x"\n'],
  ])('answers %j with one line and exit 1', async (args, stderr) => {
    const run = await runDns(...args);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(stderr);
  });
});
