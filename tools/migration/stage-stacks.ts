import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeEnvironmentFile } from '../../config/encoding';
import { ConfigError } from '../../config/errors';
import { LoadedEnvironment, parseEnvironment } from '../../config/load';
import { stageNameOf } from '../../config/stage';
import { STAGE_NAMES, StageName, stageOf } from '../../constructs/migration-stages';
import { isRecord } from '../../constructs/policies/stack-view';
import { synthesizeEnvironments } from '../../stacks/synthesize';
import { readStack, StackJson } from '../terraform-json';
import { Runbook, runbookOf, stageBeside } from './runbook';

/*
 * The two synthesized stacks a runbook compares: the environment file as it is, and the same file moved back one
 * stage, as its file read before the move (the NPS block and subnet only from stage parallel on). Both are
 * synthesized into a scratch directory, so that cdktf.out is left alone.
 */

/** An environment file's input moved to stage `to`: the migration stage set, the NPS tier left out before parallel. */
export function inputAtStage(input: Readonly<Record<string, unknown>>, to: StageName): Record<string, unknown> {
  const copy = structuredClone(input) as Record<string, unknown>;
  copy.migration = { ...(isRecord(copy.migration) ? copy.migration : {}), stage: to };
  if (!stageOf(to).tiers.includes('nps')) {
    delete copy.nps;
    if (isRecord(copy.network) && isRecord(copy.network.subnets)) delete copy.network.subnets.nps;
  }
  return copy;
}

/** What a synthesizer gets: the validated environment, and the input it came from. */
export interface StageInput extends LoadedEnvironment {
  readonly input: Readonly<Record<string, unknown>>;
}

/** The synthesized stack of one environment, built in a scratch directory. */
export function synthesizeStack(loaded: LoadedEnvironment): StackJson {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-runbook-'));
  try {
    const outdir = path.join(dir, 'cdktf.out');
    synthesizeEnvironments([loaded], outdir);
    return readStack(path.join(outdir, 'stacks', loaded.env.name, 'cdk.tf.json'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The stacks of an environment's stage and of the stage before it; why the latter is missing, when it is. */
export interface StageStacks {
  readonly loaded: LoadedEnvironment;
  readonly stack: StackJson;
  readonly previousStack?: StackJson;
  readonly previousUnavailable?: string;
}

/** The input of an environment file, as the loader reads it (any encoding it accepts). */
export const inputOfFile = (file: string) => JSON.parse(decodeEnvironmentFile(file, fs.readFileSync(file))) as Record<string, unknown>;

/**
 * Synthesizes an environment file's input (`file` names it in errors) at its stage and, moved back one stage, at
 * the previous one. A ConfigError of the input itself is thrown; one of the moved-back input is reported instead.
 */
export function stageStacksOf(
  file: string,
  input: Readonly<Record<string, unknown>>,
  synthesize: (stage: StageInput) => StackJson = synthesizeStack,
): StageStacks {
  const loaded = { file, env: parseEnvironment(file, JSON.stringify(input)) };
  const stack = synthesize({ ...loaded, input });
  const previous = stageBeside(stageNameOf(loaded.env), -1);
  if (previous === undefined) return { loaded, stack };
  try {
    const moved = inputAtStage(input, previous);
    const env = parseEnvironment(file, JSON.stringify(moved));
    return { loaded, stack, previousStack: synthesize({ file, env, input: moved }) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { loaded, stack, previousUnavailable: `${file} moved back to "${previous}" does not validate: ${e.message.split('\n')[0]}` };
  }
}

/** The runbook of one environment file at every stage: `inputAt` gives its input at a stage. */
export function runbooksAtEveryStage(
  file: string,
  inputAt: (stage: StageName) => Readonly<Record<string, unknown>>,
  synthesize: (stage: StageInput) => StackJson = synthesizeStack,
): Runbook[] {
  return STAGE_NAMES.map((stage) => {
    const stacks = stageStacksOf(file, inputAt(stage), synthesize);
    return runbookOf({
      env: stacks.loaded.env,
      file,
      stack: stacks.stack,
      previousStack: stacks.previousStack,
      previousUnavailable: stacks.previousUnavailable,
    });
  });
}
