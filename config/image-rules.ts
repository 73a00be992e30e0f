import type { RuleViolation } from './rules';
import { SERVER_TIERS as TIERS, type Environment } from './schema';

/*
 * Every server boots with Trusted Launch (secure boot and vTPM, constructs/windows-server-pool.ts), and
 * "Trusted Launch requires Generation 2 VMs" (learn.microsoft.com/azure/virtual-machines/trusted-launch#limitations).
 * Windows Server's Marketplace SKUs say their generation in the name: the plain `<year>-datacenter` SKUs (and
 * their -core, -smalldisk, -with-containers variants) are Generation 1; their Generation 2 twins end in `-g2`
 * or `-gensecond`, and the Azure Edition SKUs are Generation 2 only
 * (learn.microsoft.com/azure/virtual-machines/generation-2#generation-2-vm-images-in-azure-marketplace).
 * An image the names cannot judge (another publisher or offer, a custom image) is accepted.
 */

const GENERATION_1_SKU = /^(2008-r2-sp1|2012-datacenter|2012-r2-datacenter|2016-datacenter|2019-datacenter|2022-datacenter|2025-datacenter)(-core|-server-core)?(-smalldisk)?(-with-containers)?(-smalldisk)?(-zhcn)?$/i;

/** True for a Windows Server Marketplace image known to be Generation 1. */
export function isGeneration1(image: Environment['image']): boolean {
  return /^MicrosoftWindowsServer$/i.test(image.publisher) && /^WindowsServer$/i.test(image.offer) && GENERATION_1_SKU.test(image.sku);
}

/** Images that cannot boot with Trusted Launch: the shared one if a tier uses it, and each tier's own. */
export function* imageViolations(env: Environment): Generator<RuleViolation> {
  const expected = 'must be a Generation 2 SKU, such as 2022-datacenter-g2, 2016-datacenter-gensecond or 2022-datacenter-azure-edition: every server boots with Trusted Launch, which needs Generation 2';
  if (TIERS.some((t) => env[t].image === undefined) && isGeneration1(env.image)) yield { path: 'image.sku', expected, got: env.image.sku };
  for (const tier of TIERS) {
    const own = env[tier].image;
    if (own !== undefined && isGeneration1(own)) yield { path: `${tier}.image.sku`, expected, got: own.sku };
  }
}
