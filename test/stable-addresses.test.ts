import { isDeepStrictEqual } from 'util';
import type { EnvironmentInput } from '../config/schema';
import { deletionsUnderLock } from '../tools/lock-scope';
import { isForceNew } from '../tools/force-new';
import { loadRules } from '../tools/provider-rules-data';
import { compareStacks } from '../tools/synth-diff';
import { FIXTURE_TENANT, prodAtStage } from './config/fixtures';
import { shippedInput, synthObject, TerraformJson, variant, withoutFarm } from './helpers';

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

/**
 * The changes that only reorder the hardening (constructs/server-hardening.ts): the barrier before it waits for every
 * configuration step, and a tier's servers restart in ring order, so a server or a master more moves who waits for
 * whom. Only depends_on differs, which Terraform plans nothing for.
 */
function hardeningOrder(changed: readonly string[], before: Map<string, any>, after: Map<string, any>): string[] {
  const order = changed.filter((a) =>
    /^(time_sleep\.hardening_configured_|azurerm_virtual_machine_run_command\.[a-z]+_servers_[a-z]+-\d+_server-hardening_)/.test(a),
  );
  for (const address of order) expect({ ...before.get(address), depends_on: [] }).toEqual({ ...after.get(address), depends_on: [] });
  return order;
}

const TIERS = ['mfa', 'portal', 'adfs', 'wap'] as const;
/** The maintenance configuration of the ring that runs last (the MFA master and the AD FS primary). */
const PRIMARIES_RING = 'azurerm_maintenance_configuration.maintenance_primaries_1324025B';
/** Resources that make up a server: replacing any of them replaces or disconnects the server. */
const SERVER_TYPES = [
  'azurerm_windows_virtual_machine',
  'azurerm_network_interface',
  'azurerm_virtual_machine_extension',
  'azurerm_availability_set',
  'azurerm_management_lock',
  'azurerm_backup_protected_vm',
];
const isServerPart = (address: string) => SERVER_TYPES.some((t) => address.startsWith(`${t}.`));

describe.each(['dev', 'prod'] as const)('scaling a tier of %s from 2 to 3 servers', (name) => {
  const twoEach = synthesized(variant(name, (c) => TIERS.forEach((t) => (c[t].count = 2))));

  test.each(TIERS)('only adds the third %s server: every earlier address keeps its body', (tier) => {
    // GIVEN every tier at 2 servers WHEN one tier grows to 3
    const { added, removed, changed, before, after } = compare(
      twoEach,
      variant(name, (c) => {
        TIERS.forEach((t) => (c[t].count = 2));
        c[tier].count = 3;
      }),
    );
    // THEN nothing is removed, the only changed blocks are the output that lists every server and, when the
    // new server needs a ring of its own, the window of the primaries' ring, which moves after it (in place)
    expect(removed).toEqual([]);
    // (and, for a new AD FS server, the publishing's depends_on: it waits for the last server to join; Terraform plans nothing for it)
    const publishing = changed.filter((a) => a.includes('wap-publishing'));
    for (const address of publishing) expect({ ...before.get(address), depends_on: [] }).toEqual({ ...after.get(address), depends_on: [] });
    expect(publishing.length).toBe(tier === 'adfs' && shippedInput(name).wap.publishMfaPortalEnabled ? 1 : 0);
    // (the renewal tasks of the tier's other servers learn the new peer's address: their parameter only, in place)
    const renewalTasks = changed.filter((a) => a.includes('_certificate-renewal-task_'));
    for (const address of renewalTasks) expect([address, changedAttributes(before.get(address), after.get(address))]).toEqual([address, ['parameter']]);
    expect(renewalTasks.every((a) => a.startsWith(`azurerm_virtual_machine_run_command.${tier}_servers_`))).toBe(true);
    expect(renewalTasks.length).toBe(tier === 'adfs' || tier === 'wap' ? 2 : 0);
    // (and the patch-window suppressions follow the ring table: the new server's ring, the primaries' window, in place)
    const suppressions = changed.filter((a) => a.startsWith('azurerm_monitor_alert_processing_rule_suppression.'));
    for (const address of suppressions)
      expect(['condition', 'description', 'schedule', 'scopes']).toEqual(expect.arrayContaining(changedAttributes(before.get(address), after.get(address))));
    const order = hardeningOrder(changed, before, after);
    expect(changed.filter((c) => c !== PRIMARIES_RING && ![...publishing, ...renewalTasks, ...suppressions, ...order].includes(c))).toEqual(['output.servers']);
    if (changed.includes(PRIMARIES_RING)) expect(changedAttributes(before.get(PRIMARIES_RING), after.get(PRIMARIES_RING))).toEqual(['window']);
    // AND everything added belongs to the new server (its NIC, VM, extensions, pool membership, lock, backup,
    // maintenance assignment, restart wait), or is the third ring that holds it, or the suppression of its tier in
    // its ring (one per ring and tier)
    expect(added.length).toBeGreaterThanOrEqual(4);
    const ownSuppression = new RegExp(`^azurerm_monitor_alert_processing_rule_suppression\\.patch-windows_[a-z0-9-]+-${tier}_`);
    expect(
      added.filter((a) => !a.includes(`_${tier}-3_`) && !/^azurerm_maintenance_configuration\.maintenance_ring-3_/.test(a) && !ownSuppression.test(a)),
    ).toEqual([]);
  });
});

