import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import * as ipaddr from 'ipaddr.js';
import { ConfigError, MAX_REPORTED_MISTAKES } from '../config/errors';
import { loadEnvironments, parseEnvironment } from '../config/load';
import { POLICY_RULES } from '../constructs/policies/catalog';
import { nonCompliant } from '../constructs/policies/rule';
import { allowedFlows } from '../constructs/traffic-flows';
import { flowOptionsOf } from '../stacks/environment-options';
import { main, synthesizeEnvironments } from '../stacks/synthesize';
import { ROOT, validate, variant, workstationEnv } from './helpers';

/*
 * Random mutations of the shipped environments. Whatever a user writes, the app either synthesizes
 * or answers with one ConfigError: one line, `<file>: <field> ...`, never another exception.
 * The generators produce values on both sides of every limit the config enforces (subnet capacity, frontend
 * placement, name and tag lengths and characters, VM size capabilities, broad source ranges, file encodings; and
 * issue 27's: region capabilities, Arm64 sizes, image versions and operating systems, reserved ranges in the VNet,
 * DNS servers, Active Directory names, OU paths, service names, replication ports and alert addresses).
 * Runs are seeded, so a run repeats; MFA_HA_FUZZ_SEED=<n> explores another sequence, and a failure prints the
 * seed and the smallest input that breaks.
 */

const FUZZ_SEED = Number(process.env.MFA_HA_FUZZ_SEED ?? 20251125);

type Json = any;
type Key = string | number;

/** Paths to every value inside `value`, parents first. */
function pathsOf(value: Json, prefix: Key[] = []): Key[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [Key, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

/** Sets a dotted path, creating objects on the way (so that a switch can be set where the field was omitted). */
function setPath(target: Json, dotted: string, value: Json): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key];
  }
  node[keys.at(-1)!] = value;
}

const getPath = (target: Json, dotted: string): Json => dotted.split('.').reduce((n, k) => (n && typeof n === 'object' ? n[k] : undefined), target);

const TIER_NAMES = ['mfa', 'portal', 'adfs', 'wap'] as const;
const CIDR_FIELDS = ['network.addressSpace', ...['mfa', 'portal', 'adfs', 'wap', 'bastion'].map((s) => `network.subnets.${s}`)];
const CIDR_LISTS = [
  'network.managementCidrs',
  'mfa.radius.clientCidrs',
  'mfa.serviceEgressCidrs',
  'keyVault.allowedIpRanges',
  'certificates.revocationCheckCidrs',
];

/** Source ranges on both sides of the broadness limit: public /1 to /16, private and shared space of any size. */
const sourceRange = fc.constantFrom(
  '128.0.0.0/1',
  '0.0.0.0/1',
  '64.0.0.0/2',
  '20.0.0.0/8',
  '198.18.0.0/15',
  '198.51.0.0/16',
  '203.0.113.0/24',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '10.250.0.0/24',
);

const VAULT = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-identity-shared/providers/Microsoft.KeyVault/vaults/kv-identity-certs';

/** Names one character inside and one outside Azure's limits, and with endings Azure refuses. */
const limitNames = {
  'keyVault.name': fc.constantFrom(`kv${'x'.repeat(21)}1`, `kv${'x'.repeat(22)}1`, 'kv-', 'kv--a', 'k1', 'kva'),
  resourceGroupName: fc.constantFrom('r'.repeat(90), 'r'.repeat(91), 'rg-a.', 'rg-(ñ)', 'rg/a', 'rg a'),
  'wap.publicDnsLabel': fc.constantFrom(`w${'x'.repeat(61)}1`, `w${'x'.repeat(62)}1`, 'ab', 'abc', 'abc-', '1abc'),
  'backend.resourceGroupName': fc.constantFrom('rg-state', 'rg-state.', 's'.repeat(91)),
};

