import type { Tool } from '../cli';

/** `mfa-ha diagram <env> [--synth] [--out file.svg]`: an SVG of the environment's topology and allowed flows. */
export const DIAGRAM_TOOL: Tool = {
  name: 'diagram',
  description: "an SVG of a synthesized environment's topology and allowed flows",
  options: {
    synth: { type: 'boolean', description: 'synthesize first, even when the stack exists' },
    out: { type: 'string', value: 'file', description: 'where to write the SVG (default: cdktf.out/diagrams/<environment>.svg)' },
  },
  run: async ({ environment, values }, log) => {
    const [fs, path, { outdirOf }, { environmentSvg }, { ensureSynthesized }] = await Promise.all([
      import('fs'),
      import('path'),
      import('../../stacks/synthesize'),
      import('../environment-diagram'),
      import('../synthesized-stack'),
    ]);
    const synthesized = ensureSynthesized(environment, { synth: values.synth === true, log });
    log(`laying out ${environment} with Graphviz...`);
    const svg = await environmentSvg(synthesized.stack, synthesized.env, environment);
    const out = typeof values.out === 'string' ? values.out : path.join(outdirOf(), 'diagrams', `${environment}.svg`);
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, svg);
    log(`wrote ${out} (${svg.length} bytes)`);
  },
};
