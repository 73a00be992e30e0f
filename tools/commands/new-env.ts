import type { Tool } from '../cli';

/** `mfa-ha new-env <name> [--from <env>] [--location <region>]`: environments/<name>.json from a shipped one, synthesized at once. */
export const NEW_ENV_TOOL: Tool = {
  name: 'new-env',
  description: 'a new environment file from an existing one: its own address plan, names and secrets, synthesized before it is written',
  options: {
    from: { type: 'string', value: 'environment', default: 'dev', description: 'the environment to start from' },
    location: { type: 'string', value: 'region', description: 'the Azure region (programmatic name); sets its zones, disks and patching time zone too' },
  },
  environments: 'new',
  help: 'Example: npm run new-env -- lab --location westus2',
  run: async ({ environment: name, values }, log) => {
    const [{ outdirOf }, { createEnvironment }] = await Promise.all([import('../../stacks/synthesize'), import('../new-environment')]);
    const lines = createEnvironment(name, {
      dir: process.env.MFA_HA_CONFIG,
      from: values.from as string,
      location: values.location as string | undefined,
      outdir: outdirOf(),
      log,
    });
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
