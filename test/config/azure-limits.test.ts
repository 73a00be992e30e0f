import { refusalOf, validate, variant } from '../helpers';

/*
 * Each limit Azure would enforce at deploy time, refused at synth: one case that is refused with its one line,
 * one that is accepted next to the limit. `dev` has four /27 subnets (27 assignable addresses each), no zones
 * and StandardSSD_LRS disks; `prod` has /26 subnets and Premium_ZRS disks.
 */

type Change = (c: any) => void;

const refusals: [string, 'dev' | 'prod', Change, string][] = [
  // Address capacity: servers + the frontend after Azure's 5 reserved addresses.
  [
    'a /29 for 3 MFA servers and their frontend',
    'dev',
    (c) => {
      c.network.subnets.mfa = '10.20.0.0/29';
      c.mfa.count = 3;
    },
    'environments/test.json: network.subnets.mfa must hold mfa.count (3) servers and the load-balancer frontend after the 5 addresses Azure reserves: /28 or larger, got "10.20.0.0/29"',
  ],
  [
    'a /27 for 20 servers of each tier, 27 assignable',
    'dev',
    (c) => {
      c.portal.count = 20;
      c.wap.count = 20;
      c.adfs.count = 20;
      c.mfa.count = 20;
      c.network.subnets.mfa = '10.20.0.0/28';
    },
    'network.subnets.mfa must hold mfa.count (20) servers and the load-balancer frontend after the 5 addresses Azure reserves: /27 or larger, got "10.20.0.0/28"',
  ],
  [
    'a /29 for 4 WAP servers (no internal frontend)',
    'dev',
    (c) => {
      c.network.subnets.wap = '10.20.0.96/29';
      c.wap.count = 4;
    },
    'network.subnets.wap must hold wap.count (4) servers after the 5 addresses Azure reserves: /28 or larger, got "10.20.0.96/29"',
  ],
  // Frontend placement.
  [
    "a frontend on the first server's dynamic address",
    'dev',
    (c) => (c.mfa.frontendIp = '10.20.0.4'),
    'mfa.frontendIp must lie outside 10.20.0.4-10.20.0.5, where Azure hands out the 2 servers\' dynamic addresses (lowest free first): use one from 10.20.0.6 to 10.20.0.30, got "10.20.0.4"',
  ],
  [
    "a frontend on the last server's dynamic address, after scaling",
    'prod',
    (c) => {
      c.adfs.count = 6;
      c.adfs.frontendIp = '10.30.0.137';
    },
    'adfs.frontendIp must lie outside 10.30.0.132-10.30.0.137',
  ],
  // Names Azure refuses.
  [
    'a Key Vault name of 25 characters',
    'dev',
    (c) => (c.keyVault.name = `kv${'x'.repeat(22)}1`),
    'keyVault.name must be a globally unique Key Vault name: 3-24 letters, digits and hyphens',
  ],
  [
    'a Key Vault name with two hyphens in a row',
    'dev',
    (c) => (c.keyVault.name = 'kv--mfa'),
    'keyVault.name must be a globally unique Key Vault name: 3-24 letters',
  ],
  [
    'a resource group name ending in a period',
    'dev',
    (c) => (c.resourceGroupName = 'rg-mfa.'),
    'resourceGroupName must be a resource group name: 1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period, got "rg-mfa."',
  ],
  ['a resource group name of 91 characters', 'dev', (c) => (c.resourceGroupName = 'r'.repeat(91)), 'resourceGroupName must be a resource group name: 1-90'],
  [
    'a state resource group with a slash',
    'prod',
    (c) => (c.backend.resourceGroupName = 'rg/state'),
    'backend.resourceGroupName must be a resource group name: 1-90',
  ],
  [
    'a state storage account with a capital letter',
    'prod',
    (c) => (c.backend.storageAccountName = 'stTfstate'),
    'backend.storageAccountName must be a storage account name: 3-24 lowercase letters and digits, got "stTfstate"',
  ],
  [
    'a state container ending in a hyphen',
    'prod',
    (c) => (c.backend.containerName = 'tfstate-'),
    'backend.containerName must be a blob container name: 3-63 lowercase letters',
  ],
  [
    'a DNS label of 64 characters',
    'prod',
    (c) => (c.wap.publicDnsLabel = `w${'x'.repeat(62)}1`),
    'wap.publicDnsLabel must be a DNS label: 3-63 lowercase letters',
  ],
  // Tags.
  [
    'a tag name with a slash',
    'dev',
    (c) => (c.tags['team/owner'] = 'x'),
    'tags.team/owner must have a tag name without control characters or any of < > % & \\ ? / (Azure refuses them), got "team/owner"',
  ],
  ['a tag name with a percent sign', 'dev', (c) => (c.tags['cost%'] = 'x'), 'tags.cost% must have a tag name without control characters'],
  [
    'a tag name of 513 characters',
    'dev',
    (c) => (c.tags['n'.repeat(513)] = 'x'),
    'tags must have tag names of at most 512 characters, got "a name of 513 characters"',
  ],
  [
    'a tag value of 257 characters',
    'dev',
    (c) => (c.tags.owner = 'v'.repeat(257)),
    'tags.owner must be at most 256 characters (Azure\'s limit for a tag value), got "257 characters"',
  ],
  [
    '47 tags (the toolkit adds 4 of the 50)',
    'dev',
    (c) => (c.tags = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, 'x']))),
    'tags must hold at most 46 tags (Azure allows 50 per resource and the toolkit adds environment, workload, tier, role), got "47 tags"',
  ],
  [
    'a tag the toolkit sets, in other letter case',
    'dev',
    (c) => (c.tags.Environment = 'production'),
    'tags.Environment must not be set: the toolkit sets "environment" itself, and Azure compares tag names without regard to case, got "production"',
  ],
  [
    'two tags that differ only in case',
    'dev',
    (c) => {
      c.tags.Owner = 'a';
      c.tags.OWNER = 'b';
    },
    'tags.OWNER must differ from tags.Owner by more than letter case',
  ],
  ['a blank tag name', 'dev', (c) => (c.tags[' '] = 'x'), 'tags.  must have a tag name that is not empty or blank'],
  // Keys JavaScript reserves.
  [
    'a tag named __proto__',
    'dev',
    (c) => Object.defineProperty(c.tags, '__proto__', { value: 'x', enumerable: true }),
    'environments/test.json: tags.__proto__ must be renamed: JavaScript reserves the key "__proto__", and its value would be dropped without a word',
  ],
  // VM sizes.
  [
    'an A-family size (no Trusted Launch)',
    'dev',
    (c) => (c.mfa.vmSize = 'Standard_A2_v2'),
    'mfa.vmSize must support Trusted Launch (every server boots with secure boot and vTPM): the A-family does not support it (learn.microsoft.com/azure/virtual-machines/trusted-launch#virtual-machines-sizes), got "Standard_A2_v2"',
  ],
  [
    'a Dv3 size (no Trusted Launch)',
    'dev',
    (c) => (c.portal.vmSize = 'Standard_D4_v3'),
    'portal.vmSize must support Trusted Launch (every server boots with secure boot and vTPM): the Dv3-series',
  ],
  [
    'a confidential DCasv5 size',
    'dev',
    (c) => (c.adfs.vmSize = 'Standard_DC2as_v5'),
    'adfs.vmSize must support Trusted Launch (every server boots with secure boot and vTPM): the DC-Confidential-family',
  ],
  [
    'an M-family size',
    'dev',
    (c) => (c.adfs.vmSize = 'Standard_M8ms'),
    'adfs.vmSize must support Trusted Launch (every server boots with secure boot and vTPM): the M-family',
  ],
  [
    'a Dv5 size with Premium_ZRS disks',
    'prod',
    (c) => (c.wap.vmSize = 'Standard_D2_v5'),
    'wap.vmSize must be premium-storage capable for osDiskType Premium_ZRS (an "s" size such as Standard_D2s_v5): the Dv5-series does not support it (learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dv5-series#feature-support), got "Standard_D2_v5"',
  ],
  [
    'a Dv4 size with Premium_LRS disks',
    'dev',
    (c) => {
      c.osDiskType = 'Premium_LRS';
      c.mfa.vmSize = 'Standard_D8_v4';
    },
    'mfa.vmSize must be premium-storage capable for osDiskType Premium_LRS',
  ],
  // Networks too broad.
  [
    'RDP from a quarter of the Internet',
    'dev',
    (c) => (c.network.managementCidrs = ['64.0.0.0/2']),
    'network.managementCidrs[0] must be a private range or a public range of /16 or narrower (a public /2 holds 1,073,741,824 addresses of many organizations: a slice of the Internet): RDP is open to it, got "64.0.0.0/2"',
  ],
  [
    'RDP from half of the Internet',
    'dev',
    (c) => (c.network.managementCidrs = ['10.250.0.0/24', '128.0.0.0/1']),
    'network.managementCidrs[1] must be a private range or a public range of /16 or narrower (a public /1',
  ],
  [
    'RDP from a range that holds private space but is mostly public',
    'dev',
    (c) => (c.network.managementCidrs = ['0.0.0.0/1']),
    'network.managementCidrs[0] must be a private range or a public range of /16 or narrower',
  ],
  [
    'RDP from a public /15',
    'dev',
    (c) => (c.network.managementCidrs = ['198.18.0.0/15']),
    'network.managementCidrs[0] must be a private range or a public range of /16 or narrower (a public /15 holds 131,072',
  ],
  [
    'RADIUS clients in a public /8',
    'prod',
    (c) => (c.mfa.radius.clientCidrs = ['10.40.0.0/24', '20.0.0.0/8']),
    'mfa.radius.clientCidrs[1] must be a private range or a public range of /16 or narrower (a public /8 holds 16,777,216 addresses of many organizations: a slice of the Internet): the RADIUS ports are open to it, got "20.0.0.0/8"',
  ],
  [
    'a Key Vault firewall open to the whole Internet',
    'dev',
    (c) => (c.keyVault.allowedIpRanges = ['0.0.0.0/0']),
    'keyVault.allowedIpRanges[0] must be a private range or a public range of /16 or narrower (a public /0',
  ],
  [
    'a private range in the Key Vault firewall',
    'dev',
    (c) => (c.keyVault.allowedIpRanges = ['10.250.0.0/24']),
    'keyVault.allowedIpRanges[0] must be a public range: the Key Vault firewall refuses RFC 1918 ranges (reach the vault from a VNet through a private endpoint instead), got "10.250.0.0/24"',
  ],
];

