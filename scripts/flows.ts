import * as path from 'path';
import { runTool } from '../tools/cli';
import { flowMatrix } from '../tools/flow-matrix';
import { formatMatrix, matrixJson } from '../tools/flow-report';
import { NO_RULE_NEEDED } from '../constructs/platform-dependencies';
import { TIERS } from '../constructs/values';
import { egressOf, networkModelOf } from '../tools/network-model';
import { ensureSynthesized, namedGroupsOf } from '../tools/synthesized-stack';
import { dnsNamesOf } from '../tools/terraform-json';

// npm run flows -- <env> [--synth] [--json] [--all]: the effective NSG flows of a synthesized environment.
void runTool({
  name: 'flows',
  usage: 'npm run flows -- <environment> [--synth] [--json] [--all]',
  options: { synth: { type: 'boolean' }, json: { type: 'boolean' }, all: { type: 'boolean' } },
  run: ({ environment, values }, log) => {
    const synthesized = ensureSynthesized(environment, { synth: values.synth === true, log });
    log(`evaluating the NSGs of ${environment}...`);
    const model = networkModelOf(synthesized.stack);
    const matrix = flowMatrix(model, namedGroupsOf(synthesized.env));
    const names = dnsNamesOf(synthesized.stack).map((n) => [n.fqdn, `${n.view}: ${n.address.startsWith('${') ? 'the WAP public IP' : n.address}`] as const);
    const egress = TIERS.flatMap((tier) => model.subnets.filter((s) => s.tier === tier).map((s) => [tier, egressOf(s)] as const));
    const unfiltered = NO_RULE_NEEDED.filter((n) => n.onlyWith === undefined || synthesized.env?.[n.onlyWith]?.enabled).map((n) => [n.what, n.sources.map((s) => s.url).join(', ')] as const);
    const relative = path.relative(process.cwd(), synthesized.file);
    const file = relative.startsWith('..') ? path.resolve(synthesized.file) : relative;
    process.stdout.write(
      values.json
        ? matrixJson(matrix, { environment, stackFile: file })
        : formatMatrix(matrix, { title: `Effective flows of ${environment} (${file})`, all: values.all === true, egress, names, unfiltered }),
    );
  },
});
