import { isDeepStrictEqual } from 'util';
import type { EnvironmentInput } from '../config/schema';
import { shippedInput, synthObject, TerraformJson, variant } from './helpers';

/*
 * Terraform replaces what it re-addresses. These tests synthesize an environment before and after a
 * routine change and compare the two by address: what may appear, disappear or change.
 */

/** Every resource, data source and output of a synth, by address. */
function byAddress(tf: TerraformJson): Map<string, any> {
  const all = new Map<string, any>();
  for (const [type, named] of Object.entries(tf.resource)) for (const [name, body] of Object.entries(named)) all.set(`${type}.${name}`, body);
  for (const [type, named] of Object.entries(tf.data ?? {})) for (const [name, body] of Object.entries(named)) all.set(`data.${type}.${name}`, body);
  for (const [name, body] of Object.entries(tf.output ?? {})) all.set(`output.${name}`, body);
  return all;
}

/** The addresses of an environment input's synth. */
const synthesized = (input: EnvironmentInput) => byAddress(synthObject(input));

/** What a change does to the addresses of a synth. */
function compare(before: EnvironmentInput | Map<string, any>, after: EnvironmentInput) {
  const [a, b] = [before instanceof Map ? before : synthesized(before), synthesized(after)];
  return {
    before: a,
    after: b,
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: [...a.keys()].filter((k) => b.has(k) && !isDeepStrictEqual(a.get(k), b.get(k))).sort(),
  };
}

const TIERS = ['mfa', 'portal', 'adfs', 'wap'] as const;
/** Resources that make up a server: replacing any of them replaces or disconnects the server. */
const SERVER_TYPES = ['azurerm_windows_virtual_machine', 'azurerm_network_interface', 'azurerm_virtual_machine_extension', 'azurerm_availability_set', 'azurerm_management_lock', 'azurerm_backup_protected_vm'];
const isServerPart = (address: string) => SERVER_TYPES.some((t) => address.startsWith(`${t}.`));

describe.each(['dev', 'prod'] as const)('scaling a tier of %s from 2 to 3 servers', (name) => {
  const twoEach = synthesized(variant(name, (c) => TIERS.forEach((t) => (c[t].count = 2))));

  test.each(TIERS)('only adds the third %s server: every earlier address keeps its body', (tier) => {
    // GIVEN every tier at 2 servers WHEN one tier grows to 3
    const { before, after, added, removed, changed } = compare(twoEach, variant(name, (c) => {
      TIERS.forEach((t) => (c[t].count = 2));
      c[tier].count = 3;
    }));
    // THEN nothing is removed, the only changed block is the output that lists every server
    expect(removed).toEqual([]);
    // (and, for a new AD FS server, the publishing's depends_on: it waits for the last server to join; Terraform plans nothing for it)
    const publishing = changed.filter((a) => a.includes('wap-publishing'));
    for (const address of publishing) expect({ ...before.get(address), depends_on: [] }).toEqual({ ...after.get(address), depends_on: [] });
    expect(publishing.length).toBe(tier === 'adfs' ? 1 : 0);
    expect(changed.filter((a) => !publishing.includes(a))).toEqual(['output.servers']);
    // AND everything added belongs to the new server (its NIC, VM, extensions, pool membership, lock, backup)
    expect(added.length).toBeGreaterThanOrEqual(4);
    expect(added.filter((a) => !a.includes(`_${tier}-3_`))).toEqual([]);
  });
});

describe('promoting a subordinate (mfa.masterIndex 0 -> 1)', () => {
  const { before, after, added, removed, changed } = compare(variant('prod'), variant('prod', (c) => (c.mfa.masterIndex = 1)));

  test('moves only the master pool membership from mfa-1 to mfa-2', () => {
    expect(removed).toEqual([expect.stringMatching(/^azurerm_network_interface_backend_address_pool_association\.mfa_servers_mfa-1_pool-mfa-master_/)]);
    expect(added).toEqual([expect.stringMatching(/^azurerm_network_interface_backend_address_pool_association\.mfa_servers_mfa-2_pool-mfa-master_/)]);
  });

  test('replaces no VM, NIC, disk or extension: the two VMs change only their role tag', () => {
    const changedParts = changed.filter(isServerPart);
    expect(changedParts).toEqual([expect.stringMatching(/_mfa-1_/), expect.stringMatching(/_mfa-2_/)]);
    for (const address of changedParts) {
      const withoutRole = (body: any) => ({ ...body, tags: { ...body.tags, role: undefined } });
      expect(withoutRole(after.get(address))).toEqual(withoutRole(before.get(address)));
      expect([before.get(address).tags.role, after.get(address).tags.role].sort()).toEqual(['master', 'subordinate']);
    }
  });

  test('changes nothing else but the outputs that name the master', () => {
    expect(changed.filter((a) => !isServerPart(a))).toEqual(['output.mfa_master', 'output.servers']);
  });
});