describe('promoting a subordinate (mfa.masterIndex 0 -> 1)', () => {
  const { before, after, added, removed, changed } = compare(
    variant('prod'),
    variant('prod', (c) => (c.mfa.masterIndex = 1)),
  );

  test('moves only the master pool membership from mfa-1 to mfa-2 (and the MFA patch-window suppression from ring-2 to ring-1)', () => {
    // prod: mfa-2 leaves ring-2, which then has no MFA server; mfa-1 joins ring-1, which had none.
    expect(removed).toEqual([
      expect.stringMatching(/^azurerm_monitor_alert_processing_rule_suppression\.patch-windows_ring-2-mfa_/),
      expect.stringMatching(/^azurerm_network_interface_backend_address_pool_association\.mfa_servers_mfa-1_pool-mfa-master_/),
    ]);
    expect(added).toEqual([
      expect.stringMatching(/^azurerm_monitor_alert_processing_rule_suppression\.patch-windows_ring-1-mfa_/),
      expect.stringMatching(/^azurerm_network_interface_backend_address_pool_association\.mfa_servers_mfa-2_pool-mfa-master_/),
    ]);
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

  test('changes nothing else but the outputs that name the master, the ring assignments and suppressions of the two masters, and the order of their restarts', () => {
    const order = hardeningOrder(changed, before, after);
    expect(order.map((a) => a.replace(/_[0-9A-F]+$/, '')).sort()).toEqual(
      ['mfa-1', 'mfa-2', 'mfa-3'].map((s) => `azurerm_virtual_machine_run_command.mfa_servers_${s}_server-hardening`),
    );
    expect(changed.filter((a) => !isServerPart(a) && !order.includes(a))).toEqual([
      expect.stringMatching(/^azurerm_maintenance_assignment_virtual_machine\.maintenance_assignments_mfa-1_/),
      expect.stringMatching(/^azurerm_maintenance_assignment_virtual_machine\.maintenance_assignments_mfa-2_/),
      // The MFA suppression of the primaries' ring: its server is now mfa-2.
      expect.stringMatching(/^azurerm_monitor_alert_processing_rule_suppression\.patch-windows_primaries-mfa_/),
      'output.mfa_master',
      'output.servers',
    ]);
    for (const address of changed.filter((a) => a.startsWith('azurerm_monitor_alert_processing_rule_suppression.'))) {
      expect(['condition', 'description', 'scopes']).toEqual(expect.arrayContaining(changedAttributes(before.get(address), after.get(address))));
    }
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

describe('the intranet ranges of the AD FS subnet (adfs.intranetClientCidrs)', () => {
  const without = variant('prod', (c) => delete c.adfs.intranetClientCidrs);

  test.each([
    ['adding them to an environment deployed without', without, variant('prod')],
    ['removing them', variant('prod'), without],
  ] as const)('%s touches no server and nothing but the two NSG rules of the intranet flows', (_what, before, after) => {
    const { added, removed, changed } = compare(before, after);
    expect([...added, ...removed, ...changed].filter(isServerPart)).toEqual([]);
    expect(changed).toEqual([]);
    expect([...added, ...removed].map((a) => a.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'azurerm_network_security_rule.network_adfs-nsg_allow-intranet-to-adfs-cert-auth',
      'azurerm_network_security_rule.network_adfs-nsg_allow-intranet-to-adfs-https',
    ]);
  });

  test('a second range changes the two rules in place', () => {
    const { added, removed, changed } = compare(
      variant('prod'),
      variant('prod', (c) => c.adfs.intranetClientCidrs.push('172.16.8.0/22')),
    );
    expect([added, removed]).toEqual([[], []]);
    expect(changed.map((a) => a.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'azurerm_network_security_rule.network_adfs-nsg_allow-intranet-to-adfs-cert-auth',
      'azurerm_network_security_rule.network_adfs-nsg_allow-intranet-to-adfs-https',
    ]);
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
  withoutFarm(c);
  delete c.monitoring;
  delete c.network.egress;
};

describe.each([
  [
    'certificates from Key Vault (dev, self-signed)',
    variant('dev', withoutDayOne),
    variant('dev', (c) => {
      withoutDayOne(c);
      c.certificates = { selfSigned: true, keyVaultName: 'kv-mfaha-dev-tls' };
    }),
  ],
  [
    'certificates from an existing vault (prod)',
    variant('prod', withoutDayOne),
    variant('prod', (c) => {
      withoutDayOne(c);
      c.certificates = shippedInput('prod').certificates;
    }),
  ],
  ['the AD FS farm and WAP configuration (dev)', variant('dev', withoutFarm), variant('dev')],
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
    expect(
      removed.filter((r) => /^azurerm_(windows_virtual_machine|network_interface|managed_disk|availability_set|management_lock|backup_protected_vm)\./.test(r)),
    ).toEqual([]);
    expect(removed.filter((r) => r.startsWith('azurerm_virtual_machine_extension.') && /_(setup|domain-join)_/.test(r))).toEqual([]);
    for (const address of changed.filter((c) => c.startsWith('azurerm_windows_virtual_machine.'))) {
      expect([address, changedAttributes(a.get(address), b.get(address))]).toEqual([address, ['identity']]);
    }
    expect(
      changed.filter((c) => /^azurerm_(network_interface|virtual_machine_extension|availability_set|management_lock|backup_protected_vm)\./.test(c)),
    ).toEqual([]);
  });
});

describe('promoting a subordinate with monitoring on', () => {
  test('moves no alert: the master-down alert watches the replication pool, not a server (only the suppressions of the rings follow)', () => {
    const { added, removed, changed } = compare(
      variant('prod'),
      variant('prod', (c) => (c.mfa.masterIndex = 1)),
    );
    expect(
      [...added, ...removed, ...changed].filter((a) => a.startsWith('azurerm_monitor_') && !a.startsWith('azurerm_monitor_alert_processing_rule_suppression.')),
    ).toEqual([]);
    expect(shippedInput('prod').monitoring?.enabled).toBe(true);
  });
});

describe.each(['dev', 'prod'] as const)('switching patching in rings on in %s, and off again', (name) => {
  // An environment file written before the maintenance block existed has none: Windows' own Automatic Updates.
  const [off, on] = [variant(name, (c) => delete c.maintenance), variant(name)];
  const [offAddresses, onAddresses] = [synthesized(off), synthesized(on)];

  test.each([
    ['on', offAddresses, on],
    ['off', onAddresses, off],
  ] as const)('switching it %s replaces no VM, NIC or disk: a VM changes only its patch settings, in place', (_direction, before, after) => {
    const { added, removed, changed, before: a, after: b } = compare(before, after);
    // What comes and goes is the maintenance configurations and assignments and, with monitoring, the patch
    // windows' suppressions, the failed-run alert and its identity's two roles; nothing else.
    const patching =
      /^azurerm_(maintenance_(configuration|assignment_virtual_machine)\.|monitor_alert_processing_rule_suppression\.patch-windows_|monitor_scheduled_query_rules_alert_v2\.patch-windows_patch-run-failed_|role_assignment\.patch-windows_patch-run-failed-)/;
    expect([...added, ...removed].filter((r) => !patching.test(r))).toEqual([]);
    const vms = changed.filter((c) => c.startsWith('azurerm_windows_virtual_machine.'));
    expect(vms.length).toBe([...onAddresses.keys()].filter((k) => k.startsWith('azurerm_windows_virtual_machine.')).length);
    // patch_mode, the bypass flag and the VM's reboot setting update in place (ForceNew: no, azurerm 4.55.0); the OS disk is part of the VM body.
    for (const address of vms)
      expect([address, changedAttributes(a.get(address), b.get(address))]).toEqual([
        address,
        ['bypass_platform_safety_checks_on_user_schedule_enabled', 'patch_mode', 'reboot_setting'],
      ]);
    expect(changed.filter((c) => !c.startsWith('azurerm_windows_virtual_machine.'))).toEqual([]);
  });
});

describe.each(['dev', 'prod'] as const)('joining the servers of %s by Run Command instead of JsonADDomainExtension (domain.join), and back', (name) => {
  const [extension, runCommand] = [variant(name), variant(name, (c) => (c.domain.join = 'run-command'))];
  const [extensionAddresses, runCommandAddresses] = [synthesized(extension), synthesized(runCommand)];
  /** What the switch owns: the extensions and the plan-time read of the password, or the Run Commands, their waits and roles. */
  const joinByExtension =
    /^(azurerm_virtual_machine_extension\.[a-z]+_servers_[a-z]+-\d+_domain-join_|data\.azurerm_key_vault_secret\.secrets_domain-join-password_)/;
  const joinByRunCommand =
    /^(azurerm_virtual_machine_run_command\.[a-z]+_servers_[a-z]+-\d+_domain-join(-restart)?_|time_sleep\.[a-z]+_servers_[a-z]+-\d+_domain-join-restart-delay_|azurerm_role_assignment\.[a-z]+_servers_[a-z]+-reads-domain-join-password_)/;

  test.each([
    ['to the Run Command', extensionAddresses, runCommand, joinByExtension, joinByRunCommand],
    ['back to the extension', runCommandAddresses, extension, joinByRunCommand, joinByExtension],
  ] as const)(
    'switching %s replaces no server: it removes and adds only the join, and changes nothing but the order of the steps after it',
    (_direction, before, after, goes, comes) => {
      const { added, removed, changed, before: a, after: b } = compare(before, after);
      expect(removed.filter((r) => !goes.test(r))).toEqual([]);
      expect(added.filter((r) => !comes.test(r))).toEqual([]);
      expect(removed.length).toBeGreaterThan(0);
      expect(added.length).toBeGreaterThan(0);
      // The role installation waits for the other join, and the hardening for every step: depends_on only, which Terraform plans nothing for.
      for (const address of changed) expect([address, changedAttributes(a.get(address), b.get(address))]).toEqual([address, ['depends_on']]);
      expect(
        changed.filter((c) =>
          /^azurerm_(windows_virtual_machine|network_interface|managed_disk|availability_set|management_lock|backup_protected_vm|subnet|user_assigned_identity)\./.test(
            c,
          ),
        ),
      ).toEqual([]);
    },
  );
});

describe('deletion locks of prod', () => {
  const rules = loadRules();
  const on = synthObject(variant('prod'));
  const off = synthObject(
    variant('prod', (c) => {
      delete c.monitoring;
    }),
  );
  const offLogs = synthObject(
    variant('prod', (c) => {
      c.monitoring.mfaServerLogsEnabled = false;
    }),
  );

  test.each([
    ['turning monitoring off', on, off],
    ['turning monitoring on again', off, on],
    [
      'turning mfaServerLogsEnabled off',
      synthObject(
        variant('prod', (c) => {
          c.monitoring.mfaServerLogsEnabled = true;
        }),
      ),
      offLogs,
    ],
  ])('%s deletes nothing a lock covers (the associations and agents go, the locks stay)', (_, before, after) => {
    expect(deletionsUnderLock(before as any, after as any, rules)).toEqual([]);
  });

  test('turning monitoring off does delete extension resources of the locked servers: with the old lock on the VM it would fail', () => {
    const removed = compareStacks('prod', on as any, off as any).removed;
    expect(removed.filter((a) => a.startsWith('azurerm_monitor_data_collection_rule_association.mfa_'))).not.toEqual([]);
    // GIVEN the locks scoped at the VMs, as before (their extension resources inherit them)
    const vmLocked = structuredClone(on);
    for (const lock of Object.values<any>(vmLocked.resource.azurerm_management_lock)) lock.scope = lock.scope.replace('.os_disk[0].id}', '.id}');
    const refused = deletionsUnderLock(vmLocked as any, off as any, rules).map((d) => d.address);
    expect(refused.filter((a) => a.startsWith('azurerm_monitor_data_collection_rule_association.'))).toHaveLength(6 + 3); // the event logs of 6 servers, MFA Server's log on 3
    expect(refused.filter((a) => a.startsWith('azurerm_virtual_machine_extension.') && a.includes('azure-monitor-agent'))).toHaveLength(6);
  });

  test('every lock covers a server of a data tier: its OS disk or its NIC, nothing else', () => {
    const scopes = Object.values<any>(on.resource.azurerm_management_lock).map((l) => l.scope.replace(/^\$\{([a-z_]+)\.[^.]+\.(.+)\}$/, '$1.$2'));
    expect([...new Set(scopes)].sort()).toEqual(['azurerm_network_interface.id', 'azurerm_windows_virtual_machine.os_disk[0].id']);
    expect(scopes).toHaveLength(2 * 6);
  });
});

describe('per-tier images', () => {
  const image = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition', version: 'latest' };

  test.each(['dev', 'prod'] as const)("%s: naming today's image for every tier, explicitly, changes no address or body", (name) => {
    // GIVEN a file without images WHEN each tier names the image it already has (and the shared one is spelt out)
    const { added, removed, changed } = compare(
      variant(name),
      variant(name, (c) => {
        c.image = image;
        TIERS.forEach((t) => (c[t].image = image));
      }),
    );
    // THEN nothing moves: a file written before per-tier images replaces nothing
    expect({ added, removed, changed }).toEqual({ added: [], removed: [], changed: [] });
  });

  test("an image for the MFA tier changes only the MFA servers' VMs, and no other tier", () => {
    const { added, removed, changed } = compare(
      variant('prod'),
      variant('prod', (c) => (c.mfa.image = { ...image, sku: '2016-datacenter-gensecond' })),
    );
    expect(added).toEqual([]);
    expect(removed).toEqual([]);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.filter((a) => !/^azurerm_windows_virtual_machine\..*_mfa-\d+_/.test(a))).toEqual([]);
  });
});

describe('adding the certificate renewal to an environment deployed before it', () => {
  /** An environment as the toolkit synthesized it before the renewal: the same stack, without its construct. */
  function withoutRenewal(input: EnvironmentInput): Map<string, any> {
    let tf: TerraformJson | undefined;
    jest.isolateModules(() => {
      jest.doMock('../constructs/certificate-renewal', () => {
        const { Construct } = jest.requireActual('constructs');
        return { ...jest.requireActual('../constructs/certificate-renewal'), CertificateRenewal: class extends Construct {} };
      });
      // Its policy did not exist either: it would refuse the servers without the task.
      jest.doMock('../constructs/policies/catalog', () => {
        const catalog = jest.requireActual('../constructs/policies/catalog');
        return { ...catalog, POLICY_RULES: catalog.POLICY_RULES.filter((r: { id: string }) => r.id !== 'MFAHA-TLS-02') };
      });
      // A require, not an import: inside isolateModules, after the doMock above, it loads the helpers (and the stack
      // they synthesize) afresh against the mocked construct; an import at the top would hold the real one.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      tf = JSON.parse(require('./helpers').freshSynthJson(input));
    });
    return byAddress(tf!);
  }

  test.each(['dev', 'prod'] as const)(
    '%s: adds a Run Command per AD FS, WAP, MFA and portal server and, with monitoring, three alerts, and changes or removes nothing but the order of the hardening',
    (name) => {
      const { added, removed, changed, before, after } = compare(withoutRenewal(variant(name)), variant(name));
      expect(removed).toEqual([]);
      // The hardening waits for the renewal's Run Commands too.
      expect(changed).toEqual(hardeningOrder(changed, before, after));
      expect(changed).toEqual([expect.stringMatching(/^time_sleep\.hardening_configured_/)]);
      const runCommands = added.filter((a) => a.startsWith('azurerm_virtual_machine_run_command.'));
      const input = shippedInput(name);
      expect(runCommands).toHaveLength(input.adfs.count! + input.wap.count! + input.mfa.count! + input.portal.count!);
      expect(
        runCommands.every((a) =>
          /^azurerm_virtual_machine_run_command\.(adfs|wap|mfa|portal)_servers_(adfs|wap|mfa|portal)-\d+_certificate-renewal-task_[0-9A-F]+$/.test(a),
        ),
      ).toBe(true);
      // With monitoring, the alerts on the renewal's events and on the proxies' trust.
      const alerts = input.monitoring?.enabled ? ['certificate-near-expiry', 'proxy-trust-broken', 'renewal-failed'] : [];
      expect(added.filter((a) => !runCommands.includes(a)).map((a) => a.replace(/_[0-9A-F]+$/, ''))).toEqual(
        alerts.map((k) => `azurerm_monitor_scheduled_query_rules_alert_v2.certificate-renewal_${k}`),
      );
    },
  );
});

describe("DDoS IP Protection on the proxies' public IP (wap.ddosProtectionEnabled)", () => {
  const [off, on] = [variant('prod'), variant('prod', (c) => (c.wap.ddosProtectionEnabled = true))];
  const [offAddresses, onAddresses] = [synthesized(off), synthesized(on)];

  test('is off unless a file asks for it: the public IP inherits from its virtual network, as before', () => {
    const ip = [...offAddresses].find(([a]) => a.startsWith('azurerm_public_ip.wap_public-ip_'))![1];
    expect(ip.ddos_protection_mode).toBeUndefined();
  });

  test.each([
    ['on', offAddresses, on, 'Enabled'],
    ['off', onAddresses, off, undefined],
  ] as const)(
    "switching it %s changes only the public IP's ddos_protection_mode, in place: the address and every server stay",
    (_direction, before, after, mode) => {
      const { added, removed, changed, before: a, after: b } = compare(before, after);
      expect([added, removed]).toEqual([[], []]);
      expect(changed).toEqual([expect.stringMatching(/^azurerm_public_ip\.wap_public-ip_[0-9A-F]+$/)]);
      expect(changedAttributes(a.get(changed[0]), b.get(changed[0]))).toEqual(['ddos_protection_mode']);
      expect(b.get(changed[0]).ddos_protection_mode).toBe(mode);
      // Not ForceNew in azurerm 4.55.0: the public IP, and so its address, is updated in place.
      expect(isForceNew('azurerm_public_ip', 'ddos_protection_mode')).toBe(false);
    },
  );
});

describe('promoting a WID secondary (adfs.primaryIndex 0 -> 1)', () => {
  const { added, removed, changed, before, after } = compare(
    variant('prod'),
    variant('prod', (c) => (c.adfs.primaryIndex = 1)),
  );

  test('adds and removes nothing but the extranet lockout, which moves to the new primary, and replaces no VM, NIC, disk or extension', () => {
    // Removing a Run Command undoes nothing; the new primary's sets the farm as it already is.
    expect([added, removed]).toEqual([[expect.stringMatching(/_adfs-2_extranet-lockout_/)], [expect.stringMatching(/_adfs-1_extranet-lockout_/)]]);
    expect(changed.filter(isServerPart)).toEqual([]);
  });

  test('changes, in place, the farm scripts of the two servers, what writes through the primary, the two ring assignments and the suppressions that follow them, and the order of the AD FS restarts', () => {
    const order = hardeningOrder(changed, before, after);
    expect(order.map((a) => a.replace(/_[0-9A-F]+$/, '')).sort()).toEqual(
      ['adfs-1', 'adfs-2', 'adfs-3'].map((s) => `azurerm_virtual_machine_run_command.adfs_servers_${s}_server-hardening`),
    );
    const kinds = changed
      .filter((a) => !order.includes(a))
      .map((a) => a.replace(/_[0-9A-F]+$/, ''))
      .sort();
    expect(kinds).toEqual(
      [
        'azurerm_maintenance_assignment_virtual_machine.maintenance_assignments_adfs-1',
        'azurerm_maintenance_assignment_virtual_machine.maintenance_assignments_adfs-2',
        'azurerm_monitor_alert_processing_rule_suppression.patch-windows_primaries-adfs',
        'azurerm_monitor_alert_processing_rule_suppression.patch-windows_ring-1-adfs',
        'azurerm_virtual_machine_run_command.adfs_servers_adfs-1_adfs-farm',
        'azurerm_virtual_machine_run_command.adfs_servers_adfs-2_adfs-farm',
        'azurerm_virtual_machine_run_command.adfs_servers_adfs-3_adfs-farm',
        ...['wap-1', 'wap-2', 'wap-3'].map((s) => `azurerm_virtual_machine_run_command.wap_servers_${s}_certificate-renewal-task`),
        ...['wap-1', 'wap-2', 'wap-3'].map((s) => `azurerm_virtual_machine_run_command.wap_servers_${s}_wap-enrollment`),
        'azurerm_virtual_machine_run_command.wap_servers_wap-1_wap-publishing',
      ].sort(),
    );
    // A run command changes its script and what it waits for: a re-run of each is a no-op on a configured server.
    for (const address of changed.filter((a) => a.startsWith('azurerm_virtual_machine_run_command.'))) {
      expect(['depends_on', 'source']).toEqual(expect.arrayContaining(changedAttributes(before.get(address), after.get(address))));
    }
  });
});

describe('the NPS tier of prod (migration stages)', () => {
  /** The addresses that make up the NPS servers and their configuration. */
  const isNps = (address: string) => /\.nps[-_]/.test(address);
  const parallel = synthesized(prodAtStage('parallel'));

  test('turning it on (mfa-server -> parallel) adds only: nothing removed, no server part changed', () => {
    const { added, removed, changed } = compare(prodAtStage('mfa-server'), prodAtStage('parallel'));
    expect(removed).toEqual([]);
    expect(changed.filter(isServerPart)).toEqual([]);
    // The NPS servers, their load balancer, subnet, NSG, certificates and configuration are all new addresses.
    expect(added.filter((a) => a.startsWith('azurerm_windows_virtual_machine.'))).toEqual([
      expect.stringContaining('.nps_servers_nps-1_'),
      expect.stringContaining('.nps_servers_nps-2_'),
    ]);
    expect(added.filter(isNps).length).toBeGreaterThan(30);
  });

  test('stage entra replaces no server: the NPS servers only join the pool of the mfaapp address', () => {
    const { added, removed, changed, before, after } = compare(parallel, prodAtStage('entra'));
    expect([...removed, ...changed].filter(isServerPart)).toEqual([]);
    expect([...removed, ...changed].filter(isNps)).toEqual([]);
    expect(added.filter(isNps)).toEqual([
      expect.stringMatching(/^azurerm_network_interface_backend_address_pool_association\.nps_servers_nps-1_pool-mfaapp-nps-servers_/),
      expect.stringMatching(/^azurerm_network_interface_backend_address_pool_association\.nps_servers_nps-2_pool-mfaapp-nps-servers_/),
    ]);
    // The mfaapp RADIUS rules change in place (their pool, probe, and prod's SMS OTP stickiness, which NPS does not
    // need; none of the three is ForceNew in azurerm 4.55.0), the address the clients use stays.
    const rule = loadRules()[0].resources.azurerm_lb_rule;
    for (const address of changed.filter((a) => a.startsWith('azurerm_lb_rule.mfa_'))) {
      const attributes = changedAttributes(before.get(address), after.get(address));
      expect([address, attributes]).toEqual([address, ['backend_address_pool_ids', 'load_distribution', 'probe_id']]);
      expect(attributes.filter((a) => rule[a].forceNew)).toEqual([]);
    }
  });

  test('turning nps.extensionInstalled on adds the nps-extension Run Commands, and moves only the order of the next step', () => {
    const { added, removed, changed, before, after } = compare(
      prodAtStage('parallel', (c) => (c.nps.extensionInstalled = false)),
      prodAtStage('parallel'),
    );
    expect(removed).toEqual([]);
    expect(added).toEqual([expect.stringMatching(/_nps-1_nps-extension_/), expect.stringMatching(/_nps-2_nps-extension_/)]);
    // depends_on alone: Terraform plans nothing for the tasks' Run Commands.
    for (const address of changed) expect([address, changedAttributes(before.get(address), after.get(address))]).toEqual([address, ['depends_on']]);
    // (and the barrier before the hardening, which waits for every configuration step)
    const order = hardeningOrder(changed, before, after);
    expect(changed.filter((a) => !order.includes(a))).toEqual([expect.stringMatching(/_nps-1_nps-tasks_/), expect.stringMatching(/_nps-2_nps-tasks_/)]);
  });

  test('adding a RADIUS client updates the nps-radius Run Commands and the NSG rule in place, and adds the role on its secret', () => {
    const { added, removed, changed } = compare(
      parallel,
      prodAtStage('parallel', (c) => {
        c.nps.radiusClients.push({ name: 'rdg', address: '10.42.0.10', sharedSecret: { ...c.nps.radiusClients[0].sharedSecret, secretName: 'radius-rdg' } });
      }),
    );
    expect(removed).toEqual([]);
    expect(added).toEqual([expect.stringMatching(/^azurerm_role_assignment\.nps-configuration_secrets-user-kv-identity-radius-radius-rdg_/)]);
    expect(changed).toEqual([
      expect.stringMatching(/^azurerm_network_security_rule\.network_nps-nsg_allow-radius-clients-to-nps_/),
      expect.stringMatching(/^azurerm_virtual_machine_run_command\.nps_servers_nps-1_nps-radius_/),
      expect.stringMatching(/^azurerm_virtual_machine_run_command\.nps_servers_nps-2_nps-radius_/),
    ]);
  });

  test('scaling it from 2 to 3 servers only adds the third, with its own certificate', () => {
    const { added, removed, changed, before, after } = compare(
      parallel,
      prodAtStage('parallel', (c) => (c.nps.count = 3)),
    );
    expect(removed).toEqual([]);
    const order = hardeningOrder(changed, before, after);
    expect(changed.filter((a) => !order.includes(a))).toEqual(['output.servers']);
    // (and, the third NPS server patching in a ring that had none, that ring's NPS patch-window suppression)
    expect(added.filter((a) => !a.includes('_nps-3_') && !/^azurerm_monitor_alert_processing_rule_suppression\.patch-windows_[a-z0-9-]+-nps_/.test(a))).toEqual(
      [],
    );
    expect(added).toContainEqual(expect.stringMatching(/^azurerm_key_vault_certificate\.nps_servers_nps-3_entra-mfa-client-certificate_/));
  });
});

describe('the migration of prod: AD FS with Microsoft Entra MFA (constructs/entra-mfa-on-adfs.ts)', () => {
  const isEntraMfa = (a: string) => /_entra-mfa-|entra-mfa-on-adfs_|wap-unpublishing/.test(a);
  const atStage = (stage: 'parallel' | 'entra', generation = 1) => synthesized(prodAtStage(stage, (c) => (c.migration.adfsCertificateGeneration = generation)));
  /** prod at mfa-server as a step back from parallel leaves the file: with the tenant. */
  const backAtMfaServer = () => prodAtStage('mfa-server', (c) => (c.migration.tenantId = FIXTURE_TENANT));
  const parallel = atStage('parallel');
  const entra = atStage('entra');

  test('mfa-server -> parallel only adds: its Run Commands, the certificate registrations and the alerts are new, nothing of AD FS or the proxies changes', () => {
    const { added, removed, changed, before, after } = compare(synthesized(prodAtStage('mfa-server')), prodAtStage('parallel'));
    expect(removed).toEqual([]);
    const order = hardeningOrder(changed, before, after);
    expect(changed.filter((a) => !a.startsWith('output.') && !order.includes(a))).toEqual([]);
    expect([...parallel.keys()].filter(isEntraMfa).filter((a) => !added.includes(a))).toEqual([]);
    expect(added.filter((a) => a.startsWith('azuread_service_principal_certificate.adfs_'))).toHaveLength(3);
  });

  test('the tenant at mfa-server (a step back from parallel) adds only the script that undoes parallel, on the WID primary', () => {
    const { added, removed, changed, before, after } = compare(variant('prod'), backAtMfaServer());
    const order = hardeningOrder(changed, before, after);
    expect([removed, changed.filter((a) => !order.includes(a))]).toEqual([[], []]);
    expect(added).toEqual([expect.stringMatching(/^azurerm_virtual_machine_run_command\.adfs_servers_adfs-1_entra-mfa-policy_[0-9A-F]+$/)]);
  });

  test('parallel -> mfa-server (the way back) keeps the policy Run Command, changed in place, and removes the rest of the AD FS half', () => {
    const { removed, changed } = compare(parallel, backAtMfaServer());
    expect(changed.filter(isEntraMfa)).toEqual([expect.stringMatching(/_adfs-1_entra-mfa-policy_/)]);
    // The NPS servers go with the stage (constructs/migration-stages.ts); no other server part does.
    expect(removed.filter(isServerPart).filter((a) => !a.includes('.nps_servers_'))).toEqual([]);
    expect(removed.filter((a) => a.startsWith('azuread_service_principal_certificate.adfs_'))).toHaveLength(3);
  });

  test('parallel -> entra replaces no server, keeps every certificate registration, and changes its Run Commands in place', () => {
    const { added, removed, changed, before, after } = compare(parallel, prodAtStage('entra'));
    expect([...removed, ...changed].filter(isServerPart)).toEqual([]);
    for (const [address, body] of parallel) if (address.startsWith('azuread_')) expect(after.get(address)).toEqual(body);
    expect(removed.filter(isEntraMfa)).toEqual([]);
    expect(added.filter(isEntraMfa)).toEqual([expect.stringMatching(/wap_servers_wap-1_wap-unpublishing_/)]);
    // Unpublished, the portal is no longer reachable from the perimeter: its NSG rule goes with the publication.
    expect(removed.filter((a) => a.includes('_wap-nsg_'))).toEqual([expect.stringMatching(/network_wap-nsg_allow-wap-to-portal-https_/)]);
    // The Run Commands that change are updated in place: Run Command runs the new script, Terraform replaces nothing.
    for (const address of changed.filter(isEntraMfa))
      expect(changedAttributes(before.get(address), after.get(address)).filter((k) => k !== 'source' && k !== 'depends_on')).toEqual([]);
  });

  test("entra -> parallel (the way back) only removes the unpublishing, and adds the publishing and the proxies' way to the portal back", () => {
    const { added, removed } = compare(entra, prodAtStage('parallel'));
    expect(removed.filter(isEntraMfa)).toEqual([expect.stringMatching(/wap-unpublishing/)]);
    expect(added.filter((a) => a.includes('_wap-'))).toEqual([
      expect.stringMatching(/network_wap-nsg_allow-wap-to-portal-https_/),
      expect.stringMatching(/wap_servers_wap-1_wap-publishing_/),
    ]);
  });

  test('a renewal adds the new generation beside the last one, and the next removes only the one before', () => {
    const second = compare(
      entra,
      prodAtStage('entra', (c) => (c.migration.adfsCertificateGeneration = 2)),
    );
    expect(second.removed).toEqual([]);
    expect(second.added.filter((a) => !/-certificate-2_/.test(a))).toEqual([]);
    expect(second.added).toHaveLength(6);
    const third = compare(
      atStage('entra', 2),
      prodAtStage('entra', (c) => (c.migration.adfsCertificateGeneration = 3)),
    );
    expect(third.removed.map((a) => a.replace(/_[0-9A-F]+$/, '').replace(/adfs-\d/, 'adfs-n')).sort()).toEqual([
      ...Array(3).fill('azuread_service_principal_certificate.adfs_servers_adfs-n_entra-mfa-client-certificate-1'),
      ...Array(3).fill('azurerm_virtual_machine_run_command.adfs_servers_adfs-n_entra-mfa-certificate-1'),
    ]);
    expect([...third.removed, ...third.changed].filter(isServerPart)).toEqual([]);
  });
});