/** Values on both sides of what Azure or Windows would refuse: regions, accounts, next hops, resource ids, image generations. */
const refusedValues: Record<string, fc.Arbitrary<Json>> = {
  location: fc.constantFrom(
    'westeurope',
    'northeurope',
    'westeurop',
    'West Europe',
    'WESTEUROPE',
    'mars',
    'usgovvirginia',
    'chinanorth3',
    'northcentralus',
    'japanwest',
    'swedensouth',
  ),
  'vmAdmin.username': fc.constantFrom('mfaadmin', 'Admin1', 'support_388945a0', 'ops.', `a${'b'.repeat(19)}`, `a${'b'.repeat(20)}`),
  'domain.joinUsername': fc.constantFrom(
    'CONTOSO\\svc-join',
    'svc-join@contoso.com',
    'svc-join',
    'svc-join@contoso',
    'contoso.com\\svc-join',
    'CONTOSOIDENTITY1\\svc-join',
    `CONTOSO\\${'j'.repeat(20)}`,
    `CONTOSO\\${'j'.repeat(21)}`,
    'svc-join$@contoso.com',
  ),
  'adfs.farm.groupManagedServiceAccount': fc.constantFrom(
    `CONTOSO\\${'g'.repeat(15)}$`,
    `CONTOSO\\${'g'.repeat(16)}$`,
    'CONTOSO\\gmsa[1]$',
    'CONTOSO\\dev-adfs1$',
    'CONTOSO\\PROD-ADFS2$',
  ),
  'adfs.farm.adminCredential.username': fc.constantFrom(
    'CONTOSO\\adfs-admin',
    'CONTOSO\\gmsa-adfs$',
    `${'C'.repeat(15)}\\adfs-admin`,
    `${'C'.repeat(16)}\\adfs-admin`,
    'CON:TOSO\\adfs-admin',
  ),
  'domain.ouPath': fc.constantFrom(
    'OU=MFA,DC=contoso,DC=com',
    'OU=MFA,DC=dev,DC=contoso,DC=com',
    'CN=Computers,DC=Contoso,DC=COM',
    'contoso.com/MFA',
    'OU=MFA,DC=fabrikam,DC=com',
    'DC=contoso,DC=com',
  ),
  'network.dnsServers': fc.array(
    fc.constantFrom(
      '10.0.0.4',
      '10.40.1.4',
      '10.20.0.4',
      '10.30.0.70',
      '10.20.3.255',
      '10.30.3.4',
      '168.63.129.16',
      '169.254.169.254',
      '127.0.0.1',
      '224.0.0.1',
    ),
    { minLength: 1, maxLength: 2 },
  ),
  'dns.mfaApp': fc.constantFrom(
    'mfaapp.contoso.com',
    'contoso.com',
    'dev.contoso.com',
    'dev-mfa1.dev.contoso.com',
    'prod-mfa3.contoso.com',
    'prod-mfa4.contoso.com',
  ),
  'mfa.replicationPort': fc.constantFrom(4443, 135, 136, 139, 445, 446, 3389, 5985, 5986, 5987),
  'monitoring.receivers.emails': fc.array(
    fc.constantFrom(
      'ops@contoso.com',
      'o.ps@contoso.com',
      'o-ps@contoso.com',
      'O.PS@contoso.com',
      `${'x'.repeat(52)}@contoso.com`,
      `${'x'.repeat(53)}@contoso.com`,
    ),
    { maxLength: 3 },
  ),
  'network.egress.nextHopIp': fc.constantFrom('10.0.1.4', '100.64.0.4', '168.63.129.16', '169.254.169.254', '20.1.2.3', '10.0.0.0', '10.255.255.255'),
  'domain.joinPasswordSecret.keyVaultResourceId': fc.constantFrom(
    VAULT,
    VAULT.replace('kv-identity-certs', 'kv--certs'),
    VAULT.replace('00000000-0000-0000-0000-000000000000', 'not-a-guid'),
  ),
  'mfa.image': fc
    .constantFrom('2016-datacenter-gensecond', '2022-datacenter-g2', '2016-datacenter', '2022-datacenter-smalldisk', 'custom-sku')
    .map((sku) => ({ publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku, version: 'latest' })),
  image: fc.record({
    publisher: fc.constantFrom('MicrosoftWindowsServer', 'MicrosoftWindowsDesktop'),
    offer: fc.constantFrom('WindowsServer', 'windows-11'),
    sku: fc.constantFrom('2022-datacenter-azure-edition', '2012-r2-datacenter-gensecond', '2019-datacenter-gensecond', 'win11-24h2-ent'),
    version: fc.constantFrom('latest', 'Latest', '20348.2227.240104', '20348.2227', 'lastest'),
  }),
};

/** VM sizes Trusted Launch or premium storage refuse, sizes they accept, and sizes the toolkit cannot judge. */
const vmSize = fc.constantFrom(
  'Standard_D2s_v5',
  'Standard_B2ms',
  'Standard_DS2_v2',
  'Standard_D2_v5',
  'Standard_D4_v4',
  'Standard_A2_v2',
  'Standard_D2_v3',
  'Standard_DC2as_v5',
  'Standard_M8ms',
  'Standard_E4ads_v5',
  'Standard_X9yz_v9',
  'Standard_D2d_v5',
  'Standard_D2ps_v6',
  'Standard_B2pls_v2',
  'Standard_E4_v5',
  'Standard_D2a_v4',
  'Standard_D2as_v4',
);