const acceptances: [string, 'dev' | 'prod', Change][] = [
  ['a /29 for 2 MFA servers and their frontend (3 assignable)', 'dev', (c) => (c.network.subnets.mfa = '10.20.0.0/29')],
  [
    'a /29 for 3 WAP servers (3 assignable, no frontend)',
    'dev',
    (c) => {
      c.network.subnets.wap = '10.20.0.96/29';
      c.wap.count = 3;
    },
  ],
  [
    '20 servers of each tier in /27 subnets (27 assignable)',
    'dev',
    (c) => {
      for (const t of ['mfa', 'portal', 'adfs', 'wap']) c[t].count = 20;
      c.mfa.masterIndex = 19;
    },
  ],
  ["a frontend just above the servers' dynamic addresses", 'dev', (c) => (c.mfa.frontendIp = '10.20.0.6')],
  ['20 portal servers and the default frontend in a /27', 'dev', (c) => (c.portal.count = 20)],
  ['a Key Vault name of 24 characters', 'dev', (c) => (c.keyVault.name = `kv${'x'.repeat(21)}1`)],
  ['a resource group name of 90 characters with Unicode letters and parentheses', 'dev', (c) => (c.resourceGroupName = `rg-ñandú-(x)${'r'.repeat(78)}`)],
  [
    'a state storage account of 24 characters and a container of 63',
    'prod',
    (c) => {
      c.backend.storageAccountName = 's'.repeat(24);
      c.backend.containerName = `c-${'x'.repeat(60)}1`;
    },
  ],
  ['a DNS label of 63 characters', 'prod', (c) => (c.wap.publicDnsLabel = `w${'x'.repeat(61)}1`)],
  ['a tag name of 512 characters and a value of 256', 'dev', (c) => (c.tags['n'.repeat(512)] = 'v'.repeat(256))],
  ['46 tags', 'dev', (c) => (c.tags = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`t${i}`, 'x'])))],
  ['tag names with spaces, colons, dots and Unicode', 'dev', (c) => (c.tags = { 'cost center': 'x', 'app:tier': 'y', 'a.b': 'z', propriétaire: 'ö' })],
  ['an empty tag value', 'dev', (c) => (c.tags.note = '')],
  ['a tag named constructor', 'dev', (c) => (c.tags.constructor = 'kept')],
  ['the shipped B-series size with StandardSSD_LRS', 'dev', () => {}],
  ['the shipped Dsv5 sizes with Premium_ZRS', 'prod', () => {}],
  ['a size without "s" with a Standard SSD', 'dev', (c) => (c.mfa.vmSize = 'Standard_D2_v5')],
  ['a size the toolkit cannot judge (accepted, not guessed)', 'prod', (c) => (c.mfa.vmSize = 'Standard_X9yz_v9')],
  ['an older DS-series size with Premium_ZRS', 'prod', (c) => (c.portal.vmSize = 'Standard_DS2_v2')],
  ['a private /8 admin network', 'dev', (c) => (c.network.managementCidrs = ['10.0.0.0/8'])],
  ['a CGNAT /10 admin network', 'dev', (c) => (c.network.managementCidrs = ['100.64.0.0/10'])],
  ['a public /16 admin network', 'dev', (c) => (c.network.managementCidrs = ['198.51.0.0/16'])],
  ['a public /16 Key Vault firewall range', 'dev', (c) => (c.keyVault.allowedIpRanges = ['198.51.0.0/16'])],
  ['RADIUS clients in 172.16.0.0/12', 'prod', (c) => (c.mfa.radius.clientCidrs = ['172.16.0.0/12'])],
];

