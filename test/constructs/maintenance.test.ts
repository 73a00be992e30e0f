import { isDeepStrictEqual } from 'util';
import type { EnvironmentInput } from '../../config/schema';
import { maintenanceRings, PRIMARIES, ringAssignments, ringInputsOf } from '../../constructs/maintenance-rings';
import { maintenanceWarnings } from '../../config/maintenance-rules';
import { configErrorOf, synthObject, TerraformJson, validate, variant } from '../helpers';
import { maximalInput } from '../config/fixtures';

/*
 * Patching in rings, judged on the synthesized Terraform: which VM each assignment names, which
 * configuration it points at, and when that configuration's window opens.
 */

const CONFIG = 'azurerm_maintenance_configuration';
const ASSIGNMENT = 'azurerm_maintenance_assignment_virtual_machine';
const VM = 'azurerm_windows_virtual_machine';

/** A ring as synthesized: its address, window start (minutes, wall clock), length, and the servers (`mfa-2`) assigned to it. */
interface SynthesizedRing {
  readonly address: string;
  readonly name: string;
  readonly start: number;
  readonly minutes: number;
  readonly period: number;
  readonly servers: string[];
}

/** The server id of a VM, from its name (`vm-mfaha-dev-mfa-1` → `mfa-1`). */
const serverOf = (vmAddress: string, tf: TerraformJson) => /-([a-z]+-\d+)$/.exec(tf.resource[VM][vmAddress.split('.')[1]].name)![1];

function ringsIn(tf: TerraformJson): SynthesizedRing[] {
  const rings = Object.entries<any>(tf.resource[CONFIG] ?? {}).map(([name, body]): SynthesizedRing => {
    const [, y, mo, d, h, mi] = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(body.window.start_date_time)!.map(Number);
    const [hh, mm] = body.window.duration.split(':').map(Number);
    const weeks = Number(/^(\d+)Weeks? /.exec(body.window.recur_every)![1]);
    return {
      address: `${CONFIG}.${name}`,
      name: body.name,
      start: Date.UTC(y, mo - 1, d, h, mi) / 60000,
      minutes: hh * 60 + mm,
      period: weeks * 7 * 1440,
      servers: [],
    };
  });
  for (const a of Object.values<any>(tf.resource[ASSIGNMENT] ?? {})) {
    const ring = rings.find((r) => a.maintenance_configuration_id === `\${${r.address}.id}`)!;
    ring.servers.push(serverOf(/^\$\{(.+)\.id\}$/.exec(a.virtual_machine_id)![1], tf));
  }
  return rings.sort((a, b) => a.start - b.start);
}

const tierOf = (server: string) => server.replace(/-\d+$/, '');

// Each shipped input is synthesized once for the whole file: the longest configuration takes seconds.
const synthesizedOf = new Map<() => EnvironmentInput, TerraformJson>();
const synthOf = (input: () => EnvironmentInput) => {
  if (!synthesizedOf.has(input)) synthesizedOf.set(input, synthObject(input()));
  return synthesizedOf.get(input)!;
};
const dev = () => variant('dev');
const prod = () => variant('prod');
const cases: [string, () => EnvironmentInput][] = [
  ['dev', dev],
  ['prod', prod],
  ['the longest configuration', maximalInput],
];