/** Tag names and values at and beyond Azure's limits, forbidden characters, and the toolkit's own names in any case. */
const tagName = fc.oneof(
  fc.constantFrom(
    'n'.repeat(512),
    'n'.repeat(513),
    'a/b',
    'a%b',
    'a<b',
    'a?b',
    'a&b',
    'a\\b',
    'Environment',
    'ROLE',
    'tier',
    'Workload',
    'cost center',
    'app:tier',
    ' ',
  ),
  fc.string({ maxLength: 12 }),
);
const tagValue = fc.constantFrom('', 'x', 'v'.repeat(256), 'v'.repeat(257));
const tagCount = fc.integer({ min: 44, max: 48 });

/** CIDR edge cases: the whole Internet, a host, misaligned, out of range, not a CIDR at all. */
const cidrEdge = fc.oneof(
  fc.constantFrom(
    '0.0.0.0/0',
    '10.20.0.0/32',
    '10.20.0.5/24',
    '10.20.0.0/33',
    '256.1.1.1/24',
    '10.20.0.0',
    '/24',
    '',
    ' 10.20.0.0/24',
    '10.020.0.0/24',
    '192.168.0.0/24',
    '10.20.0.0/22',
    '10.30.0.0/22',
    '10.20.0.0/29',
    '10.20.0.0/30',
    '10.20.0.0/26',
    '::/0',
    '10.20.0.0/24\n',
  ),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(34)).map(([a, b, c, d, n]) => `${a}.${b}.${c}.${d}/${n}`),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Odd names: unicode, controls, right-to-left marks, reserved words, empty, very long. */
