import { Maintenance, MAINTENANCE_DEFAULTS } from '../config/maintenance-schema';
import type { Environment } from '../config/schema';
import { deployedTiersOf } from '../config/stage';
import type { ImageReference } from './windows-server-pool';
import { TierName, TIERS } from './values';

/*
 * THE ring table: which servers Azure Update Manager patches together, in which order, in which window.
 * Declared once and read by the maintenance resources, the config rules, the policy tests and the
 * README's calendar. Within a tier no two servers ever share a ring, and the rings run in an order that
 * keeps the design serving:
 *   - ring n holds the n-th server of every tier (mfa-n, portal-n, wap-n) and the n-th AD FS secondary;
 *   - the last ring, `primaries`, holds the MFA master and the WID primary (adfs.primaryIndex), after every other server.
 * Each server keeps the ring of its number whatever its role, except the master and the WID primary, which always
 * sit in `primaries`: a promotion moves the new one into it and the old one back to a ring of the others.
 */

/** Name of the ring that runs last: the MFA master and the AD FS primary. */
export const PRIMARIES = 'primaries';

/** One server's place: its construct id (`mfa-1`) and tier. */
export interface RingMember {
  readonly tier: TierName;
  readonly server: string;
}

/** When a ring's window opens and closes, as Azure Update Manager is told. */
export interface RingWindow {
  /** `YYYY-MM-DD hh:mm` in the time zone. */
  readonly startDateTime: string;
  readonly weekday: string;
  /** `hh:mm`. */
  readonly duration: string;
  /** `1Week Wednesday`, `2Weeks Friday`. */
  readonly recurEvery: string;
  readonly timeZone: string;
  /** Hours from the first ring's start to this one's, within the recurrence. */
  readonly offsetHours: number;
}

/** One ring: a maintenance configuration and the servers assigned to it. */
export interface Ring {
  /** Stable key: `ring-1`, … or `primaries`; the configuration's id and name suffix. */
  readonly name: string;
  readonly members: readonly RingMember[];
  readonly window: RingWindow;
}

/** What the rings are computed from. */
export interface RingInputs {
  /** Servers per deployed tier; a tier the environment does not deploy (any more) has none. */
  readonly counts: Readonly<Partial<Record<TierName, number>>>;
  /** 0-based index of the MFA master. */
  readonly masterIndex: number;
  /** 0-based index of the WID primary AD FS server. @default 0 */
  readonly adfsPrimaryIndex?: number;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Minutes of an `hh:mm`. */
export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The server of a tier that goes in ring n (1-based) or `primaries`, by 1-based server number. */
function ringOfServer(tier: TierName, n: number, inputs: RingInputs): string {
  if (tier === 'mfa' && n === inputs.masterIndex + 1) return PRIMARIES;
  // The WID primary holds the farm's only writable configuration (constructs/federation-configuration.ts); the
  // secondaries take the numbered rings in their order.
  if (tier === 'adfs') {
    const primary = (inputs.adfsPrimaryIndex ?? 0) + 1;
    return n === primary ? PRIMARIES : `ring-${n < primary ? n : n - 1}`;
  }
  return `ring-${n}`;
}

/** How many numbered rings the counts need (the `primaries` ring comes after them). */
export const numberedRingCount = ({ counts }: RingInputs) => Math.max(...TIERS.map((t) => (t === 'adfs' ? (counts.adfs ?? 0) - 1 : (counts[t] ?? 0))));

/** Every server's ring, by server id. */
export function ringAssignments(inputs: RingInputs): ReadonlyMap<string, string> {
  const byServer = new Map<string, string>();
  for (const tier of ['mfa', 'adfs', 'portal', 'wap', 'nps'] as const) {
    for (let n = 1; n <= (inputs.counts[tier] ?? 0); n++) byServer.set(`${tier}-${n}`, ringOfServer(tier, n, inputs));
  }
  return byServer;
}

/** `YYYY-MM-DD hh:mm` plus hours, as wall-clock time (Azure applies the time zone and its daylight saving time). */
function shifted(date: string, time: string, hours: number): { text: string; weekday: string } {
  const at = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), 0, minutesOf(time) + hours * 60));
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    text: `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`,
    weekday: WEEKDAYS[at.getUTCDay()],
  };
}