describe.each(cases)('patching in rings of %s', (_, input) => {
  const env = validate(input());
  const tf = synthOf(input);
  const rings = ringsIn(tf);
  const servers = Object.keys(tf.resource[VM]).map((name) => serverOf(`${VM}.${name}`, tf));
  const ringOf = (server: string) => rings.findIndex((r) => r.servers.includes(server));
  const master = `mfa-${env.mfa.masterIndex + 1}`;

  test('every server has exactly one assignment, and every VM is patched by the platform on the user schedule', () => {
    expect(rings.flatMap((r) => r.servers).sort()).toEqual([...servers].sort());
    for (const vm of Object.values<any>(tf.resource[VM])) {
      expect([vm.patch_mode, vm.bypass_platform_safety_checks_on_user_schedule_enabled]).toEqual(['AutomaticByPlatform', true]);
    }
    for (const c of Object.values<any>(tf.resource[CONFIG]))
      expect([c.scope, c.in_guest_user_patch_mode, c.install_patches.reboot]).toEqual(['InGuestPatch', 'User', env.maintenance!.reboot]);
  });

  test('no two servers of a tier share a window, and the windows of a cycle never overlap', () => {
    for (const ring of rings) expect(new Set(ring.servers.map(tierOf)).size).toBe(ring.servers.length);
    const period = rings[0].period;
    for (let i = 1; i < rings.length; i++) expect(rings[i].start - rings[i - 1].start).toBeGreaterThanOrEqual(rings[i - 1].minutes);
    // The last ring closes before the first opens again.
    expect(rings.at(-1)!.start + rings.at(-1)!.minutes - rings[0].start).toBeLessThanOrEqual(period);
  });

  test('the ring order: MFA subordinates before the master, AD FS secondaries before the primary, one WAP and one portal server at a time', () => {
    const subordinates = servers.filter((s) => tierOf(s) === 'mfa' && s !== master);
    expect(subordinates.length).toBe(env.mfa.count - 1);
    for (const s of subordinates) expect(ringOf(s)).toBeLessThan(ringOf(master));
    for (const s of servers.filter((s) => tierOf(s) === 'adfs' && s !== 'adfs-1')) expect(ringOf(s)).toBeLessThan(ringOf('adfs-1'));
    expect(ringOf(master)).toBe(rings.length - 1);
    expect(rings.at(-1)!.servers.sort()).toEqual(['adfs-1', master].sort());
    for (const tier of ['wap', 'portal']) {
      const of = servers.filter((s) => tierOf(s) === tier).map(ringOf);
      expect(new Set(of).size).toBe(of.length);
    }
  });

  test('the rings follow the ring table: ids by ring name, one ring after the other', () => {
    const table = maintenanceRings(ringInputsOf(env), env.maintenance!);
    expect(rings.map((r) => r.name)).toEqual(table.map((r) => `mc-mfaha-${env.name}-${r.name}`));
    expect(rings.map((r) => r.servers.sort())).toEqual(table.map((r) => r.members.map((m) => m.server).sort()));
  });
});

describe.each<[string, () => EnvironmentInput, number]>([
  ['prod', prod, 1],
  ['the longest configuration', maximalInput, 0],
])('promoting a subordinate of %s', (_, input, newMaster) => {
  const before = input();
  const after = { ...input(), mfa: { ...before.mfa, masterIndex: newMaster } };
  const [a, b] = [synthOf(input), synthObject(after)];
  const oldMaster = `mfa-${validate(before).mfa.masterIndex + 1}`;

  test('moves only the new and the old master between their rings: no other assignment, no ring changes', () => {
    expect(a.resource[CONFIG]).toEqual(b.resource[CONFIG]);
    expect(Object.keys(b.resource[ASSIGNMENT]).sort()).toEqual(Object.keys(a.resource[ASSIGNMENT]).sort());
    const moved = Object.keys(a.resource[ASSIGNMENT]).filter((k) => !isDeepStrictEqual(a.resource[ASSIGNMENT][k], b.resource[ASSIGNMENT][k]));
    expect(moved.map((k) => /_assignments_([a-z]+-\d+)_/.exec(k)![1]).sort()).toEqual([oldMaster, `mfa-${newMaster + 1}`].sort());
    const [ringsA, ringsB] = [ringsIn(a), ringsIn(b)];
    // The new master leaves the ring of its number for the primaries' ring; the old master returns to the ring of its number.
    expect(ringsA.find((r) => r.servers.includes(`mfa-${newMaster + 1}`))!.name).toMatch(new RegExp(`-ring-${newMaster + 1}$`));
    expect(ringsB.at(-1)!.servers).toContain(`mfa-${newMaster + 1}`);
    expect(ringsB.find((r) => r.servers.includes(oldMaster))!.name).toMatch(new RegExp(`-ring-${oldMaster.slice(4)}$`));
  });
});

describe('the ring table', () => {
  test('every server keeps the ring of its number; the master and adfs-1 sit in the primaries ring', () => {
    const rings = ringAssignments({ counts: { mfa: 3, portal: 2, adfs: 3, wap: 3 }, masterIndex: 1 });
    expect(Object.fromEntries(rings)).toEqual({
      'mfa-1': 'ring-1',
      'mfa-2': PRIMARIES,
      'mfa-3': 'ring-3',
      'adfs-1': PRIMARIES,
      'adfs-2': 'ring-1',
      'adfs-3': 'ring-2',
      'portal-1': 'ring-1',
      'portal-2': 'ring-2',
      'wap-1': 'ring-1',
      'wap-2': 'ring-2',
      'wap-3': 'ring-3',
    });
  });

  test('without an interval, rings run on successive nights while they fit the week, else spread evenly over it', () => {
    const schedule = validate(variant('prod')).maintenance!;
    const hours = (mfa: number) => maintenanceRings({ counts: { mfa, portal: 2, adfs: 2, wap: 2 }, masterIndex: 0 }, schedule).map((r) => r.window.offsetHours);
    expect(hours(6)).toEqual([0, 24, 48, 72, 96, 120, 144]);
    // 8 rings: 7 × 24 h + 3 h is more than a week; (168 − 3) / 7 = 23.6, so 23 hours apart.
    expect(hours(7)).toEqual([0, 23, 46, 69, 92, 115, 138, 161]);
    expect(hours(20).at(-1)).toBe(160);
  });

  test('successive rings start one interval apart, on the weekday of their start', () => {
    const env = validate(variant('prod'));
    const windows = maintenanceRings(ringInputsOf(env), env.maintenance!).map((r) => [r.name, r.window.startDateTime, r.window.recurEvery]);
    expect(windows).toEqual([
      ['ring-1', '2026-12-09 22:00', '1Week Wednesday'],
      ['ring-2', '2026-12-10 22:00', '1Week Thursday'],
      ['ring-3', '2026-12-11 22:00', '1Week Friday'],
      [PRIMARIES, '2026-12-12 22:00', '1Week Saturday'],
    ]);
  });
});

