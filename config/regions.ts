import { closest } from 'fastest-levenshtein';
import * as data from './azure-regions.json';

/*
 * The Azure regions a `location` may name, as data (./azure-regions.json, with its source and the date it
 * was read). A region Azure opens later is added to that file's `additional` list: no code changes.
 * The provider compares a location lower-cased with spaces removed ("West Europe" is "westeurope"); the
 * environment file takes the programmatic name itself.
 */

/** Every region name the toolkit accepts: the sourced list and the ones added by hand. */
export const AZURE_REGIONS: readonly string[] = [...data.regions, ...(data.additional as string[])];

/** Where the region list comes from, and when it was read. */
export const AZURE_REGIONS_SOURCE = { source: data.source, retrieved: data.retrieved } as const;

const known = new Set(AZURE_REGIONS);

/** True for a region the list holds. */
export const isAzureRegion = (name: string): boolean => known.has(name);

/** The listed region closest to `name` (a typo, a display name, another letter case). */
export function closestRegion(name: string): string {
  const normalized = name.toLowerCase().replace(/\s+/g, '');
  return known.has(normalized) ? normalized : closest(normalized, AZURE_REGIONS as string[]);
}
