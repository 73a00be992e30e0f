import { neighbours, STAGE_NAMES, StageName } from '../constructs/migration-stages';
import { isRecord } from '../constructs/policies/stack-view';
import type { StackDocument } from './synth-diff';

/** The migration stage a synthesized stack records (its `migration_stage` output; none means mfa-server). */
export function stageOfStack(doc: StackDocument): StageName | undefined {
  const stage = isRecord(doc.output) ? doc.output.migration_stage : undefined;
  const value = (isRecord(stage) ? stage.value : undefined) ?? 'mfa-server';
  return (STAGE_NAMES as readonly unknown[]).includes(value) ? (value as StageName) : undefined;
}

/**
 * When a stack moves by more than one migration stage, the move in words (`"entra" to "decommissioned", skipping
 * "retiring"`); undefined for no move or one step. Environments move one stage at a time (constructs/migration-stages.ts):
 * the synth refuses a skip against what it can see on the machine (stacks/stage-history.ts), the offline diff of a
 * pull request against its base branch.
 */
export function skippedStageOf(before: StackDocument, after: StackDocument): string | undefined {
  const [from, to] = [stageOfStack(before), stageOfStack(after)];
  if (from === undefined || to === undefined || from === to || neighbours(from).includes(to)) return undefined;
  const [lo, hi] = [STAGE_NAMES.indexOf(from), STAGE_NAMES.indexOf(to)].sort((a, b) => a - b);
  const skipped = STAGE_NAMES.slice(lo + 1, hi)
    .map((s) => `"${s}"`)
    .join(', ');
  return `"${from}" to "${to}", skipping ${skipped}`;
}
