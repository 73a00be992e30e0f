import type { StageName } from '../../constructs/migration-stages';
import { CHECKS } from './checks';
import { RADIUS_STEPS } from './radius-steps';
import { SERVER_STEPS } from './server-steps';
import type { StepDefinition } from './steps';
import { TENANT_STEPS } from './tenant-steps';

/*
 * THE table of what people do at each migration stage, beside the stage table (constructs/migration-stages.ts),
 * which says what the deploy does: the steps before `cdktf deploy` of a stage, after it, the checks that say the
 * stage is done, and the manual steps of going back one stage. Steps are named by key (./tenant-steps.ts,
 * ./server-steps.ts, ./radius-steps.ts, ./checks.ts); a check may stand among the steps before a deploy as its precondition.
 * The order follows Microsoft's migration guide: preparations, migrations, finalize (MFA Server Migration Utility).
 */

/** What people do at one stage, by step key. */
export interface StageRunbook {
  /** Before `cdktf deploy` of this stage. */
  readonly before: readonly string[];
  /** After it, while the environment stays at this stage. */
  readonly after: readonly string[];
  /** What says the stage is done, before the next one. */
  readonly checks: readonly string[];
  /** Besides the file edit and the deploy of the previous stage: what going back from this stage takes, before and after that deploy. */
  readonly back: { readonly before: readonly string[]; readonly after: readonly string[] };
}

/** THE runbook table. */
export const RUNBOOK: Readonly<Record<StageName, StageRunbook>> = {
  'mfa-server': {
    before: [],
    after: [
      'inventory',
      'enable-methods',
      'backup-pfdata',
      'install-update',
      'configure-utility',
      'admin-consent',
      'ad-groups',
      'migration-utility-group',
      'migrate-users',
      'rename-mobile-app-account',
      'educate-users',
    ],
    checks: ['stage-output', 'users-migrated'],
    back: { before: [], after: [] },
  },
  parallel: {
    before: ['users-migrated', 'mfa-client-service-principal', 'deploy-identity-role', 'radius-secrets', 'federation-enforce'],
    after: ['nps-extension-install', 'staged-rollout-on', 'radius-test'],
    checks: ['stage-output', 'federation-read-enforce', 'staged-rollout-read', 'adfs-groups', 'nps-servers', 'sign-in-test'],
    back: { before: ['staged-rollout-off', 'radius-back-to-mfaapp'], after: [] },
  },
  entra: {
    before: ['sync-all-users', 'users-migrated', 'educate-everyone'],
    after: ['federation-reject', 'portal-login-off', 'radius-timeouts'],
    checks: ['stage-output', 'federation-read-reject', 'adfs-entra-only', 'mfaapp-radius-to-nps', 'nps-servers'],
    back: { before: ['federation-enforce-again', 'adapter-register-again'], after: ['portal-login-on'] },
  },
  retiring: {
    before: ['final-pfdata-backup'],
    after: ['radius-repoint'],
    checks: ['stage-output', 'mfa-protection-lifted', 'nps-servers'],
    back: { before: [], after: [] },
  },
  decommissioned: {
    before: ['mfa-server-unused'],
    after: ['delete-auth-provider', 'recovery-points'],
    checks: ['stage-output', 'mfa-servers-gone', 'nps-servers'],
    back: { before: [], after: ['restore-mfa-server'] },
  },
};

/** Every step and check, by key. */
export const STEPS: ReadonlyMap<string, StepDefinition> = new Map([...TENANT_STEPS, ...SERVER_STEPS, ...RADIUS_STEPS, ...CHECKS].map((s) => [s.key, s]));
