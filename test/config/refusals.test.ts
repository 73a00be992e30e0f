import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../stacks/synthesize';
import { apart, variant, workstationEnv } from '../helpers';

/*
 * Every rule, end to end as `npm run synth` runs it: exit code 1, one stderr line naming the file, the field,
 * what was expected and what was found, and an earlier cdktf.out left as it was.
 */

const json = (change: (c: any) => void, base: 'dev' | 'prod' = 'dev') => Buffer.from(JSON.stringify(variant(base, change), null, 2));

/** One file (or a directory of files) per rule, and the start of the line it must produce. */
const cases: [string, Record<string, Buffer>, string, string][] = [
  [
    'subnet capacity',
    {
      'env.json': json((c) => {
        c.network.subnets.mfa = '10.20.0.0/29';
        c.mfa.count = 3;
      }),
    },
    'env.json',
    'network.subnets.mfa must hold mfa.count (3) servers',
  ],
  [
    'frontend placement',
    { 'env.json': json((c) => (c.portal.frontendIp = '10.20.0.37')) },
    'env.json',
    'portal.frontendIp must lie outside 10.20.0.36-10.20.0.37',
  ],
  ['an Azure name rule', { 'env.json': json((c) => (c.keyVault.name = 'kv--x')) }, 'env.json', 'keyVault.name must be a globally unique Key Vault name'],
  ['a tag rule', { 'env.json': json((c) => (c.tags['a<b'] = 'x')) }, 'env.json', 'tags.a<b must have a tag name without control characters'],
  [
    'a reserved key',
    { 'env.json': Buffer.from(JSON.stringify(variant('dev')).replace('"tags":{', '"tags":{"__proto__":"x",')) },
    'env.json',
    'tags.__proto__ must be renamed',
  ],
  ['Trusted Launch sizes', { 'env.json': json((c) => (c.wap.vmSize = 'Standard_A4_v2')) }, 'env.json', 'wap.vmSize must support Trusted Launch'],
  [
    'premium storage sizes',
    { 'env.json': json((c) => (c.mfa.vmSize = 'Standard_D4_v5'), 'prod') },
    'env.json',
    'mfa.vmSize must be premium-storage capable for osDiskType Premium_ZRS',
  ],
  [
    'broad admin networks',
    { 'env.json': json((c) => (c.network.managementCidrs = ['128.0.0.0/2'])) },
    'env.json',
    'network.managementCidrs[0] must be a private range or a public range of /16 or narrower',
  ],
  [
    'broad RADIUS clients',
    { 'env.json': json((c) => (c.mfa.radius.clientCidrs = ['1.0.0.0/8']), 'prod') },
    'env.json',
    'mfa.radius.clientCidrs[0] must be a private range or a public range of /16 or narrower',
  ],
  [
    'private Key Vault firewall ranges',
    { 'env.json': json((c) => (c.keyVault.allowedIpRanges = ['192.168.1.0/24'])) },
    'env.json',
    'keyVault.allowedIpRanges[0] must be a public range',
  ],
  [
    'the file encoding',
    { 'env.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(variant('dev')), 'utf16le')]) },
    'env.json',
    '(top level) must be saved as UTF-8',
  ],
  [
    'one Key Vault in two files',
    {
      'a.json': json((c) => Object.assign(c, apart(c, 'aa', 1))),
      'b.json': json((c) => {
        Object.assign(c, apart(c, 'bb', 2));
        c.certificates.keyVaultName = 'kv-bb-tls';
      }),
    },
    'b.json',
    'keyVault.name must be unique (',
  ],
  [
    'one state blob in two files',
    {
      'a.json': json((c) => {
        Object.assign(c, apart(c, 'aa', 1));
        c.keyVault.name = 'kv-aa';
      }, 'prod'),
      'b.json': json((c) => {
        Object.assign(c, apart(c, 'bb', 2));
        c.keyVault.name = 'kv-bb';
        c.backend.key = 'mfa-ha/aa.tfstate';
      }, 'prod'),
    },
    'b.json',
    'backend.key must be unique (',
  ],
  [
    'one DNS name in two files',
    {
      'a.json': json((c) => {
        Object.assign(c, apart(c, 'aa', 1));
        c.keyVault.name = 'kv-aa';
        c.certificates.keyVaultName = 'kv-aa-tls';
      }),
      'b.json': json((c) => {
        Object.assign(c, apart(c, 'bb', 2));
        c.keyVault.name = 'kv-bb';
        c.certificates.keyVaultName = 'kv-bb-tls';
        c.dns.portal = 'MFA.aa.contoso.com';
      }),
    },
    'b.json',
    'dns.portal must be unique (',
  ],
  [
    'a location that is no Azure region',
    { 'env.json': json((c) => (c.location = 'westeurop')) },
    'env.json',
    'location must be an Azure region listed in config/azure-regions.json (did you mean "westeurope"?), got "westeurop"',
  ],
  [
    'a next hop on the Internet',
    { 'env.json': json((c) => (c.network.egress.nextHopIp = '20.50.1.4'), 'prod') },
    'env.json',
    "network.egress.nextHopIp must be the hub firewall's private address (RFC 1918",
  ],
  [
    'a next hop at the platform address',
    { 'env.json': json((c) => (c.network.egress.nextHopIp = '168.63.129.16'), 'prod') },
    'env.json',
    "network.egress.nextHopIp must be the hub firewall's private address, not Azure's platform address",
  ],
  [
    'a next hop no subnet hands out',
    { 'env.json': json((c) => (c.network.egress.nextHopIp = '10.0.0.0'), 'prod') },
    'env.json',
    'network.egress.nextHopIp must be an address a NIC can hold',
  ],
  [
    'a created vault named like a read one',
    { 'env.json': json((c) => (c.keyVault.name = 'KV-identity-shared')) },
    'env.json',
    'keyVault.name must differ from the vault domain.joinPasswordSecret.keyVaultResourceId reads',
  ],
  [
    'a vault id whose name Azure refuses',
    {
      'env.json': json(
        (c) => (c.domain.joinPasswordSecret.keyVaultResourceId = c.domain.joinPasswordSecret.keyVaultResourceId.replace('kv-identity-shared', 'kv--shared')),
      ),
    },
    'env.json',
    'domain.joinPasswordSecret.keyVaultResourceId must be a Key Vault resource id: /subscriptions/<uuid>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>, with a name of 3-24',
  ],
  [
    'a secret named twice in two cases',
    { 'env.json': json((c) => (c.adfs.farm.adminCredential.passwordSecret.secretName = 'Dev-Domain-Join-Password')) },
    'env.json',
    'adfs.farm.adminCredential.passwordSecret.secretName must be written as domain.joinPasswordSecret.secretName writes it',
  ],
  [
    'a broad public egress range',
    { 'env.json': json((c) => (c.mfa.serviceEgressCidrs = ['20.0.0.0/8'])) },
    'env.json',
    'mfa.serviceEgressCidrs[0] must be a private range or a public range of /16 or narrower',
  ],
  [
    'a federation service named like a server',
    { 'env.json': json((c) => (c.dns.federationService = 'dev-adfs1.dev.contoso.com')) },
    'env.json',
    "dns.federationService must not be a server's name: dev-adfs1",
  ],
  [
    'a gMSA name over 15 characters',
    { 'env.json': json((c) => (c.adfs.farm.groupManagedServiceAccount = 'DEV\\gmsa-adfs-farm-01$')) },
    'env.json',
    'adfs.farm.groupManagedServiceAccount must be a group managed service account whose name is at most 15 characters',
  ],
  [
    'a repeated alert address',
    { 'env.json': json((c) => (c.monitoring.receivers.emails = ['oncall@contoso.com', 'OnCall@contoso.com']), 'prod') },
    'env.json',
    'monitoring.receivers.emails[1] must not repeat monitoring.receivers.emails[0]',
  ],
  [
    "an alert address over Azure Monitor's limit",
    { 'env.json': json((c) => (c.monitoring.receivers.emails = [`${'x'.repeat(53)}@contoso.com`]), 'prod') },
    'env.json',
    'monitoring.receivers.emails[0] must be at most 64 characters',
  ],
  [
    'a reserved admin name',
    { 'env.json': json((c) => (c.vmAdmin = { username: 'Support' })) },
    'env.json',
    'vmAdmin.username must be a name Azure does not reserve',
  ],
  [
    'a join account without a domain',
    { 'env.json': json((c) => (c.domain.joinUsername = 'svc-domainjoin')) },
    'env.json',
    'domain.joinUsername must be a domain account with its domain',
  ],
  [
    'zones in a region without them',
    {
      'env.json': json((c) => {
        c.location = 'westus';
        c.osDiskType = 'Premium_LRS';
      }, 'prod'),
    },
    'env.json',
    'zones must be empty in westus, a region without availability zones',
  ],
  [
    'a sovereign region',
    { 'env.json': json((c) => (c.location = 'usgovtexas')) },
    'env.json',
    "location must be a region of Azure's public cloud: usgovtexas is in Azure Government",
  ],
  ['an Arm64 size', { 'env.json': json((c) => (c.portal.vmSize = 'Standard_D4pls_v5')) }, 'env.json', 'portal.vmSize must be an x64 size'],
  [
    'an image version Azure cannot parse',
    { 'env.json': json((c) => (c.image = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-g2', version: '2024.11' })) },
    'env.json',
    'image.version must be "latest" or Major.Minor.Build',
  ],
  [
    'a VNet over link-local space',
    {
      'env.json': json((c) => {
        c.network.addressSpace = '169.254.0.0/22';
        c.network.subnets = { mfa: '169.254.0.0/27', portal: '169.254.0.32/27', adfs: '169.254.0.64/27', wap: '169.254.0.96/27' };
      }),
    },
    'env.json',
    'network.addressSpace must not overlap 169.254.0.0/16',
  ],
  [
    'a domain controller inside the VNet',
    { 'env.json': json((c) => (c.network.dnsServers = ['10.30.2.4']), 'prod') },
    'env.json',
    'network.dnsServers[0] must lie outside network.addressSpace 10.30.0.0/22',
  ],
  [
    'an OU path of another domain',
    { 'env.json': json((c) => (c.domain.ouPath = 'OU=MFA,DC=fabrikam,DC=com'), 'prod') },
    'env.json',
    'domain.ouPath must lie in the domain joined, domain.name contoso.com',
  ],
  [
    'a service named like the domain',
    { 'env.json': json((c) => (c.dns.mfaApp = 'dev.contoso.com')) },
    'env.json',
    'dns.mfaApp must differ from domain.name dev.contoso.com',
  ],
  [
    'a replication port Windows holds',
    { 'env.json': json((c) => (c.mfa.replicationPort = 5985), 'prod') },
    'env.json',
    'mfa.replicationPort must differ from 5985 (WinRM over HTTP',
  ],
  [
    'a Generation 1 image',
    { 'env.json': json((c) => (c.mfa.image = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2016-Datacenter', version: 'latest' })) },
    'env.json',
    'mfa.image.sku must be a Generation 2 SKU',
  ],
];

describe('every new rule, end to end', () => {
  let root = '';
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-refusals-'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test.each(cases)('%s: exit 1, one line naming file and field, cdktf.out untouched', (name, files, blamed, start) => {
    // GIVEN an environment directory and an earlier cdktf.out
    const dir = path.join(root, name.replace(/\W+/g, '-'));
    const envDir = path.join(dir, 'environments');
    const outdir = path.join(dir, 'cdktf.out');
    fs.mkdirSync(envDir, { recursive: true });
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'marker'), 'earlier run');
    for (const [file, bytes] of Object.entries(files)) fs.writeFileSync(path.join(envDir, file), bytes);
    // WHEN the app runs
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    const saved = process.exitCode;
    process.exitCode = undefined;
    let exitCode: typeof process.exitCode;
    try {
      main({ MFA_HA_CONFIG: envDir, CDKTF_OUTDIR: outdir, ...workstationEnv() });
      exitCode = process.exitCode;
    } finally {
      process.exitCode = saved;
      spy.mockRestore();
    }
    // THEN one line, naming the file, the field and what was expected (and, where a value was found, what)
    const stderr = lines.join('');
    expect(exitCode).toBe(1);
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stderr.startsWith(`error: ${path.join(envDir, blamed)}: ${start}`)).toBe(true);
    // AND nothing was written
    expect(fs.readdirSync(dir).sort()).toEqual(['cdktf.out', 'environments']);
    expect(fs.readdirSync(outdir)).toEqual(['marker']);
    expect(fs.readFileSync(path.join(outdir, 'marker'), 'utf8')).toBe('earlier run');
  });
});

describe('a warning, end to end', () => {
  test('two environments with overlapping address spaces: a warning line, exit 0, both synthesized', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-warning-'));
    const envDir = path.join(dir, 'environments');
    const outdir = path.join(dir, 'cdktf.out');
    fs.mkdirSync(envDir);
    fs.writeFileSync(
      path.join(envDir, 'dev.json'),
      json(() => {}),
    );
    fs.writeFileSync(
      path.join(envDir, 'lab.json'),
      json((c) => {
        Object.assign(c, apart(c, 'lab', 0));
        c.keyVault.name = 'kv-lab';
        c.certificates.keyVaultName = 'kv-lab-tls';
      }),
    );
    const lines: string[] = [];
    // CDKTF_OUTDIR set: run as the cdktf CLI runs the app, which shows stdout as information (stderr as [ERROR]).
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    const saved = process.exitCode;
    process.exitCode = undefined;
    let exitCode: typeof process.exitCode;
    let stacks: string[];
    try {
      main({ MFA_HA_CONFIG: envDir, CDKTF_OUTDIR: outdir, ...workstationEnv() });
      exitCode = process.exitCode;
      stacks = fs.readdirSync(path.join(outdir, 'stacks')).sort();
    } finally {
      process.exitCode = saved;
      spy.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(exitCode).toBeUndefined();
    expect(stacks).toEqual(['dev', 'lab']);
    expect(lines.filter((l) => l.startsWith('warning: '))).toEqual([
      `warning: ${path.join(envDir, 'lab.json')}: network.addressSpace 10.20.0.0/22 overlaps network.addressSpace 10.20.0.0/22 of ${path.join(envDir, 'dev.json')}: fine while the two virtual networks stay apart, but they can then never be peered or reach each other through a hub\n`,
    ]);
    expect(lines.some((l) => l.startsWith('error: '))).toBe(false);
  });
});
