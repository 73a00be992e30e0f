import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../../config/errors';
import { loadEnvironments, parseEnvironment } from '../../config/load';
import { apart, fixtureEnvironments, refusalOf, ROOT, validate, variant } from '../helpers';

describe('environment config', () => {
  test('accepts both shipped environments and fills in defaults', () => {
    const dev = validate(variant('dev'));
    expect(dev.mfa).toMatchObject({ masterIndex: 0, replicationPort: 4443, smsOtpEnabled: false, radius: { enabled: false } });
    expect(dev.backend).toEqual({ type: 'local' });
    const prod = validate(variant('prod'));
    expect(prod.zones).toEqual(['1', '2', '3']);
    expect(prod.mfa.radius).toMatchObject({ enabled: true, authenticationPort: 1812, accountingPort: 1813 });
  });

  test.each([['malformed JSON', null, 'environments/test.json: (top level) must be valid JSON']])('rejects %s', (_name, _input, message) => {
    expect(() => parseEnvironment('environments/test.json', '{ "name": "dev", }')).toThrow(message);
  });

  const cases: [string, (c: any) => void, string][] = [
    [
      'an unknown field (a typo), naming the field it likely means',
      (c) => (c.mfa.cout = 3),
      'environments/test.json: mfa.cout is not a known field (did you mean "count"? see environments/environment.schema.json)',
    ],
    [
      'a misspelt field in another letter case',
      (c) => (c.network.AddressSpace = '10.20.0.0/22'),
      'environments/test.json: network.AddressSpace is not a known field (did you mean "addressSpace"? see environments/environment.schema.json)',
    ],
    [
      'an unknown field like none of its neighbours',
      (c) => (c.mfa.colour = 'blue'),
      'environments/test.json: mfa.colour is not a known field (see environments/environment.schema.json)',
    ],
    [
      'a misspelt required field, naming the typo first',
      (c) => {
        c.network.adressSpace = c.network.addressSpace;
        delete c.network.addressSpace;
      },
      'network.adressSpace is not a known field',
    ],
    ['a missing required field', (c) => delete c.location, 'environments/test.json: location is required: an Azure region name'],
    [
      'a wrong type',
      (c) => (c.mfa.count = '3'),
      'environments/test.json: mfa.count must be an integer from 2 to 20 (high availability needs at least 2 servers), got "3"',
    ],
    ['fewer than 2 MFA servers', (c) => (c.mfa.count = 1), 'mfa.count must be an integer from 2 to 20 (high availability needs at least 2 servers), got 1'],
    ['fewer than 2 AD FS servers', (c) => (c.adfs.count = 0), 'adfs.count must be an integer from 2 to 20'],
    ['fewer than 2 WAP servers', (c) => (c.wap.count = 1), 'wap.count must be an integer from 2 to 20'],
    ['fewer than 2 portal servers', (c) => (c.portal.count = 1), 'portal.count must be an integer from 2 to 20'],
    ['a master index out of range', (c) => (c.mfa.masterIndex = 2), 'mfa.masterIndex must be an integer from 0 to 1 (mfa.count is 2), got 2'],
    ['a negative master index', (c) => (c.mfa.masterIndex = -1), 'mfa.masterIndex must be an integer ≥ 0'],
    ['an invalid port', (c) => (c.mfa.replicationPort = 70000), 'mfa.replicationPort must be a port number from 1 to 65535, got 70000'],
    ['a replication port on HTTPS', (c) => (c.mfa.replicationPort = 443), 'mfa.replicationPort must differ from 443 (HTTPS), got 443'],
    [
      'a CIDR that is not one',
      (c) => (c.network.subnets.mfa = '10.20.0.0/33'),
      'network.subnets.mfa must be an IPv4 CIDR such as 10.0.1.0/24, got "10.20.0.0/33"',
    ],
    ['a CIDR with host bits', (c) => (c.network.subnets.mfa = '10.20.0.5/27'), 'network.subnets.mfa must be a CIDR whose address is its network address'],
    [
      'a subnet outside the VNet',
      (c) => (c.network.subnets.wap = '10.99.0.0/27'),
      'network.subnets.wap must lie inside network.addressSpace 10.20.0.0/22, got "10.99.0.0/27"',
    ],
    [
      'overlapping subnets',
      (c) => (c.network.subnets.adfs = '10.20.0.0/26'),
      'network.subnets.adfs must not overlap network.subnets.mfa (10.20.0.0/27), got "10.20.0.0/26"',
    ],
    ['a small Bastion subnet', (c) => (c.network.subnets.bastion = '10.20.1.0/27'), 'network.subnets.bastion must be /26 or larger'],
    [
      'a frontend IP outside its subnet',
      (c) => (c.mfa.frontendIp = '10.20.0.40'),
      'mfa.frontendIp must be an assignable address of network.subnets.mfa 10.20.0.0/27, got "10.20.0.40"',
    ],
    ['a frontend IP Azure reserves', (c) => (c.portal.frontendIp = '10.20.0.33'), 'portal.frontendIp must be an assignable address'],
    [
      'RDP from the whole Internet',
      (c) => (c.network.managementCidrs = ['0.0.0.0/0']),
      'network.managementCidrs[0] must be an admin network, never the whole Internet',
    ],
    ['RADIUS on without clients', (c) => (c.mfa.radius = { enabled: true }), 'mfa.radius.clientCidrs must list at least one RADIUS client range'],
    [
      'RADIUS ports equal',
      (c) => (c.mfa.radius = { enabled: true, clientCidrs: ['10.9.0.0/24'], accountingPort: 1812 }),
      'mfa.radius.accountingPort must differ from mfa.radius.authenticationPort',
    ],
    ['a repeated zone', (c) => (c.zones = ['1', '1']), 'zones must not repeat a zone'],
    ['a single zone', (c) => (c.zones = ['2']), 'zones must list 2 or 3 zones, or none'],
    ['an unknown zone', (c) => (c.zones = ['1', '4']), 'zones[1] must be one of "1", "2", "3", got "4"'],
    ['a long environment name', (c) => (c.name = 'development'), 'name must be 2-7 lowercase letters or digits'],
    ['an unknown backend type', (c) => (c.backend = { type: 's3' }), 'backend.type must be "local" or "azurerm", got "s3"'],
    [
      'a bad Key Vault id',
      (c) => (c.domain.joinPasswordSecret.keyVaultResourceId = 'kv-shared'),
      'domain.joinPasswordSecret.keyVaultResourceId must be a Key Vault resource id',
    ],
  ];
  test.each(cases)('rejects %s, each mistake on a line of its own', (_name, change, message) => {
    const text = refusalOf(variant('dev', change));
    expect(text.split('\n')[0]).toContain(message);
    for (const line of text.split('\n')) expect(line).toMatch(/^environments\/test\.json: \S+ (is|must) /);
  });
});

