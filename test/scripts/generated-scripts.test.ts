import { createFarmScript, joinFarmScript } from '../../constructs/scripts/adfs';
import { psQuote, renderScript, terraformLiteral } from '../../constructs/scripts/powershell';
import { bindIisHttpsScript, trustLabCertificatesScript } from '../../constructs/scripts/tls';
import { enrollProxyScript, HOSTS_MARKER, mfaPortalApplications, publishApplicationsScript } from '../../constructs/scripts/wap';

const gmsaFarm = {
  federationServiceName: 'sts.contoso.com',
  serviceAccount: { gmsa: 'CONTOSO\\gmsa-adfs$' },
  adminUsername: 'CONTOSO\\adfs-admin',
  adminPasswordSecret: { vaultName: 'kv-identity-shared', secretName: 'adfs-admin-password' },
};
const classicFarm = { ...gmsaFarm, serviceAccount: { username: 'CONTOSO\\svc-adfs', passwordSecret: { vaultName: 'kv-identity-shared', secretName: 'svc-adfs' } } };
const trustPasswordSecret = { vaultName: 'kv-identity-perimeter', secretName: 'adfs-proxy-trust-password' };
const publishing = { federationServiceName: 'sts.contoso.com', primaryComputer: 'prod-adfs1.contoso.com', certificateName: 'mfa.contoso.com', applications: mfaPortalApplications('mfa.contoso.com') };

/*
 * What the scripts say, as text. What they do is tested by running them: test/powershell/*.Tests.ps1
 * (npm run test:ps) parses every synthesized script with PowerShell's parser and runs it under Pester.
 */

describe('quoting: every config value enters a script as a single-quoted literal', () => {
  test.each([
    ['plain', 'sts.contoso.com', "'sts.contoso.com'"],
    ['a quote', "o'brien", "'o''brien'"],
    ['typographic quotes, which PowerShell also ends strings with', 'a\u2019b\u2018c', "'a\u2019\u2019b\u2018\u2018c'"],
    ['a variable and a subexpression, kept literal', '$env:x $(Get-Date)', "'$env:x $(Get-Date)'"],
  ])('%s', (_name, value, quoted) => {
    expect(psQuote(value)).toBe(quoted);
  });

  test('refuses control characters, which no config field may hold', () => {
    expect(() => psQuote('a\nb')).toThrow(/control characters/);
  });

  test('a hostile user name stays one string in the generated script', () => {
    const script = enrollProxyScript({ federationServiceName: 'sts.contoso.com', primaryComputer: 'p.contoso.com', trustUsername: "x'; Remove-Item C:\\ -Recurse; '", trustPasswordSecret });
    expect(script.text).toContain("'x''; Remove-Item C:\\ -Recurse; '''");
  });

  test('escapes Terraform template sequences in script text', () => {
    expect(terraformLiteral('${x} %{y} $z')).toBe('$${x} %%{y} $z');
  });
});

describe('the renderer', () => {
  const script = renderScript({
    name: 'example',
    summary: 'an example',
    parameters: [{ name: 'Secret', secret: true, description: 'a secret' }, { name: 'Name', secret: false, description: 'a name' }],
    functions: [{ name: 'Get-Nothing', lines: ['return $null'] }],
    steps: [{ title: 'first', lines: ['Get-Nothing'] }],
  });

  test('declares every parameter as mandatory, stops on any error and exits 1 naming the step', () => {
    expect(script.text).toMatch(/param\(\n {2}\[Parameter\(Mandatory = \$true\)\]\[string\]\$Secret,\n {2}\[Parameter\(Mandatory = \$true\)\]\[string\]\$Name\n\)/);
    expect(script.text).toContain("$ErrorActionPreference = 'Stop'");
    expect(script.text).toContain('Set-StrictMode -Version Latest');
    expect(script.text).toContain("$step = 'first'");
    expect(script.text).toMatch(/catch \{\n.*example failed at.*\n {2}exit 1\n\}/);
  });

  test('refuses a parameter declared twice', () => {
    expect(() => renderScript({ name: 'x', summary: 'x', parameters: [{ name: 'A', secret: false, description: '' }, { name: 'A', secret: true, description: '' }], functions: [], steps: [] })).toThrow(/declared twice/);
  });
});

