import type { Tool } from '../cli';

/** `mfa-ha lock <env>`: records the providers of the synthesized stack, with their checksums, in locks/<env>.terraform.lock.hcl. */
export const LOCK_TOOL: Tool = {
  name: 'lock',
  description: "records the synthesized stack's providers with their checksums in locks/<environment>.terraform.lock.hcl (needs Terraform and the registry)",
  options: {},
  run: async ({ environment }) => {
    const path = await import('path');
    const [{ loadEnvironments }, { outdirOf }, { noEnvironmentNamed }, { LOCK_PLATFORMS, lockProviders }] = await Promise.all([
      import('../../config/load'),
      import('../../stacks/synthesize'),
      import('../../stacks/user-error'),
      import('../provider-locks'),
    ]);
    const environments = loadEnvironments(process.env.MFA_HA_CONFIG);
    if (!environments.some((e) => e.env.name === environment))
      throw noEnvironmentNamed(
        environment,
        environments.map((e) => e.env.name),
      );
    const written = lockProviders(path.resolve(__dirname, '..', '..'), outdirOf(), environment);
    process.stdout.write(`wrote ${path.relative(process.cwd(), written)} (${LOCK_PLATFORMS.join(', ')}): commit it\n`);
  },
};