const oddName = fc.oneof(
  fc.constantFrom('dév', 'ПРОД', '名前', 'a\u0000b', 'prod\n', '😀', '', 'x'.repeat(300), 'admin', '\u202eprod', 'Prod', 'p', 'prod-1', '..'),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const NAME_FIELDS = [
  'name',
  'location',
  'keyVault.name',
  'domain.name',
  'domain.ouPath',
  'domain.joinUsername',
  'vmAdmin.username',
  'resourceGroupName',
  'wap.publicDnsLabel',
  'backend.type',
];
const SWITCHES = [
  'mfa.smsOtpEnabled',
  'mfa.radius.enabled',
  'adfs.certificateAuthenticationEnabled',
  'dataProtection.deletionProtectionEnabled',
  'dataProtection.backup.enabled',
  'certificates.selfSigned',
  'wap.publishMfaPortalEnabled',
  'monitoring.enabled',
  'monitoring.mfaServerLogsEnabled',
];
const OPTIONAL_FIELDS = [
  'tags',
  'zones',
  'vmAdmin',
  'image',
  'osDiskType',
  'mfa.masterIndex',
  'mfa.radius',
  'dataProtection',
  'backend',
  'network.managementCidrs',
  'network.subnets.bastion',
  'keyVault.allowedIpRanges',
  'wap.publicDnsLabel',
  'domain.ouPath',
  'mfa.count',
  'portal.vmSize',
  'network.egress',
  'dns',
  'dns.portal',
  'certificates',
  'certificates.keyVaultResourceId',
  'adfs.farm',
  'adfs.farm.groupManagedServiceAccount',
  'monitoring',
  'monitoring.receivers',
  'monitoring.workspace',
];

/** The day-one blocks on both sides of their rules: egress next hops, names, certificate sources, service accounts, workspaces. */
const WORKSPACE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-ops';
const dayOneValues: Record<string, fc.Arbitrary<Json>> = {
  'network.egress': fc.constantFrom(
    { mode: 'natGateway' },
    { mode: 'virtualAppliance', nextHopIp: '10.0.1.4' },
    { mode: 'virtualAppliance', nextHopIp: '10.20.0.10' },
    { mode: 'virtualAppliance', nextHopIp: '10.30.0.70' },
    { mode: 'virtualAppliance' },
    { mode: 'firewall' },
    { mode: 'natGateway', nextHopIp: '10.0.1.4' },
  ),
  'dns.portal': fc.constantFrom(
    'mfa.contoso.com',
    'MFA.contoso.com',
    'mfaapp.contoso.com',
    'mfaapp.dev.contoso.com',
    'sts.contoso.com',
    'mfa',
    'mfa..contoso.com',
    '-mfa.contoso.com',
  ),
  'dns.federationService': fc.constantFrom('sts.contoso.com', 'adfs.corp.contoso.com', 'mfa.dev.contoso.com', 'sts.contoso.com.', 'sts_1.contoso.com'),
  'certificates.keyVaultResourceId': fc.constantFrom(VAULT, `${VAULT}/`, '/subscriptions/x/vaults/y'),
  'certificates.webServiceSdk': fc.constantFrom('mfaapp', 'mfa-user-portal', 'federation-service', '1mfaapp', 'mfa_app', 'x'.repeat(128)),
  'certificates.revocationCheckCidrs': fc.array(fc.constantFrom('192.0.2.0/24', '0.0.0.0/0', '10.0.0.0/8'), { maxLength: 2 }),
  'adfs.farm.serviceAccount': fc.constantFrom(
    undefined,
    { username: 'CONTOSO\\svc-adfs', passwordSecret: { keyVaultResourceId: VAULT, secretName: 'svc-adfs' } },
    { username: 'svc-adfs' },
  ),
  'adfs.farm.groupManagedServiceAccount': fc.constantFrom(undefined, 'CONTOSO\\gmsa-adfs$', 'CONTOSO\\gmsa-adfs', 'gmsa$'),
  'wap.trustCredential': fc.constantFrom(undefined, { username: 'CONTOSO\\wap-trust', passwordSecret: { keyVaultResourceId: VAULT, secretName: 'wap-trust' } }),
  'monitoring.workspace': fc.constantFrom(
    {},
    { retentionDays: 30 },
    { retentionDays: 29 },
    { retentionDays: 731 },
    { resourceId: WORKSPACE },
    { resourceId: WORKSPACE, retentionDays: 90 },
  ),
  'monitoring.receivers.emails': fc.array(fc.constantFrom('ops@contoso.com', 'not-an-address', ''), { maxLength: 2 }),
  'mfa.serviceEgressCidrs': fc.constantFrom([], ['134.170.116.0/25']),
};

/** A change a user might make to an environment file. */
type Mutation =
  | { kind: 'delete' | 'replace' | 'extra' | 'number'; pick: number; key?: string; value?: Json }
  | { kind: 'set'; field: string; value: Json }
  | { kind: 'unset'; field: string }
  | { kind: 'copy'; from: string; to: string }
  | { kind: 'frontendIp'; tier: 'mfa' | 'portal' | 'adfs'; offset: number }
  | { kind: 'capacity'; tier: 'mfa' | 'portal' | 'adfs' | 'wap'; bits: number; count: number }
  | { kind: 'tags'; count: number }
  | { kind: 'sizeAndDisk'; tier: 'mfa' | 'portal' | 'adfs' | 'wap'; size: string; disk: string }
  | { kind: 'region'; location: string; zones: readonly string[]; disk: string }
  | { kind: 'vnetAt'; octets: [number, number, number] };

function apply(input: Json, m: Mutation): void {
  if (m.kind === 'set') return setPath(input, m.field, m.value);
  if (m.kind === 'unset') {
    const keys = m.field.split('.');
    const parent = keys.length > 1 ? getPath(input, keys.slice(0, -1).join('.')) : input;
    return void (isObject(parent) && delete parent[keys.at(-1)!]);
  }
  if (m.kind === 'copy') return setPath(input, m.to, getPath(input, m.from));
  if (m.kind === 'sizeAndDisk') {
    setPath(input, `${m.tier}.vmSize`, m.size);
    return setPath(input, 'osDiskType', m.disk);
  }
  if (m.kind === 'region') {
    setPath(input, 'location', m.location);
    setPath(input, 'zones', [...m.zones]);
    return setPath(input, 'osDiskType', m.disk);
  }
  if (m.kind === 'vnetAt') return moveVnet(input, m.octets);
  if (m.kind === 'tags') return void (input.tags = Object.fromEntries(Array.from({ length: m.count }, (_, i) => [`t${i}`, 'x'])));
  if (m.kind === 'capacity') {
    // Resize a tier's subnet in place (same network address) and set its count: both sides of the capacity limit.
    const subnet = getPath(input, `network.subnets.${m.tier}`);
    if (typeof subnet !== 'string' || !ipaddr.IPv4.isValidCIDR(subnet)) return;
    setPath(input, `network.subnets.${m.tier}`, `${subnet.split('/')[0]}/${m.bits}`);
    return setPath(input, `${m.tier}.count`, m.count);
  }
  if (m.kind === 'frontendIp') {
    const subnet = getPath(input, `network.subnets.${m.tier}`);
    if (typeof subnet !== 'string' || !ipaddr.IPv4.isValidCIDR(subnet)) return;
    const base = ipaddr.IPv4.networkAddressFromCIDR(subnet)
      .toByteArray()
      .reduce((n, o) => n * 256 + o, 0);
    const n = (base + m.offset + 2 ** 32) % 2 ** 32;
    return setPath(input, `${m.tier}.frontendIp`, [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.'));
  }
  const all = pathsOf(input);
  const candidates =
    m.kind === 'extra' ? [[], ...all.filter((p) => isObject(at(input, p)))] : m.kind === 'number' ? all.filter((p) => typeof at(input, p) === 'number') : all;
  if (candidates.length === 0) return;
  const target = candidates[m.pick % candidates.length];
  // An own property, as JSON.parse makes it, even for a key such as __proto__.
  if (m.kind === 'extra')
    return void Object.defineProperty(at(input, target), m.key!, { value: m.value, enumerable: true, writable: true, configurable: true });
  const parent = at(input, target.slice(0, -1));
  const key = target.at(-1)!;
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else parent[key] = m.value;
}

/**
 * Moves the virtual network and its subnets to another /16 (the first two octets), shifting the third by the third:
 * the shipped /22s keep their shape, wherever the new range lies (reserved ranges included).
 */
function moveVnet(input: Json, [a, b, third]: [number, number, number]): void {
  const move = (cidr: Json) => {
    if (typeof cidr !== 'string' || !ipaddr.IPv4.isValidCIDR(cidr)) return cidr;
    const [address, bits] = cidr.split('/');
    const octets = address.split('.').map(Number);
    return `${a}.${b}.${(octets[2] + third) % 256}.${octets[3]}/${bits}`;
  };
  const network = input.network;
  if (!isObject(network)) return;
  network.addressSpace = move(network.addressSpace);
  if (isObject(network.subnets)) for (const key of Object.keys(network.subnets)) network.subnets[key] = move(network.subnets[key]);
}

const at = (value: Json, p: Key[]) => p.reduce((n, k) => n[k], value);
const isObject = (v: Json) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Any kind of mutation, mostly breaking ones. */
const anyMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({
    kind: fc.constant('extra' as const),
    pick: fc.nat(),
    key: fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('nmae', 'count ', '__proto__', 'constructor')),
    value: fc.jsonValue({ maxDepth: 1 }),
  }),
  fc.record({
    kind: fc.constant('number' as const),
    pick: fc.nat(),
    value: fc.oneof(fc.integer({ min: -5, max: 30 }), fc.constantFrom(-1, 0.5, 1e21, 65536, 2 ** 53 + 2, -0, 1e308)),
  }),
  fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...CIDR_FIELDS), value: cidrEdge }),
  fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...CIDR_LISTS), value: fc.array(cidrEdge, { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('copy' as const), from: fc.constantFrom(...CIDR_FIELDS), to: fc.constantFrom(...CIDR_FIELDS) }),
  fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...TIER_NAMES.map((t) => `${t}.count`)), value: fc.integer({ min: 0, max: 10 }) }),
  fc.record({ kind: fc.constant('set' as const), field: fc.constant('mfa.masterIndex'), value: fc.integer({ min: -2, max: 12 }) }),
  fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...NAME_FIELDS), value: oddName }),
  fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...SWITCHES), value: fc.oneof(fc.boolean(), fc.constantFrom('true', 1, null)) }),
  fc.record({ kind: fc.constant('set' as const), field: fc.constant('zones'), value: fc.array(fc.constantFrom('1', '2', '3', '0', '4', 1), { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('set' as const), field: oddName.map((k) => `tags.${k.replace(/\./g, '')}`), value: fc.oneof(oddName, fc.integer()) }),
  fc.record({
    kind: fc.constant('frontendIp' as const),
    tier: fc.constantFrom('mfa' as const, 'portal' as const, 'adfs' as const),
    offset: fc.integer({ min: -2, max: 70 }),
  }),
  ...Object.entries(dayOneValues).map(([field, value]) => fc.record({ kind: fc.constant('set' as const), field: fc.constant(field), value })),
  ...limitMutations(),
);

/** Mutations that cross, or stay just inside, each limit the config enforces against Azure's. */
function limitMutations(): fc.Arbitrary<Mutation>[] {
  return Object.values(labelledLimitMutations());
}

/** The limit mutations by the limit they probe. */
function labelledLimitMutations(): Record<string, fc.Arbitrary<Mutation>> {
  const [capacity, ranges, keyVault, resourceGroup, dnsLabel, stateGroup, sizes, disks, tags, tagCountMutation] = [
    fc.record({
      kind: fc.constant('capacity' as const),
      tier: fc.constantFrom('mfa' as const, 'portal' as const, 'adfs' as const, 'wap' as const),
      bits: fc.integer({ min: 26, max: 29 }),
      count: fc.integer({ min: 2, max: 20 }),
    }),
    fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...CIDR_LISTS), value: fc.array(sourceRange, { minLength: 1, maxLength: 2 }) }),
    ...Object.entries(limitNames).map(([field, value]) => fc.record({ kind: fc.constant('set' as const), field: fc.constant(field), value })),
    fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...TIER_NAMES.map((t) => `${t}.vmSize`)), value: vmSize }),
    fc.record({
      kind: fc.constant('sizeAndDisk' as const),
      tier: fc.constantFrom('mfa' as const, 'portal' as const, 'adfs' as const, 'wap' as const),
      size: vmSize,
      disk: fc.constantFrom('Premium_LRS', 'Premium_ZRS', 'StandardSSD_LRS', 'StandardSSD_ZRS', 'Standard_LRS'),
    }),
    fc.record({ kind: fc.constant('set' as const), field: tagName.map((k) => `tags.${k.replace(/\./g, '')}`), value: tagValue }),
    fc.record({ kind: fc.constant('tags' as const), count: tagCount }),
  ];
  const region = fc.record({
    kind: fc.constant('region' as const),
    location: fc.constantFrom('westeurope', 'japanwest', 'northcentralus', 'ukwest', 'swedensouth', 'usdodeast'),
    zones: fc.constantFrom([], ['1', '2'], ['1', '2', '3']),
    disk: fc.constantFrom('Premium_ZRS', 'StandardSSD_ZRS', 'Premium_LRS', 'StandardSSD_LRS'),
  });
  const vnet = fc.record({
    kind: fc.constant('vnetAt' as const),
    octets: fc.constantFrom<[number, number, number]>(
      [168, 63, 128],
      [169, 254, 0],
      [224, 0, 0],
      [127, 0, 0],
      [255, 255, 252],
      [10, 60, 0],
      [172, 20, 4],
      [168, 63, 0],
    ),
  });
  return {
    'subnet capacity': capacity,
    'source ranges': ranges,
    'Key Vault name': keyVault,
    'resource group name': resourceGroup,
    'DNS label': dnsLabel,
    'state resource group name': stateGroup,
    'VM size': sizes,
    'VM size with an OS disk type': disks,
    'tag name and value': tags,
    'tag count': tagCountMutation,
    'region capabilities': region,
    'address space': vnet,
    ...Object.fromEntries(
      Object.entries(refusedValues).map(([field, value]) => [field, fc.record({ kind: fc.constant('set' as const), field: fc.constant(field), value })]),
    ),
  };
}

