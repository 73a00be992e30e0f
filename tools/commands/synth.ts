import type { Tool } from '../cli';

/**
 * `mfa-ha synth` (`npm run synth`): every environments/*.json (or what MFA_HA_CONFIG names) synthesized into
 * cdktf.out/, one line per environment (its resources, where it was written) and the time it took. The cdktf CLI
 * runs main.ts instead, which stays quiet (cdktf.json).
 */
export const SYNTH_TOOL: Tool = {
  name: 'synth',
  description: 'synthesizes every environment file into cdktf.out/stacks/<environment>/cdk.tf.json',
  options: {},
  environments: 'none',
  takesNothingBecause: 'it synthesizes every environment file together (environments/, or MFA_HA_CONFIG), checked against each other',
  run: async (_args, log) => {
    const started = Date.now();
    const [path, { UserError }] = await Promise.all([import('path'), import('../../stacks/user-error')]);
    const [{ keepTokenStackTracesCheap }, { loadEnvironments }, { outdirOf, synthesizeEnvironments }, { PolicyError }, { readStack }] = await Promise.all([
      import('../../stacks/stack-traces'),
      import('../../config/load'),
      import('../../stacks/synthesize'),
      import('../../constructs/policies/pack'),
      import('../terraform-json'),
    ]);
    keepTokenStackTracesCheap();
    const outdir = outdirOf();
    const loaded = loadEnvironments(process.env.MFA_HA_CONFIG, (w) => log(`warning: ${w.message}`));
    log(`synthesizing ${loaded.map((l) => l.env.name).join(', ')}...`);
    try {
      synthesizeEnvironments(loaded, outdir, (line) => log(`warning: ${line}`));
    } catch (e) {
      // A policy violation has one line per finding.
      if (e instanceof PolicyError) throw new UserError(e.message);
      throw e;
    }
    for (const { env } of loaded) {
      const file = path.join(outdir, 'stacks', env.name, 'cdk.tf.json');
      const resources = Object.values(readStack(file).resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
      log(`${env.name}: ${resources} resources -> ${file}`);
    }
    log(`synthesized ${loaded.length} environment(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  },
};
