import { outdirOf } from '../stacks/synthesize';
import { runTool } from '../tools/cli';
import { createEnvironment } from '../tools/new-environment';

// npm run new-env -- <name> [--from <env>]: environments/<name>.json from a shipped environment, synthesized at once.
void runTool({
  name: 'new-env',
  usage: 'npm run new-env -- <name> [--from <environment, default dev>]',
  options: { from: { type: 'string', default: 'dev' } },
  run: ({ environment: name, values }, log) => {
    const lines = createEnvironment(name, { dir: process.env.MFA_HA_CONFIG, from: values.from as string, outdir: outdirOf(), log });
    process.stdout.write(`${lines.join('\n')}\n`);
  },
});