/**
 * Hours between the starts of successive rings: the configured interval, or successive nights (24 h) while every
 * ring's window fits the recurrence, else the rings spread evenly over it (whole hours, the last window closing
 * before the first opens again).
 */
export function ringIntervalHours(schedule: Maintenance, rings: number): number {
  if (schedule.ringIntervalHours !== undefined) return schedule.ringIntervalHours;
  const period = schedule.recurrenceWeeks * 7 * 24 * 60;
  const fits = (hours: number) => (rings - 1) * hours * 60 + minutesOf(schedule.duration) <= period;
  return fits(MAINTENANCE_DEFAULTS.ringIntervalHours)
    ? MAINTENANCE_DEFAULTS.ringIntervalHours
    : Math.floor((period - minutesOf(schedule.duration)) / 60 / (rings - 1));
}

/** The rings, in the order they run, each with its members and window. */
export function maintenanceRings(inputs: RingInputs, schedule: Maintenance): Ring[] {
  const assignments = ringAssignments(inputs);
  const numbered = numberedRingCount(inputs);
  const names = [...Array.from({ length: numbered }, (_, i) => `ring-${i + 1}`), PRIMARIES];
  const interval = ringIntervalHours(schedule, names.length);
  return names.map((name, i) => {
    const offsetHours = i * interval;
    const start = shifted(schedule.startDate, schedule.startTime, offsetHours);
    const weeks = schedule.recurrenceWeeks;
    return {
      name,
      members: [...assignments].filter(([, ring]) => ring === name).map(([server]) => ({ tier: server.replace(/-\d+$/, '') as TierName, server })),
      window: {
        startDateTime: start.text,
        weekday: start.weekday,
        duration: schedule.duration,
        recurEvery: `${weeks}${weeks === 1 ? 'Week' : 'Weeks'} ${start.weekday}`,
        timeZone: schedule.timeZone,
        offsetHours,
      },
    };
  });
}

/** The ring inputs of an environment. */
export const ringInputsOf = (env: Pick<Environment, 'mfa' | 'portal' | 'adfs' | 'wap' | 'nps' | 'migration'>): RingInputs => {
  const deployed = deployedTiersOf(env);
  const all: Partial<Record<TierName, number>> = {
    mfa: env.mfa.count,
    portal: env.portal.count,
    adfs: env.adfs.count,
    wap: env.wap.count,
    nps: env.nps?.count,
  };
  return { counts: Object.fromEntries(deployed.map((t) => [t, all[t]])), masterIndex: env.mfa.masterIndex, adfsPrimaryIndex: env.adfs.primaryIndex };
};

/** An environment's rings; none when its maintenance block is absent or off. */
export const ringsOf = (env: Pick<Environment, 'mfa' | 'portal' | 'adfs' | 'wap' | 'nps' | 'migration' | 'maintenance'>): Ring[] =>
  env.maintenance?.enabled ? maintenanceRings(ringInputsOf(env), env.maintenance) : [];

/**
 * Marketplace images that support hotpatching (security updates without a restart, between the quarterly
 * baselines that still restart): the exact publisher, offer and SKU combinations azurerm 4.55.0 accepts with
 * `hotpatching_enabled` (Microsoft's "Hotpatch for virtual machines" lists the 2022 ones).
 */
export const HOTPATCH_SKUS: readonly string[] = [
  '2022-datacenter-azure-edition-core',
  '2022-datacenter-azure-edition-core-smalldisk',
  '2022-datacenter-azure-edition-hotpatch',
  '2022-datacenter-azure-edition-hotpatch-smalldisk',
  '2025-datacenter-azure-edition',
  '2025-datacenter-azure-edition-smalldisk',
  '2025-datacenter-azure-edition-core',
  '2025-datacenter-azure-edition-core-smalldisk',
];

/** True for an image whose servers can take hotpatches (and then must be patched by the platform). */
export const isHotpatchImage = (image: ImageReference) =>
  image.publisher === 'MicrosoftWindowsServer' && image.offer === 'WindowsServer' && HOTPATCH_SKUS.includes(image.sku);