describe('AD FS farm scripts', () => {
  const create = createFarmScript({ ...gmsaFarm, computerNamePrefix: 'prod-adfs' }).text;
  const join = joinFarmScript({ ...classicFarm, primaryComputer: 'prod-adfs1.contoso.com' });

  test('the first server creates a WID farm with the gMSA, the certificate found by name and the admin credential', () => {
    expect(create).toContain("$certificate = Find-TlsCertificate -DnsName 'sts.contoso.com'");
    expect(create).toContain("$farm['GroupServiceAccountIdentifier'] = 'CONTOSO\\gmsa-adfs$'");
    expect(create).toContain("$farm['FederationServiceName'] = 'sts.contoso.com'");
    expect(create).toContain('Install-AdfsFarm @farm');
    expect(create).not.toContain('SQLConnectionString');
  });

  /** The statements of a step, by its title's start. */
  const stepOf = (text: string, title: string) => {
    const from = text.indexOf(`$step = '${title}`);
    expect(from).toBeGreaterThan(0);
    const next = text.indexOf('$step = ', from + 1);
    return text.slice(from, next < 0 ? undefined : next);
  };

  test('is idempotent: the first step exits, successfully, on a server already configured, before anything changes', () => {
    for (const text of [create, join.text]) {
      const guard = stepOf(text, 'stop here if AD FS is already configured');
      expect(guard).toMatch(/if \(\$null -ne \$status -and \$status\.FSConfigurationStatus -eq 2\) \{\n(.*\n){5} {4}exit 0\n {2}\}/);
      expect(text.indexOf(guard)).toBeLessThan(Math.min(...['Install-AdfsFarm @farm', 'Add-AdfsFarmNode @farm'].map((c) => text.indexOf(c)).filter((i) => i >= 0)));
    }
  });

  test('overwrites a configuration an earlier run of the script started, and only that', () => {
    expect(create).toContain('$overwrite = Test-Path -LiteralPath $marker');
    expect(create).toContain("if ($overwrite) { $farm['OverwriteConfiguration'] = $true }");
    expect(create.indexOf('New-Item -ItemType File -Path $marker')).toBeLessThan(create.indexOf('Install-AdfsFarm @farm'));
  });

  test('refuses to create a second farm when another server of the tier, found in AD by name, already runs AD FS', () => {
    const check = stepOf(create, 'make sure no other prod-adfs* server already runs a farm');
    expect(check).toContain("('(&(objectCategory=computer)(name={0}*))' -f 'prod-adfs')");
    expect(check).toContain('if (Test-AdfsProbe -Computer $peer) { throw');
    expect(create.indexOf(check)).toBeLessThan(create.indexOf('Install-AdfsFarm @farm'));
  });

  test('with a gMSA, renews the computer\'s Kerberos tickets before using it', () => {
    expect(create.indexOf('klist.exe -li 0x3e7 purge')).toBeLessThan(create.indexOf('Install-AdfsFarm @farm'));
    expect(join.text).not.toContain('klist.exe');
  });

  test('the other servers join the primary over HTTP 80 after it answers, with the same service account', () => {
    expect(join.text).toContain("while (-not (Test-AdfsProbe -Computer 'prod-adfs1.contoso.com'))");
    expect(join.text).toContain("$farm['PrimaryComputerName'] = 'prod-adfs1.contoso.com'");
    expect(join.text).toContain("$farm['PrimaryComputerPort'] = 80");
    expect(join.text).toContain("$farm['ServiceAccountCredential'] = $service");
    expect(join.text).toContain('Add-AdfsFarmNode @farm');
  });

  test('no password is a parameter: the scripts take their identity and read each password from Key Vault at run time', () => {
    expect(join.parameters).toEqual([{ name: 'IdentityClientId', secret: false, description: "client id of the AD FS servers' managed identity, which reads the passwords from Key Vault at run time" }]);
    expect(createFarmScript({ ...gmsaFarm, computerNamePrefix: 'prod-adfs' }).parameters.map((p) => p.name)).toEqual(['IdentityClientId']);
    // The reading is an expression, so it is wrapped in parentheses (about_Parsing); Pester runs it (test/powershell).
    expect(join.text).toContain("ConvertTo-SecureString -String (Read-KeyVaultSecret -VaultName 'kv-identity-shared' -SecretName 'adfs-admin-password' -ClientId $IdentityClientId) -AsPlainText -Force");
    expect(join.text).toContain("-SecretName 'svc-adfs'");
  });
});

