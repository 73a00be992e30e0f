import { z } from 'zod';
import { expect, flag, integer } from './fields';

/*
 * When the servers are patched: Azure Update Manager maintenance windows, one per ring
 * (constructs/maintenance-rings.ts). Optional: an environment file without the block keeps Windows'
 * own Automatic Updates (patch_mode AutomaticByOS, Azure's default). Whole-topology rules: ./maintenance-rules.ts.
 */

/** Time zones a maintenance window accepts (azurerm 4.55.0 validates `window.time_zone` against exactly these, case-sensitive). */
export const MAINTENANCE_TIME_ZONES = [
  'Afghanistan Standard Time',
  'Alaskan Standard Time',
  'Aleutian Standard Time',
  'Altai Standard Time',
  'Arab Standard Time',
  'Arabian Standard Time',
  'Arabic Standard Time',
  'Argentina Standard Time',
  'Astrakhan Standard Time',
  'Atlantic Standard Time',
  'AUS Central Standard Time',
  'Aus Central W. Standard Time',
  'AUS Eastern Standard Time',
  'Azerbaijan Standard Time',
  'Azores Standard Time',
  'Bahia Standard Time',
  'Bangladesh Standard Time',
  'Belarus Standard Time',
  'Bougainville Standard Time',
  'Canada Central Standard Time',
  'Cape Verde Standard Time',
  'Caucasus Standard Time',
  'Cen. Australia Standard Time',
  'Central America Standard Time',
  'Central Asia Standard Time',
  'Central Brazilian Standard Time',
  'Central Europe Standard Time',
  'Central European Standard Time',
  'Central Pacific Standard Time',
  'Central Standard Time',
  'Central Standard Time (Mexico)',
  'Chatham Islands Standard Time',
  'China Standard Time',
  'Cuba Standard Time',
  'Dateline Standard Time',
  'E. Africa Standard Time',
  'E. Australia Standard Time',
  'E. Europe Standard Time',
  'E. South America Standard Time',
  'Easter Island Standard Time',
  'Eastern Standard Time',
  'Eastern Standard Time (Mexico)',
  'Egypt Standard Time',
  'Ekaterinburg Standard Time',
  'Fiji Standard Time',
  'FLE Standard Time',
  'Georgian Standard Time',
  'GMT Standard Time',
  'Greenland Standard Time',
  'Greenwich Standard Time',
  'GTB Standard Time',
  'Haiti Standard Time',
  'Hawaiian Standard Time',
  'India Standard Time',
  'Iran Standard Time',
  'Israel Standard Time',
  'Jordan Standard Time',
  'Kaliningrad Standard Time',
  'Kamchatka Standard Time',
  'Korea Standard Time',
  'Libya Standard Time',
  'Line Islands Standard Time',
  'Lord Howe Standard Time',
  'Magadan Standard Time',
  'Magallanes Standard Time',
  'Marquesas Standard Time',
  'Mauritius Standard Time',
  'Mid-Atlantic Standard Time',
  'Middle East Standard Time',
  'Montevideo Standard Time',
  'Morocco Standard Time',
  'Mountain Standard Time',
  'Mountain Standard Time (Mexico)',
  'Myanmar Standard Time',
  'N. Central Asia Standard Time',
  'Namibia Standard Time',
  'Nepal Standard Time',
  'New Zealand Standard Time',
  'Newfoundland Standard Time',
  'Norfolk Standard Time',
  'North Asia East Standard Time',
  'North Asia Standard Time',
  'North Korea Standard Time',
  'Omsk Standard Time',
  'Pacific SA Standard Time',
  'Pacific Standard Time',
  'Pacific Standard Time (Mexico)',
  'Pakistan Standard Time',
  'Paraguay Standard Time',
  'Qyzylorda Standard Time',
  'Romance Standard Time',
  'Russia Time Zone 10',
  'Russia Time Zone 11',
  'Russia Time Zone 3',
  'Russian Standard Time',
  'SA Eastern Standard Time',
  'SA Pacific Standard Time',
  'SA Western Standard Time',
  'Saint Pierre Standard Time',
  'Sakhalin Standard Time',
  'Samoa Standard Time',
  'Sao Tome Standard Time',
  'Saratov Standard Time',
  'SE Asia Standard Time',
  'Singapore Standard Time',
  'South Africa Standard Time',
  'South Sudan Standard Time',
  'Sri Lanka Standard Time',
  'Sudan Standard Time',
  'Syria Standard Time',
  'Taipei Standard Time',
  'Tasmania Standard Time',
  'Tocantins Standard Time',
  'Tokyo Standard Time',
  'Tomsk Standard Time',
  'Tonga Standard Time',
  'Transbaikal Standard Time',
  'Turkey Standard Time',
  'Turks And Caicos Standard Time',
  'Ulaanbaatar Standard Time',
  'US Eastern Standard Time',
  'US Mountain Standard Time',
  'UTC',
  'UTC-02',
  'UTC-08',
  'UTC-09',
  'UTC-11',
  'UTC+12',
  'UTC+13',
  'Venezuela Standard Time',
  'Vladivostok Standard Time',
  'Volgograd Standard Time',
  'W. Australia Standard Time',
  'W. Central Africa Standard Time',
  'W. Europe Standard Time',
  'W. Mongolia Standard Time',
  'West Asia Standard Time',
  'West Bank Standard Time',
  'West Pacific Standard Time',
  'Yakutsk Standard Time',
  'Yukon Standard Time',
] as const;

