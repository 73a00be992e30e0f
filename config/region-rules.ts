import { availabilityZonesIn, sovereignCloudOf, zoneRedundantDisksIn } from './regions';
import type { RuleViolation } from './rules';
import type { Environment } from './schema';

/*
 * What the chosen region offers (./azure-regions.json, each table with its source and date):
 * - Sovereign clouds. The toolkit builds the public cloud's names: the certificates' vault URI
 *   (https://<vault>.vault.azure.net, constructs/certificates.ts), Windows activation against azkms.core.windows.net
 *   (constructs/platform-dependencies.ts), the azurerm provider's public environment. Azure Government and Azure
 *   operated by 21Vianet use other endpoints for all three, so their regions are refused with the reason rather than
 *   deployed half-working.
 * - Availability zones: a zonal VM in a region without zones fails to deploy; the servers there go into availability
 *   sets (zones: []).
 * - Zone-redundant disks: a ZRS disk spans three zones, and Azure lists the regions that offer them
 *   (learn.microsoft.com/azure/virtual-machines/disks-redundancy#zrs-regional-availability).
 * A region the tables do not list (one added to `additional`, a restricted or canary region) is not judged.
 */

/** Disk types that are zone-redundant, and their locally redundant twins (the hint). */
export const LRS_TWIN: Readonly<Record<string, string>> = { StandardSSD_ZRS: 'StandardSSD_LRS', Premium_ZRS: 'Premium_LRS' };

/** Sovereign regions, zones where there are none, ZRS disks where Azure offers none. */
export function* regionViolations(env: Environment): Generator<RuleViolation> {
  const cloud = sovereignCloudOf(env.location);
  if (cloud !== undefined) {
    yield {
      path: 'location',
      expected: `must be a region of Azure's public cloud: ${env.location} is in ${cloud.name}, whose endpoints (${cloud.endpoints.join(', ')}) the toolkit does not use; it builds the public cloud's (*.vault.azure.net, azkms.core.windows.net, login.microsoftonline.com)`,
      got: env.location,
    };
    return;
  }
  if (env.zones.length > 0 && availabilityZonesIn(env.location) === false) {
    yield {
      path: 'zones',
      expected: `must be empty in ${env.location}, a region without availability zones (learn.microsoft.com/azure/reliability/regions-list): the servers then go into availability sets`,
      got: env.zones,
    };
  }
  const twin = LRS_TWIN[env.osDiskType];
  if (twin !== undefined && zoneRedundantDisksIn(env.location) === false) {
    yield {
      path: 'osDiskType',
      expected: `must be a locally redundant disk type in ${env.location}: Azure offers no zone-redundant managed disks there (did you mean "${twin}"?)`,
      got: env.osDiskType,
    };
  }
}
