import * as path from 'path';
import { loadEnvironments } from '../config/load';
import { outdirOf, UserError } from '../stacks/synthesize';
import { runTool } from '../tools/cli';
import { LOCK_PLATFORMS, lockProviders } from '../tools/provider-locks';

// npm run lock -- <env>: records the providers of the synthesized stack, with their checksums, in locks/<env>.terraform.lock.hcl.
void runTool({
  name: 'lock',
  usage: 'npm run lock -- <environment>   (after npm run synth; needs Terraform and the registry)',
  options: {},
  run: ({ environment }) => {
    const environments = loadEnvironments(process.env.MFA_HA_CONFIG);
    if (!environments.some((e) => e.env.name === environment)) throw new UserError(`no environment is named "${environment}" (known: ${environments.map((e) => e.env.name).join(', ')})`);
    const written = lockProviders(path.resolve(__dirname, '..'), outdirOf(), environment);
    process.stdout.write(`wrote ${path.relative(process.cwd(), written)} (${LOCK_PLATFORMS.join(', ')}): commit it\n`);
  },
});