/** Windows update classifications Update Manager installs (the provider's case-sensitive enumeration). */
export const WINDOWS_CLASSIFICATIONS = ['Critical', 'Security', 'UpdateRollup', 'FeaturePack', 'ServicePack', 'Definition', 'Tools', 'Updates'] as const;

/** The defaults, and why. */
export const MAINTENANCE_DEFAULTS = {
  /** A weeknight evening, after the working day: Patch Tuesday's updates are out by then. */
  startTime: '22:00',
  timeZone: 'UTC',
  /** Room for a cumulative update and its reboot: Update Manager starts an update only with 15 minutes left (20 for a service pack). */
  duration: '03:00',
  /** Weekly: Microsoft's monthly updates land within a week, and each ring's servers wait at most a week for a retry. */
  recurrenceWeeks: 1,
  /**
   * Rings on successive nights: a bad update shows on the first ring's servers a day before the next ring is patched.
   * When more rings than that fit the recurrence, they are spread evenly over it instead (constructs/maintenance-rings.ts).
   */
  ringIntervalHours: 24,
  /** Restart only when an update needs it. */
  reboot: 'IfRequired',
  /** Security and critical fixes, the monthly rollups that carry them, and Defender's definitions; no feature packs or drivers. */
  classifications: ['Critical', 'Security', 'UpdateRollup', 'Definition'],
} as const;

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The patching schedule of the environment. */
export const maintenanceSchema = z
  .strictObject({
    enabled: flag().default(true).describe('Patch the servers in rings on the schedules below (patch_mode AutomaticByPlatform).'),
    startDate: z
      .string(expect('a date such as 2027-01-06'))
      .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, expect('a date YYYY-MM-DD such as 2027-01-06'))
      .describe("The first ring's first night (YYYY-MM-DD, in timeZone): Azure accepts today or a later date when it creates a window."),
    startTime: z
      .string(expect('a time of day'))
      .regex(hhmm, expect('a time hh:mm such as 22:00'))
      .default(MAINTENANCE_DEFAULTS.startTime)
      .describe('When the first ring starts, in timeZone.'),
    timeZone: z
      .enum(MAINTENANCE_TIME_ZONES, expect('a Windows time zone name such as "UTC" or "W. Europe Standard Time"'))
      .default(MAINTENANCE_DEFAULTS.timeZone)
      .describe('Time zone of the windows (Windows names); Azure follows its daylight saving time.'),
    duration: z
      .string(expect('a duration'))
      .regex(hhmm, expect('a duration hh:mm such as 03:00'))
      .default(MAINTENANCE_DEFAULTS.duration)
      .describe("Length of each ring's window, 01:30 to 03:55."),
    recurrenceWeeks: integer(1, 4).default(MAINTENANCE_DEFAULTS.recurrenceWeeks).describe('Every how many weeks the rings run again.'),
    ringIntervalHours: integer(2, 168)
      .optional()
      .describe("Hours from one ring's start to the next; default 24 (successive nights), or less when the rings would not fit the recurrence."),
    reboot: z
      .enum(['IfRequired', 'Always', 'Never'], expect('"IfRequired", "Always" or "Never"'))
      .default(MAINTENANCE_DEFAULTS.reboot)
      .describe("Whether a ring's servers restart after installing updates."),
    classifications: z
      .array(
        z.enum(WINDOWS_CLASSIFICATIONS, expect(`one of ${WINDOWS_CLASSIFICATIONS.join(', ')} (case-sensitive)`)),
        expect('a list of update classifications'),
      )
      .min(1, expect('a list of at least one update classification'))
      .default([...MAINTENANCE_DEFAULTS.classifications])
      .describe('Windows update classifications to install.'),
  })
  .optional()
  .describe("Patching in rings with Azure Update Manager; omit to leave the servers on Windows' own Automatic Updates.");

/** A validated maintenance block. */
export type Maintenance = NonNullable<z.output<typeof maintenanceSchema>>;
