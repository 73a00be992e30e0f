import * as fs from 'fs';
import { ENVIRONMENTS_DIR, loadEnvironments } from '../config/load';
import { PolicyError } from '../constructs/policies/pack';
import { outdirOf, synthesizeEnvironments, UserError } from '../stacks/synthesize';
import { runTool } from '../tools/cli';
import { newEnvironment } from '../tools/new-environment';

// npm run new-env -- <name> [--from <env>]: environments/<name>.json from a shipped environment, synthesized at once.
void runTool({
  name: 'new-env',
  usage: 'npm run new-env -- <name> [--from <environment, default dev>]',
  options: { from: { type: 'string', default: 'dev' } },
  run: ({ environment: name, values }, log) => {
    const dir = process.env.MFA_HA_CONFIG ?? ENVIRONMENTS_DIR;
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UserError(`MFA_HA_CONFIG names a file (${dir}): new-env writes into a directory of environment files`);
    const existing = loadEnvironments(dir);
    const raw = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    const created = newEnvironment(name, { dir, from: values.from as string, existing, raw });
    // Synthesize before writing: a file that does not synthesize is never left behind.
    try {
      synthesizeEnvironments([...existing, { file: created.file, env: created.env }], outdirOf(), (line) => log(line.replace(/^\[synth\] /, '')));
    } catch (e) {
      if (e instanceof PolicyError) throw new UserError(e.message.split('\n').join('; '));
      throw e;
    }
    fs.writeFileSync(created.file, created.text, { flag: 'wx' });
    const lines = [
      `wrote ${created.file} from ${values.from} (address space ${created.addressSpace}) and synthesized it into ${outdirOf()}/stacks/${name}`,
      'Replace these placeholders before the first deployment:',
      ...created.placeholders.map((p) => `  ${p.path}: ${p.value}  (${p.what})`),
      `Then: npm run diff -- ${name}, npx cdktf diff ${name}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
});
