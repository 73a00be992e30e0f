import { serviceNamesOf } from '../../config/service-names';
import { stageNameOf } from '../../config/stage';
import type { Environment } from '../../config/schema';
import { STAGE_NAMES, Stage, StageName, stageIndex, stageOf } from '../../constructs/migration-stages';
import type { StackJson } from '../terraform-json';
import { FILE_EDITS } from './config-steps';
import { deploySummary, DeploySummary } from './deploy-summary';
import { RUNBOOK, STEPS } from './runbook-table';
import { stackFactsOf } from './stack-facts';
import { resolveStep, RunbookContext, RunbookStep } from './steps';

/*
 * The runbook of one environment at its current stage: what the deploy does (from the synthesized stacks of this
 * stage and the previous one), the steps before and after it, the checks that say the stage is done, the next
 * file edit, and the way back. Rendered by ./render.ts for the terminal and for docs/migration.md.
 */

/** The runbook of one environment at one stage. */
export interface Runbook {
  readonly env: string;
  readonly file: string;
  readonly stage: Stage;
  /** The stage before this one, which the deploy is compared with. */
  readonly previous?: StageName;
  readonly deploy: DeploySummary;
  /** Why the deploy could not be compared with the previous stage, when it could not. */
  readonly deployUnavailable?: string;
  readonly before: readonly RunbookStep[];
  readonly after: readonly RunbookStep[];
  readonly checks: readonly RunbookStep[];
  /** The file edit that moves to the next stage. */
  readonly next?: { readonly stage: StageName; readonly edit: RunbookStep };
  /** Going back one stage. */
  readonly back?: {
    readonly to: StageName;
    readonly does: string;
    readonly loses: string;
    readonly before: readonly RunbookStep[];
    readonly edit: RunbookStep;
    readonly after: readonly RunbookStep[];
  };
}

/** The stage one step away from `stage`: -1 back, +1 forward. */
export const stageBeside = (stage: StageName, step: -1 | 1): StageName | undefined => STAGE_NAMES[stageIndex(stage) + step];

/** What a runbook is built from. */
export interface RunbookInput {
  readonly env: Environment;
  readonly file: string;
  /** This stage's synthesized stack. */
  readonly stack: StackJson;
  /** The previous stage's synthesized stack (the same file moved back one stage), when there is one. */
  readonly previousStack?: StackJson;
  /** Why there is no previous stack although there is a previous stage. */
  readonly previousUnavailable?: string;
}

/** The runbook of an environment at the stage its file names. */
export function runbookOf(input: RunbookInput): Runbook {
  const name = stageNameOf(input.env);
  const stage = stageOf(name);
  const ctx: RunbookContext = {
    env: input.env,
    file: input.file,
    facts: stackFactsOf(input.stack),
    previous: input.previousStack && stackFactsOf(input.previousStack),
    names: serviceNamesOf(input.env),
  };
  const resolve = (keys: readonly string[], c: RunbookContext = ctx) =>
    keys.flatMap((key) => {
      const step = STEPS.get(key);
      if (!step) throw new Error(`tools/migration/runbook-table.ts names a step no catalog declares: ${key}`);
      return [resolveStep(step, c)];
    });
  const table = RUNBOOK[name];
  const previous = stageBeside(name, -1);
  const next = stageBeside(name, 1);
  // Going back, the steps act on what the previous stage deploys; its servers come from its stack.
  const backCtx: RunbookContext = { ...ctx, facts: ctx.previous ?? ctx.facts, previous: ctx.facts };
  return {
    env: input.env.name,
    file: input.file,
    stage,
    previous,
    deploy: deploySummary(input.stack, input.previousStack),
    deployUnavailable: previous && !input.previousStack ? (input.previousUnavailable ?? `the stack of stage ${previous} was not given`) : undefined,
    before: resolve(table.before),
    after: resolve(table.after),
    checks: resolve(table.checks),
    next: next ? { stage: next, edit: resolveStep(FILE_EDITS[next], ctx) } : undefined,
    back:
      previous && stage.back
        ? {
            to: previous,
            does: stage.back.does,
            loses: stage.back.loses,
            before: resolve(table.back.before),
            edit: resolveStep(FILE_EDITS[previous], ctx),
            after: resolve(table.back.after, backCtx),
          }
        : undefined,
  };
}

/** Every step of a runbook, in the order it lists them (those that do not apply here too, marked `skipped`). */
export const stepsOf = (book: Runbook): RunbookStep[] => [
  ...book.before,
  ...book.after,
  ...book.checks,
  ...(book.next ? [book.next.edit] : []),
  ...(book.back ? [...book.back.before, book.back.edit, ...book.back.after] : []),
];
