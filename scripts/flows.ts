import * as path from 'path';
import { runTool } from '../tools/cli';
import { flowMatrix } from '../tools/flow-matrix';
import { formatMatrix, matrixJson } from '../tools/flow-report';
import { networkModelOf } from '../tools/network-model';
import { ensureSynthesized, namedGroupsOf } from '../tools/synthesized-stack';

// npm run flows -- <env> [--synth] [--json] [--all]: the effective NSG flows of a synthesized environment.
void runTool({
  name: 'flows',
  usage: 'npm run flows -- <environment> [--synth] [--json] [--all]',
  options: { synth: { type: 'boolean' }, json: { type: 'boolean' }, all: { type: 'boolean' } },
  run: ({ environment, values }, log) => {
    const synthesized = ensureSynthesized(environment, { synth: values.synth === true, log });
    log(`evaluating the NSGs of ${environment}...`);
    const matrix = flowMatrix(networkModelOf(synthesized.stack), namedGroupsOf(synthesized.env));
    const relative = path.relative(process.cwd(), synthesized.file);
    const file = relative.startsWith('..') ? path.resolve(synthesized.file) : relative;
    process.stdout.write(
      values.json
        ? matrixJson(matrix, { environment, stackFile: file })
        : formatMatrix(matrix, { title: `Effective flows of ${environment} (${file})`, all: values.all === true }),
    );
  },
});