/** Mutations a user makes on purpose: scale, promote, switch features, drop optional fields; some still wrong. */
const plausibleMutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      field: fc.constantFrom(...TIER_NAMES.map((t) => `${t}.count`)),
      value: fc.integer({ min: 1, max: 10 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set' as const), field: fc.constant('mfa.masterIndex'), value: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...SWITCHES), value: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('set' as const), field: fc.constant('mfa.radius.clientCidrs'), value: fc.array(cidrEdge, { maxLength: 2 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set' as const), field: fc.constant('zones'), value: fc.subarray(['1', '2', '3']) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unset' as const), field: fc.constantFrom(...OPTIONAL_FIELDS) }) },
  ...Object.entries(dayOneValues).map(([field, value]) => ({
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('set' as const), field: fc.constant(field), value }),
  })),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('frontendIp' as const),
      tier: fc.constantFrom('mfa' as const, 'portal' as const, 'adfs' as const),
      offset: fc.integer({ min: 0, max: 66 }),
    }),
  },
  ...limitMutations().map((arbitrary) => ({ weight: 1, arbitrary })),
  { weight: 1, arbitrary: anyMutation },
);

/** A shipped environment and the changes made to it: what fast-check prints when a run fails. */
interface Scenario {
  readonly base: 'dev' | 'prod';
  readonly changes: readonly Mutation[];
}
const scenarios = (mutation: fc.Arbitrary<Mutation>, maxLength = 3): fc.Arbitrary<Scenario> =>
  fc.record({ base: fc.constantFrom('dev' as const, 'prod' as const), changes: fc.array(mutation, { minLength: 1, maxLength }) });

