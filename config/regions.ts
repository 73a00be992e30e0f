import { closest } from 'fastest-levenshtein';
import * as data from './azure-regions.json';

/*
 * The Azure regions a `location` may name, and what each offers, as data (./azure-regions.json: each list with
 * its source and the date it was read). A region Azure opens later is added to that file's `additional` list: no
 * code changes; what it offers is then not judged. The provider compares a location lower-cased with spaces
 * removed ("West Europe" is "westeurope"); the environment file takes the programmatic name itself.
 */

/** The public cloud's regions the toolkit accepts: the sourced list and the ones added by hand (editors offer these). */
export const AZURE_REGIONS: readonly string[] = [...data.regions, ...(data.additional as string[])];

/** Where the region list comes from, and when it was read. */
export const AZURE_REGIONS_SOURCE = { source: data.source, retrieved: data.retrieved } as const;

/** A national (sovereign) cloud: its name and the endpoints it uses instead of the public cloud's. */
export interface SovereignCloud {
  readonly name: string;
  readonly regions: readonly string[];
  readonly endpoints: readonly string[];
}

/** The sovereign clouds' regions: known names, refused with the reason (./region-rules.ts). */
export const SOVEREIGN_CLOUDS: readonly SovereignCloud[] = data.sovereignClouds.clouds;

const known = new Set(AZURE_REGIONS);
const sovereign = new Map(SOVEREIGN_CLOUDS.flatMap((cloud) => cloud.regions.map((region) => [region, cloud] as const)));

/** True for a region the lists hold, in the public cloud or a sovereign one. */
export const isAzureRegion = (name: string): boolean => known.has(name) || sovereign.has(name);

/** The sovereign cloud a region belongs to; undefined for a public-cloud region. */
export const sovereignCloudOf = (region: string): SovereignCloud | undefined => sovereign.get(region);

/** The listed public region closest to `name` (a typo, a display name, another letter case). */
export function closestRegion(name: string): string {
  const normalized = name.toLowerCase().replace(/\s+/g, '');
  return known.has(normalized) ? normalized : closest(normalized, AZURE_REGIONS as string[]);
}

/** What a region offers: yes, no, or not known (a region the sourced tables do not list). */
export type Offer = true | false | 'unknown';

const withZones = new Set(data.availabilityZones.withZones);
const withoutZones = new Set(data.availabilityZones.withoutZones);
const zrsDisks = new Set(data.zoneRedundantDisks.regions);

/** Whether a region has availability zones. */
export function availabilityZonesIn(region: string): Offer {
  return withZones.has(region) ? true : withoutZones.has(region) ? false : 'unknown';
}

/** Whether Azure offers zone-redundant managed disks in a region: never without zones; with them, as its list says. */
export function zoneRedundantDisksIn(region: string): Offer {
  const zones = availabilityZonesIn(region);
  return zones === true ? zrsDisks.has(region) : zones;
}

/** Where the capability tables come from, and when they were read. */
export const REGION_CAPABILITY_SOURCES = {
  availabilityZones: { source: data.availabilityZones.source, retrieved: data.availabilityZones.retrieved },
  zoneRedundantDisks: { source: data.zoneRedundantDisks.source, retrieved: data.zoneRedundantDisks.retrieved },
  sovereignClouds: { source: data.sovereignClouds.source, retrieved: data.sovereignClouds.retrieved },
} as const;
