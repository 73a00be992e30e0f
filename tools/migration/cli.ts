import type { Tool } from '../cli';

/**
 * `mfa-ha migration <env> [--markdown]`: the runbook of an environment at the migration stage its file names.
 * Refuses, in one line, an unknown environment or option and a file that skips a stage (as synth does).
 */
export const MIGRATION_TOOL: Tool = {
  name: 'migration',
  description: "the runbook of an environment's migration stage: what the next deploy does, who acts, the way back",
  options: { markdown: { type: 'boolean', description: 'the runbook as Markdown' } },
  run: async ({ environment, values }, log) => {
    const [
      { throwIfAny },
      { loadEnvironments },
      { lastStageOf, stageMoveErrors },
      { outdirOf },
      { noEnvironmentNamed },
      { renderMarkdown, renderText },
      { runbookOf },
      { inputOfFile, stageStacksOf },
    ] = await Promise.all([
      import('../../config/errors'),
      import('../../config/load'),
      import('../../stacks/stage-history'),
      import('../../stacks/synthesize'),
      import('../../stacks/user-error'),
      import('./render'),
      import('./runbook'),
      import('./stage-stacks'),
    ]);
    const environments = loadEnvironments(process.env.MFA_HA_CONFIG);
    const loaded = environments.find((e) => e.env.name === environment);
    if (!loaded)
      throw noEnvironmentNamed(
        environment,
        environments.map((e) => e.env.name),
      );
    // The same refusal as synth: a file moves one stage at a time from the last deployed or synthesized one.
    const outdir = outdirOf();
    throwIfAny(stageMoveErrors([loaded], outdir));
    const last = lastStageOf(loaded.env.name, outdir);
    if (last) log(`last stage recorded: ${last.stage} (${last.source})`);
    log(`synthesizing ${loaded.env.name} at its stage and at the stage before it...`);
    const stacks = stageStacksOf(loaded.file, inputOfFile(loaded.file));
    const book = runbookOf({
      env: stacks.loaded.env,
      file: loaded.file,
      stack: stacks.stack,
      previousStack: stacks.previousStack,
      previousUnavailable: stacks.previousUnavailable,
    });
    process.stdout.write(values.markdown ? renderMarkdown(book) : renderText(book));
  },
};