function build({ base, changes }: Scenario): Json {
  const input = variant(base);
  for (const m of changes) apply(input, m);
  return input;
}

/** The assertion every rejected input must pass: a ConfigError of one line per mistake, each naming the file. */
function expectOneLineConfigError(error: unknown, file: string): void {
  if (!(error instanceof ConfigError)) throw error;
  const lines = error.message.split('\n');
  expect(lines.length).toBeLessThanOrEqual(MAX_REPORTED_MISTAKES + 1);
  // One expect for all lines: the offending ones, or none (an expect per line costs more than the validation).
  expect(lines.slice(0, MAX_REPORTED_MISTAKES).filter((line) => !line.startsWith(`${file}: `) || /[\r\u2028\u2029]/.test(line))).toEqual([]);
}

describe('fuzzed environment files', () => {
  test('validate or fail with one ConfigError line, for thousands of random mutations', () => {
    let accepted = 0;
    fc.assert(
      fc.property(scenarios(anyMutation), (scenario) => {
        let env;
        try {
          env = validate(build(scenario), 'fuzz.json');
        } catch (e) {
          return expectOneLineConfigError(e, 'fuzz.json');
        }
        accepted++;
        // What the stack derives first from a valid config must not throw either.
        expect(allowedFlows(flowOptionsOf(env)).length).toBeGreaterThan(0);
      }),
      { numRuns: 3000, seed: FUZZ_SEED },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});

/** The field a limit's refusals name, so that a run shows the limit itself was hit (not another rule). */
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LIMIT_FIELDS: Record<string, RegExp> = {
  'subnet capacity': /^fuzz\.json: network\.subnets\./m,
  'source ranges': /^fuzz\.json: \S+(Cidrs|allowedIpRanges)\[/m,
  'Key Vault name': /^fuzz\.json: keyVault\.name /m,
  'resource group name': /^fuzz\.json: resourceGroupName /m,
  'DNS label': /^fuzz\.json: wap\.publicDnsLabel /m,
  'state resource group name': /^fuzz\.json: backend\.resourceGroupName /m,
  'VM size': /^fuzz\.json: \w+\.vmSize /m,
  'VM size with an OS disk type': /^fuzz\.json: \w+\.vmSize /m,
  'tag name and value': /^fuzz\.json: tags/m,
  'tag count': /^fuzz\.json: tags /m,
  'region capabilities': /^fuzz\.json: (location|zones|osDiskType) /m,
  'address space': /^fuzz\.json: network\.addressSpace must not overlap /m,
  ...Object.fromEntries(Object.keys(refusedValues).map((field) => [field, new RegExp(`^fuzz\\.json: ${escaped(field)}[ .[]`, 'm')])),
};

describe('fuzzed limits', () => {
  test.each(Object.entries(labelledLimitMutations()))(
    '%s: values on both sides of the limit, accepted, and refused by that limit in one line',
    (label, mutation) => {
      const outcomes = { accepted: 0, refused: 0, byTheLimit: 0 };
      fc.assert(
        fc.property(scenarios(mutation, 1), (scenario) => {
          try {
            validate(build(scenario), 'fuzz.json');
            outcomes.accepted++;
          } catch (e) {
            expectOneLineConfigError(e, 'fuzz.json');
            outcomes.refused++;
            if (LIMIT_FIELDS[label].test((e as Error).message)) outcomes.byTheLimit++;
          }
        }),
        { numRuns: 150, seed: FUZZ_SEED },
      );
      expect(outcomes.accepted).toBeGreaterThan(0);
      expect(outcomes.refused).toBeGreaterThan(0);
      expect(outcomes.byTheLimit).toBeGreaterThan(0);
    },
  );
});

describe('inputs fuzzing once broke into several lines', () => {
  test.each([
    ['a field name with a line break', JSON.stringify(variant('dev', (c) => (c.tags['team\n'] = 0)))],
    ['a JSON error whose excerpt spans lines', '{\n  "name": "dev",\n  "mfa": }\n'],
    ['a line separator in a value', JSON.stringify(variant('dev', (c) => (c.name = 'dev\u2028')))],
  ])('%s gives one line', (_, text) => {
    expect(() => parseEnvironment('fuzz.json', text)).toThrow(ConfigError);
    try {
      parseEnvironment('fuzz.json', text);
    } catch (e) {
      expectOneLineConfigError(e, 'fuzz.json');
    }
  });
});

/** Every file under `dir`, by path relative to it, with its text. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

describe('fuzzed environment files, end to end', () => {
  let dir = '';
  let outdir = '';
  let file = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-fuzz-'));
    outdir = path.join(dir, 'cdktf.out');
    file = path.join(dir, 'env.json');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** An earlier run's cdktf.out: its manifest and the stack of an environment since removed. */
  function earlierRun(): Record<string, string> {
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.mkdirSync(path.join(outdir, 'stacks', 'earlier'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'manifest.json'), 'written by an earlier run');
    fs.writeFileSync(path.join(outdir, 'stacks', 'earlier', 'cdk.tf.json'), 'written by an earlier run');
    return tree(outdir);
  }

  /** Runs the app's entry point as `npm run synth` does, capturing stderr and the exit code. */
  function runMain(): { exitCode: number | string | undefined; stderr: string } {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    const saved = process.exitCode;
    process.exitCode = undefined;
    try {
      main({ MFA_HA_CONFIG: file, CDKTF_OUTDIR: outdir, ...workstationEnv() });
      return { exitCode: process.exitCode, stderr: lines.join('') };
    } finally {
      process.exitCode = saved;
      spy.mockRestore();
    }
  }

  /** How an editor may save the file: UTF-8 with or without a byte-order mark, LF or CRLF, or UTF-16. */
  const ENCODINGS = {
    utf8: (text: string) => Buffer.from(text),
    'utf8 with BOM and CRLF': (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\n/g, '\r\n'))]),
    'utf16le with BOM': (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
  };

  test('either synthesize exactly the new stack or fail with one line and leave the earlier cdktf.out untouched', () => {
    const outcomes = { synthesized: 0, rejected: 0 };
    fc.assert(
      fc.property(scenarios(plausibleMutation, 2), fc.constantFrom(...(Object.keys(ENCODINGS) as (keyof typeof ENCODINGS)[])), (scenario, encoding) => {
        // GIVEN an earlier cdktf.out and a mutated environment file, saved as an editor might
        const before = earlierRun();
        const input = build(scenario);
        fs.writeFileSync(file, ENCODINGS[encoding](JSON.stringify(input, null, 2)));
        // WHEN the app runs
        const { exitCode, stderr } = runMain();
        // THEN no staging directory is left behind, whatever happened
        expect(fs.readdirSync(dir).sort()).toEqual(['cdktf.out', 'env.json']);
        if (exitCode === 1) {
          // AND a failure is one ConfigError line and leaves cdktf.out byte for byte as it was
          outcomes.rejected++;
          const lines = stderr.split('\n');
          expect(lines.at(-1)).toBe('');
          for (const line of lines.slice(0, -1)) expect(line.startsWith(`error: ${file}: `)).toBe(true);
          expect(tree(outdir)).toEqual(before);
          if (encoding === 'utf16le with BOM') expect(stderr).toContain('(top level) must be saved as UTF-8');
        } else {
          expect(encoding).not.toBe('utf16le with BOM');
          // AND a success replaces it with exactly the new stack
          outcomes.synthesized++;
          expect(exitCode).toBeUndefined();
          const files = tree(outdir);
          expect(Object.keys(files).sort()).toEqual(['manifest.json', path.join('stacks', input.name, 'cdk.tf.json')]);
          expect(Object.keys(JSON.parse(files[path.join('stacks', input.name, 'cdk.tf.json')]).resource).length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 30, seed: FUZZ_SEED },
    );
    expect(outcomes.synthesized).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });

  test('leave cdktf.out untouched when a later stack fails its policy check after an earlier one was written', () => {
    // GIVEN an earlier cdktf.out, and a rule that (for this test) fails prod's Bastion host
    const before = earlierRun();
    const bastion = POLICY_RULES.find((r) => r.id === 'MFAHA-NET-01')!;
    jest.spyOn(bastion, 'rule').mockImplementation((r) => (r.type === 'azurerm_bastion_host' ? nonCompliant('injected for the test') : 'n/a'));
    try {
      // WHEN dev (first) and prod (second) are synthesized
      expect(() => synthesizeEnvironments(loadEnvironments(path.join(ROOT, 'environments')), outdir)).toThrow(/^prod: MFAHA-NET-01 azurerm_bastion_host\./);
    } finally {
      jest.restoreAllMocks();
    }
    // THEN nothing of dev reached cdktf.out and no staging directory is left
    expect(tree(outdir)).toEqual(before);
    expect(fs.readdirSync(dir).filter((f) => f !== 'env.json')).toEqual(['cdktf.out']);
  });

  test('leave cdktf.out untouched when building a stack throws', () => {
    const before = earlierRun();
    // An environment that skipped validation: its master index names no server.
    const broken = { ...validate(variant('dev')), mfa: { ...validate(variant('dev')).mfa, masterIndex: 7 } };
    expect(() => synthesizeEnvironments([{ file: 'broken.json', env: broken }], outdir)).toThrow();
    expect(tree(outdir)).toEqual(before);
    expect(fs.readdirSync(dir).filter((f) => f !== 'env.json')).toEqual(['cdktf.out']);
  });

  test('the command line answers a bad file with exit code 1, one stderr line, no stack trace, cdktf.out untouched', () => {
    // GIVEN a file a JSON parser describes over several lines, and an earlier cdktf.out
    const before = earlierRun();
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{\n  "name": "dev",\n  "mfa": }\n');
    const env: NodeJS.ProcessEnv = { ...process.env, MFA_HA_CONFIG: bad, CDKTF_OUTDIR: outdir, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') };
    // WHEN the app runs as a separate process
    const run = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register'), path.join(ROOT, 'main.ts')], { cwd: dir, encoding: 'utf8', env });
    fs.rmSync(bad);
    // THEN
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: \\(top level\\) must be valid JSON \\(.+\\)\n$`));
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(tree(outdir)).toEqual(before);
    expect(fs.readdirSync(dir).filter((f) => f !== 'env.json')).toEqual(['cdktf.out']);
  });
});
