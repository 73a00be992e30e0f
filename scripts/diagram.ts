import * as fs from 'fs';
import * as path from 'path';
import { outdirOf } from '../stacks/synthesize';
import { runTool } from '../tools/cli';
import { environmentSvg } from '../tools/environment-diagram';
import { ensureSynthesized } from '../tools/synthesized-stack';

// npm run diagram -- <env> [--synth] [--out file.svg]: an SVG of the environment's topology and allowed flows.
void runTool({
  name: 'diagram',
  usage: 'npm run diagram -- <environment> [--synth] [--out file.svg]',
  options: { synth: { type: 'boolean' }, out: { type: 'string' } },
  run: async ({ environment, values }, log) => {
    const synthesized = ensureSynthesized(environment, { synth: values.synth === true, log });
    log(`laying out ${environment} with Graphviz...`);
    const svg = await environmentSvg(synthesized.stack, synthesized.env, environment);
    const out = typeof values.out === 'string' ? values.out : path.join(outdirOf(), 'diagrams', `${environment}.svg`);
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, svg);
    log(`wrote ${out} (${svg.length} bytes)`);
  },
});
