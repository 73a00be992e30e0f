import { imageOf, SERVER_TIERS, type Environment, type ServerTier } from './schema';

/*
 * The tiers of servers a file configures, for the rules every tier gets (address plan, sizes, images, computer
 * names): the four tiers of the HA design, and the NPS servers where the file has an nps block (the migration rules
 * refuse that block at a stage without them, config/migration-rules.ts).
 */

/** A tier of servers the file may configure. */
export type ConfiguredTier = ServerTier | 'nps';

/** The settings every tier of servers has. */
export interface TierSettings {
  readonly count: number;
  readonly vmSize: string;
  readonly image?: Environment['image'];
  readonly frontendIp?: string;
}

/** The tiers of servers the file configures, in deployment order, the NPS servers last. */
export const configuredTiers = (env: Pick<Environment, 'nps'>): ConfiguredTier[] => [...SERVER_TIERS, ...(env.nps ? ['nps' as const] : [])];

/** A configured tier's settings. */
export const tierSettingsOf = (env: Environment, tier: ConfiguredTier): TierSettings => (tier === 'nps' ? env.nps! : env[tier]);

/** The image a configured tier's servers boot: its own, else the environment's. */
export const configuredImageOf = (env: Environment, tier: ConfiguredTier): Environment['image'] =>
  tier === 'nps' ? (env.nps!.image ?? env.image) : imageOf(env, tier);
