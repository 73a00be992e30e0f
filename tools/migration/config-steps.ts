import { STAGE_NAMES, StageName, stageOf } from '../../constructs/migration-stages';
import type { RunbookContext, StepDefinition } from './steps';

/*
 * The edit of the environment file that moves it to another stage, forward or back: the only way a stage
 * changes. The config refuses a file that skips a stage or lacks what the stage needs (config/migration-rules.ts),
 * with one line per field.
 */

/** What a file sets to move to `to` (a JSON fragment, with this file's values where it has them), and what else it must hold. */
function editFor(ctx: RunbookContext, to: StageName): { set: Record<string, unknown>; notes: string[] } {
  const stage = stageOf(to);
  const radius = ctx.env.mfa.radius;
  if (to === 'mfa-server') {
    return { set: { migration: { stage: to } }, notes: ['Remove "nps" and "network.subnets.nps": the NPS servers exist from stage parallel on.'] };
  }
  if (to === 'parallel' && ctx.env.nps === undefined) {
    const groupSids = ctx.env.migration?.groupSids.length ? ctx.env.migration.groupSids : ['<(Get-ADGroup <group>).SID.Value>'];
    const set: Record<string, unknown> = { migration: { stage: to, tenantId: ctx.env.migration?.tenantId ?? '<Microsoft Entra tenant id>', groupSids } };
    if (!radius.enabled) return { set, notes: [] };
    set.network = { subnets: { nps: '<a free range of network.addressSpace>' } };
    set.nps = {
      count: 2,
      radiusClients: radius.clientCidrs.map((address, i) => ({
        name: `radius-${i + 1}`,
        address,
        sharedSecret: { keyVaultResourceId: '<resource id of the vault of the RADIUS secrets>', secretName: `radius-${i + 1}` },
      })),
    };
    return {
      set,
      notes: ['Merge into the file; nps.radiusClients answer the RADIUS clients of mfa.radius.clientCidrs, each with its shared secret in Key Vault.'],
    };
  }
  const notes: string[] = [];
  if (stage.mfaappRadius === 'nps' && radius.enabled) {
    notes.push(
      `The NPS ports must equal mfa.radius's (${radius.authenticationPort}/${radius.accountingPort}) and nps.radiusClients cover ${radius.clientCidrs.join(', ')}: the mfaapp address then reaches the NPS servers.`,
    );
  }
  if (stage.mfaappRadius === 'none' && radius.enabled)
    notes.push('First "mfa": { "radius": { "enabled": false } }, deployed once every RADIUS client uses the NPS address.');
  return { set: { migration: { stage: to } }, notes };
}

/** The file edit to `to`, as a step. */
const fileEdit = (to: StageName): StepDefinition => ({
  key: `file-${to}`,
  title: `Set migration.stage to "${to}" in the environment file`,
  actor: 'deployer',
  role: 'the deploy roles (README, "Deploying from a workstation"); review with npm run diff before cdktf deploy',
  where: (ctx) => ctx.file,
  action: (ctx) => ({ kind: 'json', lines: JSON.stringify(editFor(ctx, to).set, null, 2).split('\n') }),
  notes: (ctx) => [
    ...editFor(ctx, to).notes,
    `Then: npm run migration -- ${ctx.env.name} shows the runbook of "${to}"; npm run diff -- ${ctx.env.name} and npx cdktf diff ${ctx.env.name} show what the deploy changes.`,
  ],
  sources: [],
});

/** The file edits, by target stage. */
export const FILE_EDITS: Readonly<Record<StageName, StepDefinition>> = Object.fromEntries(STAGE_NAMES.map((s) => [s, fileEdit(s)])) as Record<
  StageName,
  StepDefinition
>;
