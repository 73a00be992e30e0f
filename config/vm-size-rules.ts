import type { RuleViolation } from './rules';
import type { Environment } from './schema';
import { configuredTiers, tierSettingsOf } from './server-tiers';
import { architecture, arm64Refusal, PREMIUM_DISK_TYPES, premiumStorage, trustedLaunch } from './vm-sizes';

/**
 * Sizes that cannot carry what every server uses: an x64 processor (Windows Server), Trusted Launch
 * (constructs/windows-server-pool.ts sets secure boot and vTPM) and, with a Premium SSD OS disk, premium storage.
 * A size the name and the table cannot judge is accepted (config/vm-sizes.ts). Encryption at host is not judged
 * here: Microsoft documents its sizes only through the regional SKU API ("Legacy VM Sizes aren't supported"), and
 * the legacy series are the ones Trusted Launch already refuses. Accelerated networking is not judged either: the
 * NICs leave it off, and the sizes whose page marks it "Required" (Dv5, Dsv5, Ddv5…) get it anyway: "VM sizes that
 * require Accelerated Networking enable Accelerated Networking at runtime regardless of the user setting"
 * (learn.microsoft.com/azure/virtual-network/create-virtual-machine-accelerated-networking).
 */
export function* vmSizeViolations(env: Environment): Generator<RuleViolation> {
  for (const tier of configuredTiers(env)) {
    const size = tierSettingsOf(env, tier).vmSize;
    if (architecture(size) === 'Arm64') {
      const { reason, twin } = arm64Refusal(size);
      yield { path: `${tier}.vmSize`, expected: `must be an x64 size: ${size} is an Arm64 size ${reason} (did you mean "${twin}"?)`, got: size };
      continue;
    }
    const tl = trustedLaunch(size);
    if (tl.supported === false) {
      yield { path: `${tier}.vmSize`, expected: `must support Trusted Launch (every server boots with secure boot and vTPM): ${tl.reason}`, got: size };
      continue;
    }
    const premium = premiumStorage(size);
    if (PREMIUM_DISK_TYPES.includes(env.osDiskType) && premium.supported === false) {
      yield {
        path: `${tier}.vmSize`,
        expected: `must be premium-storage capable for osDiskType ${env.osDiskType} (an "s" size such as Standard_D2s_v5): ${premium.reason}`,
        got: size,
      };
    }
  }
}
