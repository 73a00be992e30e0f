import { Stage, StageName, stageOf } from '../constructs/migration-stages';
import type { TierName } from '../constructs/values';
import type { Environment } from './schema';

/** The migration stage an environment is at: `mfa-server` for a file without a migration block. */
export const stageNameOf = (env: Pick<Environment, 'migration'>): StageName => env.migration?.stage ?? 'mfa-server';

/** The row of the stage table an environment is at. */
export const stageOfEnv = (env: Pick<Environment, 'migration'>): Stage => stageOf(stageNameOf(env));

/** The tiers an environment deploys: its stage's, the NPS tier only where the file configures it. */
export const deployedTiersOf = (env: Pick<Environment, 'migration' | 'nps'>): TierName[] =>
  stageOfEnv(env).tiers.filter((t) => t !== 'nps' || env.nps !== undefined);
