import { isHotpatchImage, minutesOf, numberedRingCount, ringInputsOf, ringIntervalHours, ringsOf } from '../constructs/maintenance-rings';
import type { RuleViolation } from './rules';
import type { Environment } from './schema';
import { configuredImageOf, configuredTiers } from './server-tiers';
import { ConfigWarning } from './warnings';

/*
 * Whole-topology rules of the maintenance block: a window Azure Update Manager accepts, and rings that
 * never overlap, within one recurrence, so that no two servers of a tier are ever down for updates together.
 */

/** Update Manager's window for in-guest patches: at least 1 h 30, at most 3 h 55 ("Schedule recurring updates"). */
const MIN_DURATION = 90;
const MAX_DURATION = 3 * 60 + 55;

export function* maintenanceViolations(env: Environment): Generator<RuleViolation> {
  const m = env.maintenance;
  if (!m?.enabled) {
    // Azure refuses a hotpatch image unless the platform patches the server (azurerm: patch_mode must be AutomaticByPlatform).
    const hotpatched = configuredTiers(env).filter((t) => isHotpatchImage(configuredImageOf(env, t)));
    if (hotpatched.length > 0) {
      const skus = [...new Set(hotpatched.map((t) => configuredImageOf(env, t).sku))].join(', ');
      yield {
        path: 'maintenance',
        expected: `must be enabled with the hotpatch image ${skus} on the ${hotpatched.join(', ')} tier${hotpatched.length > 1 ? 's' : ''} (Azure patches such servers only through the platform)`,
        got: m ? 'enabled: false' : 'no maintenance block',
      };
    }
    return;
  }
  const [y, mo, d] = m.startDate.split('-').map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) yield { path: 'maintenance.startDate', expected: 'must be a calendar date', got: m.startDate };
  const duration = minutesOf(m.duration);
  if (duration < MIN_DURATION || duration > MAX_DURATION) {
    yield { path: 'maintenance.duration', expected: 'must be from 01:30 to 03:55 (the window Update Manager allows for in-guest patches)', got: m.duration };
  }
  const rings = numberedRingCount(ringInputsOf(env)) + 1;
  const interval = ringIntervalHours(m, rings);
  if (interval * 60 < duration) {
    yield {
      path: 'maintenance.ringIntervalHours',
      expected: `must be at least the window's length (${m.duration}), so that one ring ends before the next begins`,
      got: interval,
    };
  }
  const period = m.recurrenceWeeks * 7 * 24 * 60;
  if ((rings - 1) * interval * 60 + duration > period) {
    const most = Math.floor((period - duration) / 60 / (rings - 1));
    yield {
      path: 'maintenance.ringIntervalHours',
      expected: `must fit the ${rings} rings of this environment into ${m.recurrenceWeeks} week(s) before the first ring runs again: at most ${most} hours (or leave it out to spread the rings evenly)`,
      got: interval,
    };
  }
  if (new Set(m.classifications).size !== m.classifications.length)
    yield { path: 'maintenance.classifications', expected: 'must not repeat a classification', got: m.classifications };
}

/**
 * A start date that leaves servers unpatched for longer than one recurrence: with the rings on, every VM has
 * `bypass_platform_safety_checks_on_user_schedule_enabled`, which stops Azure's own patching, so a server gets no
 * update at all until its ring's first window ("Schedule recurring updates": customer-managed schedules). Compared
 * with `today`, as wall-clock dates (the windows' time zone is ignored: a day either way does not change the advice).
 */
export function maintenanceWarnings(file: string, env: Environment, today: Date = new Date()): ConfigWarning[] {
  const m = env.maintenance;
  if (!m?.enabled) return [];
  const rings = ringsOf(env);
  const last = rings
    .map((r) => r.window.startDateTime)
    .sort()
    .at(-1)!;
  const at = (text: string) =>
    Date.UTC(
      Number(text.slice(0, 4)),
      Number(text.slice(5, 7)) - 1,
      Number(text.slice(8, 10)),
      Number(text.slice(11, 13) || 0),
      Number(text.slice(14, 16) || 0),
    );
  const now = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), today.getUTCHours(), today.getUTCMinutes());
  const recurrenceDays = m.recurrenceWeeks * 7;
  if (at(last) - now <= recurrenceDays * 24 * 3600 * 1000) return [];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return [
    new ConfigWarning(
      file,
      'maintenance.startDate',
      `${m.startDate} leaves servers unpatched until their rings' first windows (the last opens ${last}), more than one recurrence (${recurrenceDays} days) after today (${day(now)}): bypass_platform_safety_checks_on_user_schedule_enabled stops Azure's own patching until then; move startDate closer`,
    ),
  ];
}
