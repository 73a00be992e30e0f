import * as data from './region-time-zones.json';

/*
 * The time zone of each public Azure region (./region-time-zones.json: the region's physical location from Microsoft's
 * regions list, its IANA zone, and the Windows name CLDR maps that zone to, with the sources and the date they were
 * read). `npm run new-env -- <name> --location <region>` sets the patching windows to it.
 */

/** Where a region is and its time zone, by IANA and Windows name. */
export interface RegionTimeZone {
  readonly location: string;
  readonly iana: string;
  readonly windows: string;
}

const zones: Readonly<Record<string, RegionTimeZone>> = data.regions;

/** The time zone of a region; undefined for one the table does not hold. */
export const timeZoneOfRegion = (region: string): RegionTimeZone | undefined =>
  Object.prototype.hasOwnProperty.call(zones, region) ? zones[region] : undefined;

/** Where the table comes from, and when it was read. */
export const REGION_TIME_ZONES_SOURCE = { source: data.source, retrieved: data.retrieved } as const;
