import { throwIfAny } from '../../config/errors';
import { loadEnvironments } from '../../config/load';
import { lastStageOf, stageMoveErrors } from '../../stacks/stage-history';
import { outdirOf, UserError } from '../../stacks/synthesize';
import type { Tool } from '../cli';
import { renderMarkdown, renderText } from './render';
import { runbookOf } from './runbook';
import { inputOfFile, stageStacksOf } from './stage-stacks';

const OPTIONS = { markdown: { type: 'boolean' } } as const;

/**
 * `npm run migration -- <env> [--markdown]`: the runbook of an environment at the migration stage its file names.
 * Refuses, in one line, an unknown environment or option and a file that skips a stage (as synth does).
 */
export const MIGRATION_TOOL: Tool<typeof OPTIONS> = {
  name: 'migration',
  usage: 'npm run migration -- <environment> [--markdown]',
  options: OPTIONS,
  run: ({ environment, values }, log) => {
    const environments = loadEnvironments(process.env.MFA_HA_CONFIG);
    const loaded = environments.find((e) => e.env.name === environment);
    if (!loaded) throw new UserError(`no environment is named "${environment}" (known: ${environments.map((e) => e.env.name).join(', ')})`);
    // The same refusal as synth: a file moves one stage at a time from the last deployed or synthesized one.
    const outdir = outdirOf();
    throwIfAny(stageMoveErrors([loaded], outdir));
    const last = lastStageOf(loaded.env.name, outdir);
    if (last) log(`last stage recorded: ${last.stage} (${last.source})`);
    log(`synthesizing ${loaded.env.name} at its stage and at the stage before it...`);
    const stacks = stageStacksOf(loaded.file, inputOfFile(loaded.file));
    const book = runbookOf({ env: stacks.loaded.env, file: loaded.file, stack: stacks.stack, previousStack: stacks.previousStack, previousUnavailable: stacks.previousUnavailable });
    process.stdout.write(values.markdown ? renderMarkdown(book) : renderText(book));
  },
};
