import type { TierName } from './values';

/*
 * The way off MFA Server, as data: one row per stage of `migration.stage`, read by the stack (which tiers, which
 * protection, where RADIUS goes, what AD FS is told), the scripts, the runbook (`npm run migration`), the diff tests
 * and the docs. A new stage is a row, not a branch in every construct. The order and the documented facts follow
 * Microsoft's migration guides: "Migrate from MFA Server to Microsoft Entra multifactor authentication"
 * (https://learn.microsoft.com/entra/identity/authentication/how-to-migrate-mfa-server-to-azure-mfa), its
 * federation path (https://learn.microsoft.com/entra/identity/authentication/how-to-migrate-mfa-server-to-mfa-with-federation)
 * and the MFA Server Migration Utility (https://learn.microsoft.com/entra/identity/authentication/how-to-mfa-server-migration-utility).
 */

/** The stages, in the order an environment moves through them, one step at a time. */
export const STAGE_NAMES = ['mfa-server', 'parallel', 'entra', 'retiring', 'decommissioned'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** Which users AD FS sends to Microsoft Entra MFA. */
export type EntraMfaScope = 'nobody' | 'groups' | 'everyone';

/** What one stage deploys, runs and removes, and what going back from it means. */
export interface Stage {
  readonly name: StageName;
  /** One line: where users do their second factor at this stage. */
  readonly summary: string;
  /** The server tiers deployed (the NPS tier only where the environment has RADIUS or an `nps` block). */
  readonly tiers: readonly TierName[];
  /** The MFA servers keep prevent_destroy, their CanNotDelete locks and their backup. */
  readonly mfaProtected: boolean;
  /** Where the RADIUS rules of the `mfaapp` address send requests: the MFA servers, the NPS servers, or nowhere. */
  readonly mfaappRadius: 'mfa' | 'nps' | 'none';
  /** AD FS has Microsoft Entra MFA configured as an additional authentication provider. */
  readonly entraMfaOnAdfs: boolean;
  /** Whom AD FS sends to Entra MFA: nobody, the migration groups (by claim rules), or everyone. */
  readonly entraMfaFor: EntraMfaScope;
  /** The MFA Server adapter is registered in AD FS and offered as a provider. */
  readonly mfaServerAdapter: boolean;
  /** The user portal and the mobile app web service stay published through the proxies (where configured). */
  readonly portalPublished: boolean;
  /** Going back one stage: what the deploy of the previous stage does, and what is lost. */
  readonly back?: { readonly does: string; readonly loses: string };
}

const CLASSIC: readonly TierName[] = ['wap', 'adfs', 'portal', 'mfa'];
const WITH_NPS: readonly TierName[] = [...CLASSIC, 'nps'];

/** THE table of migration stages. */
export const STAGES: readonly Stage[] = [
  {
    name: 'mfa-server',
    summary: 'every user does MFA on MFA Server, through AD FS and RADIUS as today',
    tiers: CLASSIC,
    mfaProtected: true,
    mfaappRadius: 'mfa',
    entraMfaOnAdfs: false,
    entraMfaFor: 'nobody',
    mfaServerAdapter: true,
    portalPublished: true,
  },
  {
    name: 'parallel',
    summary:
      'the migration groups do MFA on Microsoft Entra MFA through AD FS; everyone else stays on MFA Server; the NPS servers answer on a RADIUS address of their own',
    tiers: WITH_NPS,
    mfaProtected: true,
    mfaappRadius: 'mfa',
    entraMfaOnAdfs: true,
    entraMfaFor: 'groups',
    mfaServerAdapter: true,
    portalPublished: true,
    back: {
      does: "restores AD FS's additional-authentication rules from the backup the parallel stage took, removes Entra MFA from the farm's providers, and removes the NPS servers (RADIUS clients pointed at the NPS address must be pointed back at mfaapp first)",
      loses:
        'authentication methods that migrated users changed in Microsoft Entra ID are not synced back to MFA Server (Migration Utility: "those changes will be lost")',
    },
  },
  {
    name: 'entra',
    summary:
      'every AD FS user does MFA on Microsoft Entra MFA; the mfaapp RADIUS address reaches the NPS servers; the user portal is unpublished; the MFA Server adapter is removed; the MFA and portal servers still run, for a way back',
    tiers: WITH_NPS,
    mfaProtected: true,
    mfaappRadius: 'nps',
    entraMfaOnAdfs: true,
    entraMfaFor: 'everyone',
    mfaServerAdapter: false,
    portalPublished: false,
    back: {
      does: 'restores the group claim rules and the MFA Server adapter in the global policy (once an administrator registered the adapter again: the deploy refuses before then), sends the mfaapp RADIUS address back to the MFA servers, and publishes the user portal again',
      loses: 'methods users changed in Microsoft Entra ID since, as above; RADIUS clients see a short interruption while the load balancer rules move',
    },
  },
  {
    name: 'retiring',
    summary:
      'as entra; the MFA servers lose prevent_destroy, their locks, and new backups (their recovery points are kept): the apply that makes decommissioning possible',
    tiers: WITH_NPS,
    mfaProtected: false,
    mfaappRadius: 'nps',
    entraMfaOnAdfs: true,
    entraMfaFor: 'everyone',
    mfaServerAdapter: false,
    portalPublished: false,
    back: {
      does: 'puts prevent_destroy, the CanNotDelete locks and the daily backup back on the MFA servers',
      loses: 'no recovery point: the backups taken while protection was stopped are missing',
    },
  },
  {
    name: 'decommissioned',
    summary:
      'MFA Server is gone: the MFA and portal servers, their load balancers, flows, alerts, rings and DNS records are removed; RADIUS is served by the NPS servers on their own address',
    tiers: ['wap', 'adfs', 'nps'],
    mfaProtected: false,
    mfaappRadius: 'none',
    entraMfaOnAdfs: true,
    entraMfaFor: 'everyone',
    mfaServerAdapter: false,
    portalPublished: false,
    back: {
      does: 'nothing automatic: the MFA and portal servers are gone. Going back means a new MFA Server deployment (stage retiring deploys new, empty servers) and restoring PhoneFactor.pfdata from the kept recovery points',
      loses: 'the servers; their recovery points stay in the vault until deleted by hand',
    },
  },
];

/** The row of a stage. */
export const stageOf = (name: StageName): Stage => STAGES.find((s) => s.name === name)!;

/** The position of a stage in the order (0 for mfa-server). */
export const stageIndex = (name: StageName): number => STAGE_NAMES.indexOf(name);

/** The stage an environment may move to from `from`: the next one forward, or the previous one back. */
export const neighbours = (from: StageName): StageName[] =>
  [STAGE_NAMES[stageIndex(from) - 1], STAGE_NAMES[stageIndex(from) + 1]].filter((s): s is StageName => s !== undefined);
