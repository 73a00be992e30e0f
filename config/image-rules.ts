import { distance } from 'fastest-levenshtein';
import type { RuleViolation } from './rules';
import type { Environment } from './schema';
import { configuredTiers, tierSettingsOf } from './server-tiers';

/*
 * What an image must be for the servers to deploy and boot:
 * - Its version is "latest" or Major.Minor.Build: "The allowed formats are Major.Minor.Build or 'latest'. Major,
 *   Minor, and Build are decimal numbers" (learn.microsoft.com/rest/api/compute/virtual-machines/create-or-update#imagereference).
 * - It is Windows Server: the tiers install server roles with Install-WindowsFeature (ADFS-Federation,
 *   Web-Application-Proxy, IIS; constructs/scripts/), a Windows Server cmdlet (ServerManager module), and AD FS
 *   and its proxy are Windows Server roles (learn.microsoft.com/windows-server/identity/ad-fs/overview/ad-fs-requirements).
 *   MicrosoftWindowsDesktop publishes the Windows 10 and 11 images (learn.microsoft.com/azure/virtual-machines/windows/client-images).
 * - Trusted Launch can boot it. Every server boots with secure boot and vTPM (constructs/windows-server-pool.ts):
 *   Trusted Launch supports Windows Server 2016, 2019, 2022 and 2025 and no earlier one
 *   (learn.microsoft.com/azure/virtual-machines/trusted-launch#operating-systems-supported), and "Trusted Launch
 *   requires Generation 2 VMs" (#limitations). Windows Server's Marketplace SKUs say their generation in the name:
 *   the plain `<year>-datacenter` SKUs (and their -core, -smalldisk, -with-containers variants) are Generation 1;
 *   their Generation 2 twins end in `-g2` or `-gensecond`, and the Azure Edition SKUs are Generation 2 only
 *   (learn.microsoft.com/azure/virtual-machines/generation-2#generation-2-vm-images-in-azure-marketplace).
 * An image the names cannot judge (another publisher or offer, a custom image) is accepted.
 */

type Image = Environment['image'];

const GENERATION_1_SKU =
  /^(2008-r2-sp1|2012-datacenter|2012-r2-datacenter|2016-datacenter|2019-datacenter|2022-datacenter|2025-datacenter)(-core|-server-core)?(-smalldisk)?(-with-containers)?(-smalldisk)?(-zhcn)?$/i;
/** Windows Server 2008 R2, 2012 and 2012 R2 SKUs, in either generation: older than Trusted Launch supports. */
const BEFORE_2016_SKU = /^(2008-r2|2012)-/i;
const VERSION = /^(latest|\d+\.\d+\.\d+)$/i;
/** The publisher of Windows 10 and Windows 11 images. */
const CLIENT_PUBLISHER = /^MicrosoftWindowsDesktop$/i;

const isWindowsServer = (image: Image) => /^MicrosoftWindowsServer$/i.test(image.publisher) && /^WindowsServer$/i.test(image.offer);

/** True for a Windows Server Marketplace image known to be Generation 1. */
export function isGeneration1(image: Image): boolean {
  return isWindowsServer(image) && GENERATION_1_SKU.test(image.sku);
}

/** The first thing wrong with an image, at `path` (`image` or `<tier>.image`). */
function imageProblem(image: Image, path: string): RuleViolation | undefined {
  if (!VERSION.test(image.version)) {
    const hint = distance(image.version.toLowerCase(), 'latest') <= 2 ? ' (did you mean "latest"?)' : '';
    return {
      path: `${path}.version`,
      expected: `must be "latest" or Major.Minor.Build (three decimal numbers, such as 20348.2227.240104)${hint}`,
      got: image.version,
    };
  }
  if (CLIENT_PUBLISHER.test(image.publisher)) {
    return {
      path: `${path}.publisher`,
      expected: `must be MicrosoftWindowsServer: ${image.publisher} publishes Windows client images, and the tiers install Windows Server roles (AD FS, Web Application Proxy, IIS)`,
      got: image.publisher,
    };
  }
  if (isWindowsServer(image) && BEFORE_2016_SKU.test(image.sku)) {
    return {
      path: `${path}.sku`,
      expected: 'must be Windows Server 2016 or later: every server boots with Trusted Launch, which supports no earlier Windows Server',
      got: image.sku,
    };
  }
  if (isGeneration1(image)) {
    return {
      path: `${path}.sku`,
      expected:
        'must be a Generation 2 SKU, such as 2022-datacenter-g2, 2016-datacenter-gensecond or 2022-datacenter-azure-edition: every server boots with Trusted Launch, which needs Generation 2',
      got: image.sku,
    };
  }
  return undefined;
}

/** Images the servers cannot use: the shared one if a tier uses it, and each tier's own. */
export function* imageViolations(env: Environment): Generator<RuleViolation> {
  const tiers = configuredTiers(env);
  const shared = tiers.some((t) => tierSettingsOf(env, t).image === undefined) ? imageProblem(env.image, 'image') : undefined;
  if (shared) yield shared;
  for (const tier of tiers) {
    const own = tierSettingsOf(env, tier).image;
    const problem = own === undefined ? undefined : imageProblem(own, `${tier}.image`);
    if (problem) yield problem;
  }
}
