import { maintenanceAssignment } from '../../constructs/policies/maintenance-assignment';
import { oneServerPerTierInWindow } from '../../constructs/policies/one-server-per-tier-in-window';
import { variant } from '../helpers';
import { bodies, compliantCount, only, shipped, synthesize, verdicts, violations } from './fixtures';

const VM = 'azurerm_windows_virtual_machine';
const CONFIG = 'azurerm_maintenance_configuration';
const ASSIGNMENT = 'azurerm_maintenance_assignment_virtual_machine';

describe('MFAHA-MNT-01 with patching in rings, every server is patched by the platform and has exactly one maintenance assignment', () => {
  test('holds for the 8 servers of dev and the 11 of prod', () => {
    expect(violations(maintenanceAssignment, shipped('dev'))).toEqual({});
    expect(compliantCount(maintenanceAssignment, shipped('dev'))).toBe(8);
    expect(compliantCount(maintenanceAssignment, shipped('prod'))).toBe(11);
  });

  test('does not apply to an environment without the maintenance block', () => {
    expect([...verdicts(maintenanceAssignment, synthesize(variant('dev', (c) => delete c.maintenance))).values()].every((v) => v === 'n/a')).toBe(true);
  });

  test('fails a server without its assignment, and one with two', () => {
    const prod = shipped('prod');
    const [vm] = only(prod.json, VM, 'mfa-2/Resource');
    const [name, assignment] = only(prod.json, ASSIGNMENT, 'assignments/mfa-2');
    delete prod.json.resource[ASSIGNMENT][name];
    expect(violations(maintenanceAssignment, prod)).toEqual({ [`${VM}.${vm}`]: '0 maintenance assignments; a server needs exactly one (its ring)' });
    prod.json.resource[ASSIGNMENT][name] = assignment;
    prod.json.resource[ASSIGNMENT].extra = { ...assignment };
    expect(violations(maintenanceAssignment, prod)).toEqual({ [`${VM}.${vm}`]: '2 maintenance assignments; a server needs exactly one (its ring)' });
  });

  test('fails a server left to Windows Automatic Updates, or without the bypass flag', () => {
    const prod = shipped('prod');
    const [portal, body] = only(prod.json, VM, 'portal-1/Resource');
    delete body.patch_mode;
    const [wap, other] = only(prod.json, VM, 'wap-3/Resource');
    other.bypass_platform_safety_checks_on_user_schedule_enabled = false;
    expect(violations(maintenanceAssignment, prod)).toEqual({
      [`${VM}.${portal}`]: 'patch_mode is unset (AutomaticByOS), not AutomaticByPlatform',
      [`${VM}.${wap}`]: 'bypass_platform_safety_checks_on_user_schedule_enabled is not true',
    });
  });
});

describe('MFAHA-MNT-02 no maintenance window holds two servers of one tier', () => {
  test('holds for the 3 windows of dev and the 4 of prod', () => {
    expect(violations(oneServerPerTierInWindow, shipped('prod'))).toEqual({});
    expect(compliantCount(oneServerPerTierInWindow, shipped('dev'))).toBe(3);
    expect(compliantCount(oneServerPerTierInWindow, shipped('prod'))).toBe(4);
  });

  test('fails a window that holds two MFA servers', () => {
    const prod = shipped('prod');
    const [ring] = only(prod.json, CONFIG, 'maintenance/ring-3');
    const [, mfa2] = only(prod.json, ASSIGNMENT, 'assignments/mfa-2');
    mfa2.maintenance_configuration_id = `\${${CONFIG}.${ring}.id}`;
    const found = violations(oneServerPerTierInWindow, prod);
    expect(Object.keys(found)).toEqual([`${CONFIG}.${ring}`]);
    expect(found[`${CONFIG}.${ring}`]).toMatch(/^holds two mfa servers: azurerm_windows_virtual_machine\..+ and azurerm_windows_virtual_machine\..+$/);
  });

  test('fails two windows that overlap while they hold servers of one tier, and windows it cannot compare', () => {
    const prod = shipped('prod');
    const [ring1] = only(prod.json, CONFIG, 'maintenance/ring-1');
    const [ring2, body] = only(prod.json, CONFIG, 'maintenance/ring-2');
    // ring-2 opens an hour after ring-1, whose 3-hour window is still open.
    body.window.start_date_time = '2027-01-06 23:00';
    const found = violations(oneServerPerTierInWindow, prod);
    // ring-1 holds adfs-2, portal-1, wap-1 (mfa-1 is the master); ring-2 holds mfa-2, adfs-3, portal-2, wap-2.
    expect(found[`${CONFIG}.${ring1}`]).toMatch(new RegExp(`^its window overlaps ${CONFIG}\\.${ring2}'s, and both hold (adfs|portal|wap) servers$`));
    expect(found[`${CONFIG}.${ring2}`]).toMatch(new RegExp(`^its window overlaps ${CONFIG}\\.${ring1}'s, and both hold (mfa|adfs|portal|wap) servers$`));
    // A week later is the same weekly window.
    body.window.start_date_time = '2027-01-13 22:00';
    expect(Object.keys(violations(oneServerPerTierInWindow, prod)).sort()).toEqual([`${CONFIG}.${ring1}`, `${CONFIG}.${ring2}`].sort());
    body.window.start_date_time = '2027-01-07 22:00';
    body.window.time_zone = 'UTC';
    expect(violations(oneServerPerTierInWindow, prod)[`${CONFIG}.${ring2}`]).toMatch(/^cannot show that its window and .+ never overlap/);
  });

  test('judges only maintenance configurations', () => {
    const judged = verdicts(oneServerPerTierInWindow, shipped('dev'));
    for (const [name] of bodies(shipped('dev').json, VM)) expect(judged.get(`${VM}.${name}`)).toBe('n/a');
  });
});