describe('hotpatching', () => {
  test('is on where the image supports it, and left alone on other images', () => {
    const hotpatch = synthObject(
      variant(
        'dev',
        (c) => (c.image = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition-hotpatch', version: 'latest' }),
      ),
    );
    expect(Object.values<any>(hotpatch.resource[VM]).map((vm) => vm.hotpatching_enabled)).toEqual(Array(8).fill(true));
    expect(Object.values<any>(synthOf(dev).resource[VM]).every((vm) => vm.hotpatching_enabled === undefined)).toBe(true);
  });

  test("follows each tier's own image: a Windows Server 2016 MFA tier beside a hotpatch shared image is not hotpatched", () => {
    const mixed = synthObject(
      variant('dev', (c) => {
        c.image = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition-hotpatch', version: 'latest' };
        c.mfa.image = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2016-datacenter-gensecond', version: 'latest' };
      }),
    );
    const byTier = Object.values<any>(mixed.resource[VM]).map((vm) => [vm.tags.tier, vm.hotpatching_enabled ?? false, vm.patch_mode]);
    expect(byTier.filter(([tier]) => tier === 'mfa')).toEqual([
      ['mfa', false, 'AutomaticByPlatform'],
      ['mfa', false, 'AutomaticByPlatform'],
    ]);
    expect(byTier.filter(([tier]) => tier !== 'mfa').every(([, hot]) => hot === true)).toBe(true);
  });
});

describe('the maintenance block refuses with one line, and accepts what is right', () => {
  test.each<[string, (c: any) => void, string]>([
    [
      'a window longer than Update Manager allows',
      (c) => (c.maintenance.duration = '04:00'),
      'environments/test.json: maintenance.duration must be from 01:30 to 03:55 (the window Update Manager allows for in-guest patches), got "04:00"',
    ],
    ['a window shorter than Update Manager allows', (c) => (c.maintenance.duration = '01:00'), 'maintenance.duration must be from 01:30 to 03:55'],
    [
      'rings closer than their windows',
      (c) => (c.maintenance.ringIntervalHours = 2),
      "maintenance.ringIntervalHours must be at least the window's length (03:00), so that one ring ends before the next begins, got 2",
    ],
    [
      'more rings than a week holds',
      (c) => {
        c.mfa.count = 8;
        c.maintenance.ringIntervalHours = 24;
      },
      'maintenance.ringIntervalHours must fit the 9 rings of this environment into 1 week(s) before the first ring runs again: at most 20 hours (or leave it out to spread the rings evenly), got 24',
    ],
    [
      'a time zone in the wrong letter case',
      (c) => (c.maintenance.timeZone = 'utc'),
      'maintenance.timeZone must be a Windows time zone name such as "UTC" or "W. Europe Standard Time", got "utc"',
    ],
    [
      'a classification in the wrong letter case',
      (c) => (c.maintenance.classifications = ['critical']),
      'maintenance.classifications[0] must be one of Critical, Security, UpdateRollup, FeaturePack, ServicePack, Definition, Tools, Updates (case-sensitive), got "critical"',
    ],
    ['a date that does not exist', (c) => (c.maintenance.startDate = '2027-02-30'), 'maintenance.startDate must be a calendar date, got "2027-02-30"'],
    ['no start date', (c) => delete c.maintenance.startDate, 'maintenance.startDate is required'],
    [
      'a hotpatch image without patching in rings',
      (c) => {
        delete c.maintenance;
        c.image = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition-core', version: 'latest' };
      },
      'maintenance must be enabled with the hotpatch image 2022-datacenter-azure-edition-core on the mfa, portal, adfs, wap tiers (Azure patches such servers only through the platform), got "no maintenance block"',
    ],
    [
      "one tier's own hotpatch image without patching in rings",
      (c) => {
        delete c.maintenance;
        c.wap.image = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition-hotpatch', version: 'latest' };
      },
      'maintenance must be enabled with the hotpatch image 2022-datacenter-azure-edition-hotpatch on the wap tier (Azure patches such servers only through the platform), got "no maintenance block"',
    ],
  ])('%s', (_, change, message) => {
    const error = configErrorOf(variant('prod', change));
    expect(error).toContain(message);
    expect(error).not.toContain('\n');
  });

  test.each<[string, (c: any) => void]>([
    ['no maintenance block (Windows Automatic Updates, as before)', (c) => delete c.maintenance],
    ['rings four hours apart every two weeks', (c) => Object.assign(c.maintenance, { ringIntervalHours: 4, recurrenceWeeks: 2, duration: '03:55' })],
  ])('accepts %s', (_, change) => expect(configErrorOf(variant('prod', change))).toBeUndefined());
});

describe("the VM's own reboot setting", () => {
  test.each(['IfRequired', 'Always', 'Never'] as const)(
    'follows maintenance.reboot (%s) on every VM, since it takes precedence over the maintenance configuration',
    (reboot) => {
      const tf = synthObject(variant('prod', (c) => (c.maintenance.reboot = reboot)));
      expect(new Set(Object.values<any>(tf.resource[VM]).map((vm) => vm.reboot_setting))).toEqual(new Set([reboot]));
      expect(new Set(Object.values<any>(tf.resource[CONFIG]).map((c) => c.install_patches.reboot))).toEqual(new Set([reboot]));
    },
  );

  test('is not set without patching in rings (it needs patch_mode AutomaticByPlatform)', () => {
    const tf = synthObject(variant('prod', (c) => delete c.maintenance));
    expect(Object.values<any>(tf.resource[VM]).every((vm) => vm.reboot_setting === undefined)).toBe(true);
  });
});

describe('the WID primary in the rings (adfs.primaryIndex)', () => {
  test('sits in the primaries ring; a promotion moves only the new and the old primary', () => {
    const before = ringAssignments({ counts: { mfa: 3, portal: 2, adfs: 3, wap: 3 }, masterIndex: 0 });
    const after = ringAssignments({ counts: { mfa: 3, portal: 2, adfs: 3, wap: 3 }, masterIndex: 0, adfsPrimaryIndex: 1 });
    expect([before.get('adfs-1'), before.get('adfs-2'), before.get('adfs-3')]).toEqual([PRIMARIES, 'ring-1', 'ring-2']);
    expect([after.get('adfs-1'), after.get('adfs-2'), after.get('adfs-3')]).toEqual(['ring-1', PRIMARIES, 'ring-2']);
  });

  test('is refused beyond the tier, with one line', () => {
    const error = configErrorOf(variant('prod', (c) => (c.adfs.primaryIndex = 3)));
    expect(error).toContain('environments/test.json: adfs.primaryIndex must be an integer from 0 to 2 (adfs.count is 3), got 3');
    expect(error).not.toContain('\n');
  });
});

describe('a start date that leaves servers unpatched', () => {
  const env = (startDate: string, recurrenceWeeks = 1) => validate(variant('prod', (c) => Object.assign(c.maintenance, { startDate, recurrenceWeeks })));
  const today = new Date(Date.UTC(2027, 0, 4, 9, 0));

  test("warns, in one line, when the last ring's first window opens more than one recurrence from today (the bypass flag stops Azure's own patching until then)", () => {
    // prod's four rings run on successive nights: the primaries open three days after startDate.
    expect(maintenanceWarnings('environments/prod.json', env('2027-01-20'), today).map((w) => w.message)).toEqual([
      "environments/prod.json: maintenance.startDate 2027-01-20 leaves servers unpatched until their rings' first windows (the last opens 2027-01-23 22:00), more than one recurrence (7 days) after today (2027-01-04): bypass_platform_safety_checks_on_user_schedule_enabled stops Azure's own patching until then; move startDate closer",
    ]);
  });

  test.each<[string, string, number]>([
    ['within one recurrence', '2027-01-06', 1],
    ['in the past (the windows recur)', '2026-11-04', 1],
    ['within two weeks of a fortnightly recurrence', '2027-01-12', 2],
  ])('says nothing for a start %s', (_, startDate, weeks) => {
    expect(maintenanceWarnings('environments/prod.json', env(startDate, weeks), today)).toEqual([]);
  });
});
