import { createFarmScript, joinFarmScript } from '../../constructs/scripts/adfs';
import { psQuote, renderScript, terraformLiteral } from '../../constructs/scripts/powershell';
import { trustLabCertificatesScript } from '../../constructs/scripts/tls';
import { enrollProxyScript } from '../../constructs/scripts/wap';

const gmsaFarm = {
  federationServiceName: 'sts.contoso.com',
  serviceAccount: { gmsa: 'CONTOSO\\gmsa-adfs$' },
  adminUsername: 'CONTOSO\\adfs-admin',
  adminPasswordSecret: { vaultName: 'kv-identity-shared', secretName: 'adfs-admin-password' },
};
const classicFarm = {
  ...gmsaFarm,
  serviceAccount: { username: 'CONTOSO\\svc-adfs', passwordSecret: { vaultName: 'kv-identity-shared', secretName: 'svc-adfs' } },
};
const trustPasswordSecret = { vaultName: 'kv-identity-perimeter', secretName: 'adfs-proxy-trust-password' };

/*
 * The renderer's guarantees (quoting, parameters, stopping on errors). What the scripts do is tested by running them:
 * test/powershell/*.Tests.ps1 (npm run test:ps) parses every synthesized script with PowerShell's parser and runs it
 * under Pester.
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
    const script = enrollProxyScript({
      federationServiceName: 'sts.contoso.com',
      primaryComputer: 'p.contoso.com',
      trustUsername: "x'; Remove-Item C:\\ -Recurse; '",
      trustPasswordSecret,
    });
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
    parameters: [
      { name: 'Secret', secret: true, description: 'a secret' },
      { name: 'Name', secret: false, description: 'a name' },
    ],
    functions: [{ name: 'Get-Nothing', lines: ['return $null'] }],
    steps: [{ title: 'first', lines: ['Get-Nothing'] }],
  });

  test('declares every parameter as mandatory, stops on any error and exits 1 naming the step', () => {
    expect(script.text).toMatch(
      /param\(\n {2}\[Parameter\(Mandatory = \$true\)\]\[string\]\$Secret,\n {2}\[Parameter\(Mandatory = \$true\)\]\[string\]\$Name\n\)/,
    );
    expect(script.text).toContain("$ErrorActionPreference = 'Stop'");
    expect(script.text).toContain('Set-StrictMode -Version Latest');
    expect(script.text).toContain("$step = 'first'");
    expect(script.text).toMatch(/catch \{\n.*example failed at.*\n {2}exit 1\n\}/);
  });

  test('refuses a parameter declared twice', () => {
    expect(() =>
      renderScript({
        name: 'x',
        summary: 'x',
        parameters: [
          { name: 'A', secret: false, description: '' },
          { name: 'A', secret: true, description: '' },
        ],
        functions: [],
        steps: [],
      }),
    ).toThrow(/declared twice/);
  });
});

/*
 * What each script takes and holds, which no run shows: its parameters, and the addresses written into it. What the
 * scripts do (creating and joining the farm, registering and publishing through the proxies, binding certificates)
 * is tested by running them against stubs that keep the servers' state (test/powershell/AdfsFarm, WebApplicationProxy,
 * IisBinding and TrustLabCertificates .Tests.ps1), never by reading their text.
 */
describe('what the scripts take', () => {
  test('no password is a parameter: the farm scripts take only their identity, and read each password from Key Vault at run time', () => {
    expect(joinFarmScript({ ...classicFarm, primaryComputer: 'prod-adfs1.contoso.com' }).parameters).toEqual([
      {
        name: 'IdentityClientId',
        secret: false,
        description: "client id of the AD FS servers' managed identity, which reads the passwords from Key Vault at run time",
      },
    ]);
    expect(createFarmScript({ ...gmsaFarm, computerNamePrefix: 'prod-adfs' }).parameters.map((p) => p.name)).toEqual(['IdentityClientId']);
    expect(
      enrollProxyScript({
        federationServiceName: 'sts.contoso.com',
        primaryComputer: 'prod-adfs1.contoso.com',
        trustUsername: 'CONTOSO\\adfs-proxy-trust',
        trustPasswordSecret,
      }).parameters.every((p) => !p.secret),
    ).toBe(true);
  });

  test("the proxy enrollment holds no address of the environment: the only one is the platform's instance metadata service", () => {
    const enroll = enrollProxyScript({
      federationServiceName: 'sts.contoso.com',
      primaryComputer: 'prod-adfs1.contoso.com',
      trustUsername: 'CONTOSO\\adfs-proxy-trust',
      trustPasswordSecret,
    }).text;
    expect(enroll.match(/\d+\.\d+\.\d+\.\d+/g)).toEqual(['169.254.169.254']);
  });

  test('lab certificates arrive as public parameters: public parts only', () => {
    const script = trustLabCertificatesScript([
      { dnsName: 'a.contoso.com', parameter: 'A' },
      { dnsName: 'b.contoso.com', parameter: 'B' },
    ]);
    expect(script.parameters.map((p) => [p.name, p.secret])).toEqual([
      ['A', false],
      ['B', false],
    ]);
  });
});