describe.each([
  ['RADIUS', (c: any) => (c.mfa.radius = { enabled: true, clientCidrs: ['10.40.0.0/24'] })],
  ['one-way SMS OTP', (c: any) => (c.mfa.smsOtpEnabled = true)],
])('turning on %s', (_, change) => {
  const { added, removed, changed } = compare(variant('dev'), variant('dev', change));

  test('touches no server: no VM, NIC, extension, lock or backup address or body changes', () => {
    expect([...added, ...removed, ...changed].filter(isServerPart)).toEqual([]);
  });

  test('removes nothing and changes something (load-balancer rules or NSG rules)', () => {
    expect(removed).toEqual([]);
    expect(added.length + changed.length).toBeGreaterThan(0);
    expect([...added, ...changed].every((a) => /^azurerm_(lb_rule|network_security_rule)\./.test(a))).toBe(true);
  });
});

describe('the addresses of the shipped environments', () => {
  test.each(['dev', 'prod'] as const)('of %s match the reviewed list (a rename replaces resources: update it deliberately)', (name) => {
    expect([...synthesized(variant(name)).keys()].sort()).toMatchSnapshot();
  });
});

/** The top-level attributes whose values differ between two bodies. */
const changedAttributes = (a: any, b: any) => [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !isDeepStrictEqual(a[k], b[k])).sort();

const withoutDayOne = (c: any) => {
  delete c.certificates;
  delete c.adfs.farm;
  delete c.monitoring;
  delete c.network.egress;
};

describe.each([
  ['certificates from Key Vault (dev, self-signed)', variant('dev', withoutDayOne), variant('dev', (c) => { withoutDayOne(c); c.certificates = { selfSigned: true, keyVaultName: 'kv-mfaha-dev-tls' }; })],
  ['certificates from an existing vault (prod)', variant('prod', withoutDayOne), variant('prod', (c) => { withoutDayOne(c); c.certificates = shippedInput('prod').certificates; })],
  ['the AD FS farm and WAP configuration (dev)', variant('dev', (c) => delete c.adfs.farm), variant('dev')],
  ['monitoring (prod)', variant('prod', (c) => delete c.monitoring), variant('prod')],
  ['the hub firewall egress instead of NAT gateways (prod)', variant('prod', (c) => (c.network.egress = { mode: 'natGateway' })), variant('prod')],
] as const)('switching on %s, and off again', (_, off, on) => {
  const [offAddresses, onAddresses] = [synthesized(off), synthesized(on)];

  test.each([
    ['on', offAddresses, on],
    ['off', onAddresses, off],
  ] as const)('switching it %s replaces no VM, NIC or disk: a VM changes at most its identity, in place', (_direction, before, after) => {
    const { removed, changed, before: a, after: b } = compare(before, after);
    // No server part disappears but the configuration steps the switch owns.
    expect(removed.filter((r) => /^azurerm_(windows_virtual_machine|network_interface|managed_disk|availability_set|management_lock|backup_protected_vm)\./.test(r))).toEqual([]);
    expect(removed.filter((r) => r.startsWith('azurerm_virtual_machine_extension.') && /_(setup|domain-join)_/.test(r))).toEqual([]);
    for (const address of changed.filter((c) => c.startsWith('azurerm_windows_virtual_machine.'))) {
      expect([address, changedAttributes(a.get(address), b.get(address))]).toEqual([address, ['identity']]);
    }
    expect(changed.filter((c) => /^azurerm_(network_interface|virtual_machine_extension|availability_set|management_lock|backup_protected_vm)\./.test(c))).toEqual([]);
  });
});

describe('promoting a subordinate with monitoring on', () => {
  test('moves no alert: the master-down alert watches the replication pool, not a server', () => {
    const { added, removed, changed } = compare(variant('prod'), variant('prod', (c) => (c.mfa.masterIndex = 1)));
    expect([...added, ...removed, ...changed].filter((a) => a.startsWith('azurerm_monitor_'))).toEqual([]);
    expect(shippedInput('prod').monitoring?.enabled).toBe(true);
  });
});