describe('Azure limits the config enforces', () => {
  test.each(refusals)('refuses %s, in one line', (_name, base, change, message) => {
    const text = refusalOf(variant(base, change));
    expect(text).toContain(message);
    expect(text).not.toMatch(/[\r\n]/);
  });

  test.each(acceptances)('accepts %s', (_name, base, change) => {
    expect(() => validate(variant(base, change))).not.toThrow();
  });
});

describe('the address plan, for every count the schema allows', () => {
  // GIVEN the MFA subnet at 10.20.0.0/26 to /29, the other tiers moved out of its way
  const base = (bits: number, count: number) =>
    variant('dev', (c) => {
      c.network.subnets = { mfa: `10.20.0.0/${bits}`, portal: '10.20.1.0/27', adfs: '10.20.1.32/27', wap: '10.20.1.64/27' };
      c.mfa.count = count;
    });
  const accepted = (input: unknown) => {
    try {
      validate(input);
      return true;
    } catch (e) {
      expect((e as Error).message).toMatch(/^test\.json: (network\.subnets\.mfa|mfa\.frontendIp) /);
      return false;
    }
  };

  test.each(Array.from({ length: 19 }, (_, i) => i + 2))(
    'mfa.count = %i: accepted exactly when the servers and the frontend fit and the frontend is above the dynamic addresses',
    (count) => {
      for (const bits of [26, 27, 28, 29]) {
        const size = 2 ** (32 - bits);
        const fits = count + 1 <= size - 5;
        // The default frontend (the last assignable address)
        expect(accepted(base(bits, count))).toBe(fits);
        // Every address of the subnet as a static frontend: Azure's reserved .0-.3 and broadcast, the servers'
        // dynamic .4 to .(3 + count), and the free addresses above them.
        for (let offset = 0; offset < size; offset++) {
          const input: any = base(bits, count);
          input.mfa.frontendIp = `10.20.0.${offset}`;
          expect([bits, offset, accepted(input)]).toEqual([bits, offset, fits && offset >= 4 + count && offset <= size - 2]);
        }
      }
    },
  );
});