describe('Web Application Proxy scripts', () => {
  const enroll = enrollProxyScript({ federationServiceName: 'sts.contoso.com', primaryComputer: 'prod-adfs1.contoso.com', trustUsername: 'CONTOSO\\adfs-proxy-trust', trustPasswordSecret }).text;
  const publish = publishApplicationsScript(publishing).text;

  test('registers the proxy once (ProxyConfigurationStatus), after checking the name resolves through the domain controllers', () => {
    const guard = enroll.indexOf("'ProxyConfigurationStatus'");
    expect(guard).toBeGreaterThan(0);
    expect(enroll.indexOf("Resolve-DnsName -Name 'sts.contoso.com' -Type A -DnsOnly")).toBeGreaterThan(guard);
    expect(enroll).toContain('Install-WebApplicationProxy @proxy');
    expect(enroll).toContain('FederationServiceTrustCredential = $trust');
  });

  test('enrolls against the primary through a marked hosts entry, removed in a finally block', () => {
    const added = enroll.indexOf('Add-Content -Path $hosts');
    const install = enroll.indexOf('Install-WebApplicationProxy @proxy');
    const removed = enroll.indexOf('} finally {');
    expect(added).toBeLessThan(install);
    expect(removed).toBeGreaterThan(install);
    expect(enroll.split(HOSTS_MARKER).length - 1).toBe(3);
    // No address of the environment: the only one is the platform's instance metadata service, which every VM has.
    expect(enroll.match(/\d+\.\d+\.\d+\.\d+/g)).toEqual(['169.254.169.254']);
  });

  test('publishes the user portal and the mobile app web service, pass-through, under the portal name, once', () => {
    for (const path of ['/MultiFactorAuth/', '/MultiFactorAuthMobileAppWebService/']) {
      expect(publish).toContain(`ExternalUrl = 'https://mfa.contoso.com${path}'; BackendServerUrl = 'https://mfa.contoso.com${path}'`);
    }
    expect(publish.match(/ExternalPreauthentication = 'PassThrough'/g)).toHaveLength(2);
    expect(publish.match(/Get-WebApplicationProxyApplication -Name/g)).toHaveLength(2);
    expect(publish).toContain('Set-WebApplicationProxyApplication -ID $existing[0].ID');
  });
});

describe('TLS scripts', () => {
  test('IIS binds HTTPS 443 to the certificate found by name, only when the thumbprint differs', () => {
    const text = bindIisHttpsScript('mfaapp.contoso.com').text;
    expect(text).toContain("Find-TlsCertificate -DnsName 'mfaapp.contoso.com'");
    expect(text.indexOf('$sslBinding.Thumbprint -eq $certificate.Thumbprint')).toBeLessThan(text.indexOf('.AddSslCertificate($certificate.Thumbprint'));
    expect(text).toContain("New-WebBinding -Name 'Default Web Site' -Protocol 'https' -Port 443");
  });

  test('finds certificates by each of their names', () => {
    const text = bindIisHttpsScript('x.contoso.com').text;
    expect(text).toContain('@($_.DnsNameList | ForEach-Object { [string]$_.Unicode })');
  });

  test('finds certificates with their private key, valid now (NotBefore too), newest first, in LocalMachine\\My', () => {
    const text = bindIisHttpsScript('x.contoso.com').text;
    expect(text).toContain("Get-ChildItem -Path 'Cert:\\LocalMachine\\My'");
    expect(text).toContain('$_.HasPrivateKey -and $_.NotBefore -le $now -and $_.NotAfter -gt $now');
    expect(text).toContain('Sort-Object -Property NotAfter -Descending');
  });

  test('lab certificates go to LocalMachine\\Root once, public parts only', () => {
    const script = trustLabCertificatesScript([{ dnsName: 'a.contoso.com', parameter: 'A' }, { dnsName: 'b.contoso.com', parameter: 'B' }]);
    expect(script.parameters.every((p) => !p.secret)).toBe(true);
    expect(script.text).toContain("-ArgumentList 'Root', 'LocalMachine'");
    expect(script.text).toContain('foreach ($encoded in @($A, $B))');
    expect(script.text.indexOf('$_.Thumbprint -eq $certificate.Thumbprint')).toBeLessThan(script.text.indexOf('$store.Add($certificate)'));
  });
});