describe('environment files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-env-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown) => fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));

  test('reads every *.json of a directory but the schema, in name order', () => {
    write(
      'b.json',
      variant('dev', (c) => {
        Object.assign(c, apart(c, 'bee', 1));
        c.keyVault.name = 'kv-bee';
        c.certificates.keyVaultName = 'kv-bee-tls';
      }),
    );
    write(
      'a.json',
      variant('dev', (c) => {
        Object.assign(c, apart(c, 'ay', 2));
        c.keyVault.name = 'kv-ay';
        c.certificates.keyVaultName = 'kv-ay-tls';
      }),
    );
    write('environment.schema.json', '{}');
    expect(loadEnvironments(dir).map((l) => l.env.name)).toEqual(['ay', 'bee']);
  });

  test('rejects two files with one environment name', () => {
    write(
      'c.json',
      variant('dev', (c) => {
        Object.assign(c, apart(c, 'see', 3));
        c.name = 'ay';
        c.keyVault.name = 'kv-see';
        c.certificates.keyVaultName = 'kv-see-tls';
      }),
    );
    expect(() => loadEnvironments(dir)).toThrow(`${path.join(dir, 'c.json')}: name must be unique (${path.join(dir, 'a.json')} already uses it), got "ay"`);
    fs.rmSync(path.join(dir, 'c.json'));
  });

  test('rejects two files with one Key Vault, whatever the letter case, naming both', () => {
    write(
      'c.json',
      variant('dev', (c) => {
        Object.assign(c, apart(c, 'see', 3));
        c.keyVault.name = 'KV-Ay';
        c.certificates.keyVaultName = 'kv-see-tls';
      }),
    );
    expect(() => loadEnvironments(dir)).toThrow(
      `${path.join(dir, 'c.json')}: keyVault.name must be unique (${path.join(dir, 'a.json')} already uses it; Key Vault names are global), got "KV-Ay"`,
    );
    write(
      'c.json',
      variant('dev', (c) => {
        Object.assign(c, apart(c, 'see', 3));
        c.keyVault.name = 'kv-see';
        c.certificates.keyVaultName = 'KV-AY-TLS';
      }),
    );
    expect(() => loadEnvironments(dir)).toThrow(
      `${path.join(dir, 'c.json')}: certificates.keyVaultName must be unique (${path.join(dir, 'a.json')} already uses it; Key Vault names are global), got "KV-AY-TLS"`,
    );
    fs.rmSync(path.join(dir, 'c.json'));
  });

  test('rejects two files with one state blob, the default key included, naming both', () => {
    const azurerm = { type: 'azurerm', resourceGroupName: 'rg-state', storageAccountName: 'ststate', containerName: 'tfstate' };
    write(
      'p.json',
      variant('prod', (c) => {
        Object.assign(c, apart(c, 'pee', 4));
        c.keyVault.name = 'kv-pee';
        c.backend = azurerm;
      }),
    );
    write(
      'q.json',
      variant('prod', (c) => {
        Object.assign(c, apart(c, 'queue', 5));
        c.keyVault.name = 'kv-queue';
        c.backend = { ...azurerm, key: 'mfa-ha/pee.tfstate' };
      }),
    );
    expect(() => loadEnvironments(dir)).toThrow(
      `${path.join(dir, 'q.json')}: backend.key must be unique (${path.join(dir, 'p.json')} already uses it; two stacks would share one Terraform state), got "ststate/tfstate/mfa-ha/pee.tfstate"`,
    );
    // Another container is another state.
    write(
      'q.json',
      variant('prod', (c) => {
        Object.assign(c, apart(c, 'queue', 5));
        c.keyVault.name = 'kv-queue';
        c.backend = { ...azurerm, containerName: 'tfstate2', key: 'mfa-ha/pee.tfstate' };
      }),
    );
    expect(loadEnvironments(dir).map((l) => l.env.name)).toEqual(['ay', 'bee', 'pee', 'queue']);
    fs.rmSync(path.join(dir, 'p.json'));
    fs.rmSync(path.join(dir, 'q.json'));
  });

  test('flags a file name that is no environment name on that file, and files what a copy shares against the copy, not the original', () => {
    // GIVEN the shipped files and a copy of dev saved as "Lab Test.json", its name still "dev" (it sorts before dev.json)
    const dir = fixtureEnvironments();
    try {
      fs.copyFileSync(path.join(dir, 'dev.json'), path.join(dir, 'Lab Test.json'));
      let lines: string[] = [];
      try {
        loadEnvironments(dir);
      } catch (e) {
        lines = (e as Error).message.split('\n');
      }
      const copy = path.join(dir, 'Lab Test.json');
      // THEN its name is flagged on it, in one line, and every value it shares with dev.json is filed against it
      expect(lines[0]).toBe(
        `${copy}: (file name) must be the environment's name in lowercase letters, digits and hyphens, such as labtest.json, got "Lab Test.json"`,
      );
      expect(lines.slice(1).map((l) => l.slice(0, l.indexOf(' must be unique')))).toEqual([
        `${copy}: name`,
        `${copy}: keyVault.name`,
        `${copy}: certificates.keyVaultName`,
        `${copy}: dns.mfaApp`,
        `${copy}: dns.portal`,
        `${copy}: dns.federationService`,
      ]);
      expect(lines.slice(1).every((l) => l.includes(`(${path.join(dir, 'dev.json')} already uses it`))).toBe(true);
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  test('reports malformed JSON with its line and column', () => {
    write('broken.json', '{\n  "name": "dev",\n}');
    expect(() => loadEnvironments(path.join(dir, 'broken.json'))).toThrow(/broken\.json: \(top level\) must be valid JSON \(.* at line 3, column 1\)/);
  });

  test('names a missing file', () => {
    expect(() => loadEnvironments(path.join(dir, 'nope.json'))).toThrow(
      'nope.json: (top level) must be an environment JSON file or a directory of them (MFA_HA_CONFIG), got "no such file or directory"',
    );
  });
});

describe('every mistake at once', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-all-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown) => fs.writeFileSync(path.join(dir, name), JSON.stringify(content));
  const linesOf = (run: () => unknown) => {
    try {
      run();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message.split('\n');
    }
    throw new Error('expected a ConfigError');
  };

  test('reports the field mistakes and the whole-topology mistakes of a file in one run, one line each', () => {
    const lines = linesOf(() =>
      validate(
        variant('dev', (c) => {
          c.location = 'westeurop';
          c.mfa.cuont = 3;
          c.portal.count = 1;
          c.network.subnets.adfs = '10.20.0.0/26';
          c.keyVault.allowedIpRanges = ['192.168.1.0/24'];
        }),
        'environments/test.json',
      ),
    );
    expect(lines).toEqual([
      'environments/test.json: mfa.cuont is not a known field (see environments/environment.schema.json)',
      'environments/test.json: location must be an Azure region listed in config/azure-regions.json (did you mean "westeurope"?), got "westeurop"',
      'environments/test.json: portal.count must be an integer from 2 to 20 (high availability needs at least 2 servers), got 1',
      'environments/test.json: network.subnets.adfs must not overlap network.subnets.mfa (10.20.0.0/27), got "10.20.0.0/26"',
      'environments/test.json: network.subnets.adfs must not overlap network.subnets.portal (10.20.0.32/27), got "10.20.0.0/26"',
      'environments/test.json: keyVault.allowedIpRanges[0] must be a public range: the Key Vault firewall refuses RFC 1918 ranges (reach the vault from a VNet through a private endpoint instead), got "192.168.1.0/24"',
    ]);
  });

  test('says nothing of a rule that would judge a field it had to leave out', () => {
    // mfa.count is invalid: its default (2) would make masterIndex 2 look out of range.
    const lines = linesOf(() =>
      validate(
        variant('dev', (c) => {
          c.mfa.count = '3';
          c.mfa.masterIndex = 2;
        }),
      ),
    );
    expect(lines).toEqual(['test.json: mfa.count must be an integer from 2 to 20 (high availability needs at least 2 servers), got "3"']);
  });

  test('caps the report, and says so', () => {
    const lines = linesOf(() => validate(variant('dev', (c) => (c.network.managementCidrs = Array.from({ length: 40 }, () => 'x')))));
    expect(lines).toHaveLength(26);
    expect(lines[25]).toBe('15 more mistake(s) not shown: only the first 25 are reported; fix these and run again');
  });

  test('reports the mistakes of every file of a directory, and what two files share, naming both', () => {
    write(
      'a.json',
      variant('dev', (c) => (c.mfa.count = 1)),
    );
    write(
      'b.json',
      variant('dev', (c) => {
        Object.assign(c, apart(c, 'bee', 1));
        c.keyVault.name = 'kv-bee';
        c.certificates.keyVaultName = 'kv-bee-tls';
        c.dns.federationService = 'sts.shared.contoso.com';
      }),
    );
    write(
      'c.json',
      variant('dev', (c) => {
        Object.assign(c, apart(c, 'see', 2));
        c.keyVault.name = 'kv-see';
        c.certificates.keyVaultName = 'kv-see-tls';
        c.dns.portal = 'STS.Shared.contoso.com';
      }),
    );
    write(
      'd.json',
      variant('dev', (c) => {
        Object.assign(c, apart(c, 'dee', 3));
        c.keyVault.name = 'kv-see';
        c.certificates.keyVaultName = 'kv-dee-tls';
        c.dns.mfaApp = 'mfaapp.see.contoso.com';
      }),
    );
    try {
      expect(linesOf(() => loadEnvironments(dir))).toEqual([
        `${path.join(dir, 'a.json')}: mfa.count must be an integer from 2 to 20 (high availability needs at least 2 servers), got 1`,
        `${path.join(dir, 'd.json')}: keyVault.name must be unique (${path.join(dir, 'c.json')} already uses it; Key Vault names are global), got "kv-see"`,
        `${path.join(dir, 'c.json')}: dns.portal must be unique (${path.join(dir, 'b.json')}, dns.federationService already uses it; a DNS name points at one load balancer), got "sts.shared.contoso.com"`,
        `${path.join(dir, 'd.json')}: dns.mfaApp must be unique (${path.join(dir, 'c.json')} already uses it; a DNS name points at one load balancer), got "mfaapp.see.contoso.com"`,
      ]);
    } finally {
      for (const f of ['a', 'b', 'c', 'd']) fs.rmSync(path.join(dir, `${f}.json`));
    }
  });

  test('warns of overlapping address spaces across files, and loads them', () => {
    write('a.json', variant('dev'));
    write(
      'b.json',
      variant('dev', (c) => {
        Object.assign(c, apart(c, 'bee', 0));
        c.keyVault.name = 'kv-bee';
        c.certificates.keyVaultName = 'kv-bee-tls';
        c.network.addressSpace = '10.20.0.0/16';
      }),
    );
    const warnings: string[] = [];
    expect(loadEnvironments(dir, (w) => warnings.push(w.message)).map((l) => l.env.name)).toEqual(['dev', 'bee']);
    expect(warnings).toEqual([
      `${path.join(dir, 'b.json')}: network.addressSpace 10.20.0.0/16 overlaps network.addressSpace 10.20.0.0/22 of ${path.join(dir, 'a.json')}: fine while the two virtual networks stay apart, but they can then never be peered or reach each other through a hub`,
    ]);
  });
});

