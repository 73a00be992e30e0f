import type { Tool } from '../cli';

/** `mfa-ha flows <env> [--synth] [--json] [--all]`: the effective NSG flows of a synthesized environment. */
export const FLOWS_TOOL: Tool = {
  name: 'flows',
  description: 'the effective NSG flows of a synthesized environment: who reaches what, and egress per tier',
  options: {
    synth: { type: 'boolean', description: 'synthesize first, even when the stack exists' },
    json: { type: 'boolean', description: 'the flow matrix as JSON' },
    all: { type: 'boolean', description: 'every pair of peers, allowed or not' },
  },
  run: async ({ environment, values }, log) => {
    const path = await import('path');
    const [
      { flowMatrix },
      { formatMatrix, matrixJson },
      { NO_RULE_NEEDED },
      { TIERS },
      { egressOf, networkModelOf },
      { ensureSynthesized, namedGroupsOf },
      { dnsNamesOf },
    ] = await Promise.all([
      import('../flow-matrix'),
      import('../flow-report'),
      import('../../constructs/platform-dependencies'),
      import('../../constructs/values'),
      import('../network-model'),
      import('../synthesized-stack'),
      import('../terraform-json'),
    ]);
    const synthesized = ensureSynthesized(environment, { synth: values.synth === true, log });
    log(`evaluating the NSGs of ${environment}...`);
    const model = networkModelOf(synthesized.stack);
    const matrix = flowMatrix(model, namedGroupsOf(synthesized.env));
    const names = dnsNamesOf(synthesized.stack).map((n) => [n.fqdn, `${n.view}: ${n.address.startsWith('${') ? 'the WAP public IP' : n.address}`] as const);
    const egress = TIERS.flatMap((tier) => model.subnets.filter((s) => s.tier === tier).map((s) => [tier, egressOf(s)] as const));
    const unfiltered = NO_RULE_NEEDED.filter((n) => n.onlyWith === undefined || synthesized.env?.[n.onlyWith]?.enabled).map(
      (n) => [n.what, n.sources.map((s) => s.url).join(', ')] as const,
    );
    const relative = path.relative(process.cwd(), synthesized.file);
    const file = relative.startsWith('..') ? path.resolve(synthesized.file) : relative;
    process.stdout.write(
      values.json
        ? matrixJson(matrix, { environment, stackFile: file })
        : formatMatrix(matrix, { title: `Effective flows of ${environment} (${file})`, all: values.all === true, egress, names, unfiltered }),
    );
  },
};
