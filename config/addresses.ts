import { lastAssignable, parseCidr } from './cidr';
import type { Environment } from './schema';

/** The tiers behind an internal load balancer with a static frontend. */
export type InternalTier = 'mfa' | 'portal' | 'adfs';

/** The static frontend of a tier's internal load balancer: the configured one, or the subnet's last assignable address. */
export function frontendIpOf(env: Pick<Environment, 'network' | InternalTier>, tier: InternalTier): string {
  return env[tier].frontendIp ?? lastAssignable(parseCidr(env.network.subnets[tier])!);
}

/** The static frontend of the NPS servers' own RADIUS load balancer (only where the file configures an NPS tier). */
export function npsFrontendIpOf(env: Pick<Environment, 'network' | 'nps'>): string | undefined {
  if (env.nps === undefined || env.network.subnets.nps === undefined) return undefined;
  return env.nps.frontendIp ?? lastAssignable(parseCidr(env.network.subnets.nps)!);
}