describe('tier 0: environments do not share secrets', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-secrets-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown) => fs.writeFileSync(path.join(dir, name), JSON.stringify(content));
  const shared = (c: any) => (c.domain.joinPasswordSecret.secretName = 'Shared-Join');

  test('refuses a production file that reads a secret another file reads, naming both, whatever the letter case', () => {
    write(
      'a.json',
      variant('prod', (c) => {
        Object.assign(c, apart(c, 'ay', 2));
        c.keyVault.name = 'kv-ay';
        shared(c);
      }),
    );
    write(
      'b.json',
      variant('dev', (c) => {
        Object.assign(c, apart(c, 'bee', 1));
        c.keyVault.name = 'kv-bee';
        c.certificates.keyVaultName = 'kv-bee-tls';
        c.domain.joinPasswordSecret.secretName = 'shared-join';
      }),
    );
    expect(() => loadEnvironments(dir)).toThrow(
      `${path.join(dir, 'b.json')}: domain.joinPasswordSecret.secretName must be unique (${path.join(dir, 'a.json')} already uses it; environments do not share secrets (purpose "lab" in both files allows it for labs)), got "shared-join in kv-identity-shared"`,
    );
  });

  test('lets two labs share a secret, as both files say', () => {
    write(
      'a.json',
      variant('dev', (c) => {
        Object.assign(c, apart(c, 'ay', 2));
        c.keyVault.name = 'kv-ay';
        c.certificates.keyVaultName = 'kv-ay-tls';
        shared(c);
      }),
    );
    write(
      'b.json',
      variant('dev', (c) => {
        Object.assign(c, apart(c, 'bee', 1));
        c.keyVault.name = 'kv-bee';
        c.certificates.keyVaultName = 'kv-bee-tls';
        shared(c);
      }),
    );
    expect(loadEnvironments(dir).map((l) => [l.env.name, l.env.purpose])).toEqual([
      ['ay', 'lab'],
      ['bee', 'lab'],
    ]);
  });

  test('the shipped dev and prod share none', () => {
    const fixtures = fixtureEnvironments();
    try {
      expect(loadEnvironments(fixtures).map((l) => l.env.name)).toEqual(['dev', 'prod']);
    } finally {
      fs.rmSync(path.dirname(fixtures), { recursive: true, force: true });
    }
  });

  test("the user's own files load beside them (environments/ as it is)", () => {
    expect(loadEnvironments(path.join(ROOT, 'environments')).map((l) => l.env.name)).toEqual(expect.arrayContaining(['dev', 'prod']));
  });
});
