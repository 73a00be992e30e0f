import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../config/errors';
import type { LoadedEnvironment } from '../config/load';
import { stageNameOf } from '../config/stage';
import { neighbours, STAGE_NAMES, StageName } from '../constructs/migration-stages';
import { isRecord } from '../constructs/policies/stack-view';
import { localStateFile } from './local-state';

/*
 * An environment moves one migration stage at a time. The config alone does not know where it stands: the output
 * `migration_stage` does (stacks/outputs.ts writes it from stage parallel on; its absence means mfa-server). It is
 * read from what Terraform applied (a local state file), else from the last synth of the environment; an
 * environment with neither was never deployed from here, and may start at any stage. For remote state, the
 * pull request's offline diff compares the stage with its base branch.
 */

/** Where an environment's last stage was read from. */
export interface StageRecord {
  readonly stage: StageName;
  /** What says so: `terraform.prod.tfstate` or `the last synth (cdktf.out/stacks/prod/cdk.tf.json)`. */
  readonly source: string;
}

const isStage = (value: unknown): value is StageName => typeof value === 'string' && (STAGE_NAMES as readonly string[]).includes(value);

/** The stage recorded in a state file or a synthesized stack: its `migration_stage` output, or mfa-server without one. */
function recordedStage(json: unknown, fromState: boolean): StageName | undefined {
  const outputs = isRecord(json) ? json[fromState ? 'outputs' : 'output'] : undefined;
  const stage = isRecord(outputs) ? outputs.migration_stage : undefined;
  const output = isRecord(stage) ? stage.value : undefined;
  if (output === undefined) return 'mfa-server';
  return isStage(output) ? output : undefined;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The stage an environment was last at: from its local state file (beside the output directory) when Terraform
 * applied something there, else from its last synthesized stack; undefined for an environment neither knows.
 */
export function lastStageOf(name: string, outdir: string): StageRecord | undefined {
  const stateFile = path.join(path.dirname(path.resolve(outdir)), localStateFile(name));
  const state = fs.existsSync(stateFile) ? readJson(stateFile) : undefined;
  // A state with resources is a deployment; an empty one (a destroyed environment) records nothing.
  if (isRecord(state) && Array.isArray(state.resources) && state.resources.length > 0) {
    const stage = recordedStage(state, true);
    if (stage !== undefined) return { stage, source: localStateFile(name) };
  }
  const synthesized = path.join(outdir, 'stacks', name, 'cdk.tf.json');
  if (fs.existsSync(synthesized)) {
    const stage = recordedStage(readJson(synthesized), false);
    if (stage !== undefined) return { stage, source: `the last synth (${path.join(outdir, 'stacks', name, 'cdk.tf.json')})` };
  }
  return undefined;
}

/** One line per environment whose stage moves by more than one step from the last one recorded. */
export function stageMoveErrors(environments: readonly LoadedEnvironment[], outdir: string): ConfigError[] {
  return environments.flatMap(({ file, env }) => {
    const wanted = stageNameOf(env);
    const last = lastStageOf(env.name, outdir);
    // Back from parallel, the mfa-server stage undoes the farm's rules with the tenant it was given
    // (constructs/entra-mfa-on-adfs.ts); without it the rules sending the migration groups to Entra MFA would stay,
    // while the tenant certificates' registrations go: those users could no longer sign in.
    if (last?.stage === 'parallel' && wanted === 'mfa-server' && !env.migration?.tenantId) {
      return [
        new ConfigError(
          file,
          'migration.tenantId',
          `must stay in the file on the way back from "parallel" (${last.source}): the mfa-server stage restores the farm's claim rules from their backup with it`,
          undefined,
        ),
      ];
    }
    if (last === undefined || last.stage === wanted || neighbours(last.stage).includes(wanted)) return [];
    const allowed = [last.stage, ...neighbours(last.stage)].map((s) => `"${s}"`).join(' or ');
    return [
      new ConfigError(
        file,
        env.migration === undefined ? 'migration' : 'migration.stage',
        `must move one stage at a time: ${last.source} has "${last.stage}", so it can be ${allowed}`,
        wanted,
      ),
    ];
  });
}
