import { FAULT_DURATION, FAULT_ROLES } from '../../constructs/chaos-experiments';
import { FAULT_INJECTION_PRIORITY } from '../../constructs/traffic-flows';
import type { StackJson } from '../terraform-json';
import { analyze, destinationTitle } from './analysis';
import { firings, QUERY_ALERTS } from './alerts';
import { experimentPlansOf, fullPrediction } from './experiments';
import { combine, failuresNamed, ringFailures, singleFailures } from './failures';
import { Hop, JOURNEYS } from './journeys';
import { failureModelOf, FailureModel } from './model';
import { EXCEPTIONS } from './promises';
import { failureRows, renderMarkdown, zoneDuringRingRows } from './report';

/*
 * docs/availability.md, written whole by `npm run docs:readme` from the synthesized prod (and prod with
 * chaos.enabled, for the experiments); a test fails while it is stale.
 */

const md = (text: string) => text.replace(/\|/g, '\\|');

/** A hop of the journeys table, in words. */
function hopText(hop: Hop): string {
  switch (hop.kind) {
    case 'service':
      return `${hop.from ? `${hop.from} → ` : ''}${hop.tier} (\`${hop.rule}\` rule${hop.sticky ? ', sticky' : ''}${hop.role ? `, the ${hop.role} alone` : ''})`;
    case 'egress':
      return `${hop.tiers ? `${hop.tiers.join(', ')} → ` : ''}${destinationTitle(hop.destination)} (its egress path)`;
    case 'second-factor':
      return 'its second factor (MFA Server through the Web Service SDK and the Azure MFA service, or Microsoft Entra MFA, as the stage and the servers reached say)';
    case 'role':
      return hop.role === 'master' ? 'the MFA master' : 'the WID primary';
    case 'rings':
      return "each ring's servers → Windows Update";
  }
}

/** Which failures (single, and a zone during a ring) fire each alert, and which fire none. */
function alertMapping(model: FailureModel): string {
  const failures = [
    ...singleFailures(model),
    ...ringFailures(model),
    ...failuresNamed(model, 'zone').flatMap((z) => ringFailures(model).map((r) => combine(z, r))),
  ];
  const fired = failures.map((f) => ({ f, alerts: firings(model, f, analyze(model, f)) }));
  const rows = model.alerts.map((a) => {
    const by = fired.filter((x) => x.alerts.some((y) => y.alert === a.name)).map((x) => x.f);
    const singles = by.filter((f) => !f.id.includes('+')).map((f) => f.label);
    const pairs = by.filter((f) => f.id.includes('+')).length;
    const query = a.kind === 'query' ? QUERY_ALERTS.find((q) => a.name.endsWith(`-${q.suffix}`)) : undefined;
    return `| \`${a.name}\` | ${a.kind}${query ? ` (${query.when})` : ''} | ${md(singles.join('; ') || '—')} | ${pairs > 0 ? `${pairs} of the zone-during-ring pairs` : 'none'} |`;
  });
  const silent = fired.filter((x) => !x.f.id.includes('+') && x.alerts.length === 0).map((x) => x.f.label);
  return [
    '| Alert | Watches | Single failures that must fire it | A zone during a ring |',
    '|---|---|---|---|',
    ...rows,
    '',
    `Failures no alert sees: ${silent.map(md).join('; ') || 'none'}. A load balancer that fails stops sending probe data, and a metric alert does not fire on no data. An egress path that fails leaves every probe answering (the probes test the servers, not what they reach); the heartbeat alert sees it, since the agents send their heartbeats through the same path.`,
  ].join('\n');
}

/** The experiments of prod with chaos.enabled, each with its full prediction. */
function experimentsSection(model: FailureModel, prefix: string): string {
  return experimentPlansOf(model)
    .map((plan) => {
      const p = fullPrediction(model, plan);
      const list = (items: readonly string[]) => (items.length > 0 ? items.map((i) => `  - ${i}`).join('\n') : '  - none');
      return [
        `### \`chaos-${prefix}-${plan.key}\``,
        '',
        `${plan.title[0].toUpperCase()}${plan.title.slice(1)}, for ${FAULT_DURATION.replace('PT', '').toLowerCase()}.`,
        '',
        '- Journeys that must keep serving in full:',
        list(p.serve),
        '- Degraded, with the capacity left:',
        list(p.degraded),
        '- Journeys that stop:',
        list(p.stop),
        '- Alerts that must fire:',
        list(p.alerts),
        '',
      ].join('\n');
    })
    .join('\n');
}

/** The whole of docs/availability.md. */
export function availabilityDoc(prod: StackJson, prodWithChaos: StackJson): string {
  const model = failureModelOf(prod);
  const chaosModel = failureModelOf(prodWithChaos);
  const prefix = 'mfaha-prod';
  return [
    '# Availability: every failure replayed, and the same failures in Azure',
    '',
    '<!-- Written by npm run docs:readme from the synthesized prod (tools/failures/guide.ts); a test fails while it is stale. -->',
    '',
    "The README's [Availability](../README.md#availability-every-failure-replayed) section summarizes this page. Everything",
    'here is read from the Terraform JSON that `prod` synthesizes, by the failure model (`tools/failures/`): the servers',
    'with their zones and roles (the MFA master from its role tag, the WID primary from the Run Command that creates the',
    "farm), the load balancers' frontends, rules, pools and probes, the NSGs (evaluated as `npm run flows` evaluates",
    "them), each server's egress path, the vaults the servers read, the patching rings and the alerts. `npm run failures",
    '-- <env>` prints the same for any environment; `--with <failure>` combines every failure with another.',
    '',
    '## The journeys',
    '',
    'Declared once (`tools/failures/journeys.ts`); a hop names a service by the load balancer rule that carries it, so the',
    'journey follows what the stack deploys: where a migration stage sends RADIUS to the NPS servers, the journey goes',
    'there.',
    '',
    '| Journey | Hops | Why |',
    '|---|---|---|',
    ...JOURNEYS.map(
      (j) =>
        `| ${j.title}${j.each ? ' (from each subordinate)' : ''}${j.eachRule ? ' (through each address that has the rule)' : ''} | ${md(j.hops.map(hopText).join(' → '))} | ${md(j.why)} |`,
    ),
    '',
    '"Serves": every hop has all its servers. "Degraded": a hop lost servers and still has one; the capacity left is',
    'given per hop ("mfa 2 of 3"). "Stops": a hop has none left, or nothing can reach it; the hop and the reason are',
    'given. A failed server is one whose probes fail; a patching ring restarts its servers.',
    '',
    'A journey is replayed where the environment offers it. Sign-in from the intranet is offered where the AD FS subnet',
    "admits the intranet's ranges (`adfs.intranetClientCidrs`, one NSG rule per port: 443, and 49443 with certificate",
    'authentication; prod names `10.100.0.0/16`, an example to replace with your own). Without them it is not offered, and',
    '`npm run failures` and `npm run dns` say so: the internal DNS record of the federation service, which the proxies',
    'need (they resolve the name through the domain controllers), sends intranet users to the AD FS load balancer, which',
    'then refuses them. Leaving the record out would not help: the proxies would reach the farm through their own public',
    "address, and where the name lies in the domain's zone, that zone would answer intranet users with no address at all.",
    '',
    `## Every single failure of prod (migration stage ${model.stage.name})`,
    '',
    renderMarkdown(failureRows(model)),
    '',
    '## A zone down during a patch ring',
    '',
    renderMarkdown(zoneDuringRingRows(model)),
    '',
    '## The exceptions the design accepts',
    '',
    'The tests (`test/availability.test.ts`) hold every shipped environment to the promise: with no failure, any single',
    'server down or any single zone down, every journey serves (degraded counts), the master down stops administrative',
    'changes and no authentication. A stop is accepted only by one of these (`tools/failures/promises.ts`), stated in the README too:',
    '',
    ...EXCEPTIONS.map(
      (e) =>
        `- **${e.key}** (${e.journeys.join(', ')}; when ${e.failures.join(', ')}): ${e.why}.${e.remedy ? ` ${e.remedy[0].toUpperCase()}${e.remedy.slice(1)}.` : ''}`,
    ),
    '',
    'Each promise test fails on a deliberately broken variant: the replication rule pointed at every MFA server (replication',
    'reaches subordinates with no failure at all), both portal servers in one zone (that zone stops the portal), egress',
    'through one NAT gateway without a zone (any zone may stop every sign-in), every MFA server tagged master',
    '(administrative changes survive "the master down", which the promise says they must not).',
    '',
    '## Which failure fires which alert',
    '',
    'Read from the criteria of the alerts prod synthesizes (`tools/failures/alerts.ts`): a health probe alert fires when',
    'a server behind its port fails its probe (per server) or when the average falls under its threshold; Resource Health',
    'when a VM leaves Available; the heartbeat alert when a server of the resource group is down or cannot reach Azure Monitor through',
    'its egress path and NSG (`constructs/heartbeat-alert.ts`); the renewal alerts when the renewal journey stops and a',
    'renewal falls due. A stopped VM is not probed, so its probe alerts see no data: Resource Health and the heartbeat',
    'alert see a shutdown.',
    '',
    alertMapping(model),
    '',
    '## The same failures in Azure: Chaos Studio experiments',
    '',
    'With `"chaos": { "enabled": true }` the stack adds, for the failure classes above, Azure Chaos Studio experiments',
    `(\`constructs/chaos-experiments.ts\`): a target and a capability on each server and NSG they use, one user-assigned identity`,
    `(\`id-<prefix>-chaos\`), and one experiment each: the master shut down, one server of each tier, every server of one zone,`,
    `each egress path blocked by an NSG fault (a rule denying the Internet at priority ${FAULT_INJECTION_PRIORITY}, which the flow table`,
    'keeps free before every flow that leaves the virtual network). **No experiment starts on its own**: creating one runs',
    'nothing, and nothing in the stack refers to one; an operator starts it (portal: Chaos Studio → Experiments → Start;',
    'or `az rest --method post --url "https://management.azure.com<experiment id>/start?api-version=2024-01-01"`),',
    "ideally in a test subscription, and compares what happens with the prediction below. azurerm's experiment has no",
    'description, so each experiment names its prediction in its step, and the `chaos_experiments` output lists them.',
    'Switching chaos on or off adds or removes only these resources (a test plans it offline).',
    '',
    `The identity holds two custom roles, each assigned on the resources its fault acts on and nowhere else: \`${FAULT_ROLES.vm.actions.join('`, `')}\` on the`,
    `servers, \`${FAULT_ROLES.nsg.actions.join('`, `')}\` on the NSGs. Chaos Studio suggests Virtual Machine Contributor and Network`,
    'Contributor ([supported resource types and role assignments](https://learn.microsoft.com/azure/chaos-studio/chaos-studio-fault-providers)),',
    'but the first includes Run Command, which makes its holder domain-admin equivalent on these servers (README, "Tier 0").',
    'Starting an experiment needs `Microsoft.Chaos/experiments/start/action` on it (Contributor over the resource group, a',
    'tier-0 role already). Before the first deployment with chaos: register the `Microsoft.Chaos` resource provider',
    '(`az provider register --namespace Microsoft.Chaos`), and give the deploying identity `Microsoft.Authorization/roleDefinitions/write`',
    '(User Access Administrator has it; the narrower custom role of the README does not).',
    '',
    experimentsSection(chaosModel, prefix),
    '## What rests on documentation only',
    '',
    '- What Azure does in a zone failure: servers of the zone stop answering; a resource with several zones survives one;',
    '  a resource without a zone in a region with zones may be in the failed one ([NAT gateway and availability',
    '  zones](https://learn.microsoft.com/azure/nat-gateway/nat-availability-zones), [Load Balancer and availability',
    '  zones](https://learn.microsoft.com/azure/load-balancer/load-balancer-standard-availability-zones)). No zone was failed to check it.',
    '- That a stopped VM is not probed and a metric alert does not fire on no data ([Load Balancer health',
    '  probes](https://learn.microsoft.com/azure/load-balancer/load-balancer-custom-probe-overview)): the alert predictions of the',
    '  shutdown experiments follow it.',
    '- The faults (`Shutdown-1.0`, `SecurityRule-1.0`), their URNs and parameters follow the [fault',
    '  library](https://learn.microsoft.com/azure/chaos-studio/chaos-studio-fault-library). Its NSG fault names the access',
    '  parameter `action` in its table and `access` in its sample; the experiments use `action`, as the table says. The',
    "  custom roles' actions are what the faults do (power a VM off and on; write and delete an NSG's rule); Microsoft lists",
    '  only the broader built-in roles. No experiment was run: if one fails with `AuthorizationFailed`, the error names the',
    '  missing action.',
    '- That the Azure Monitor Agent sends a heartbeat a minute to the workspace of its data collection rules, through the',
    "  server's egress path (the AzureMonitor flow), so that a path down silences it ([Heartbeat",
    '  queries](https://learn.microsoft.com/azure/azure-monitor/reference/queries/heartbeat), [Monitor virtual machines:',
    '  alerts](https://learn.microsoft.com/azure/azure-monitor/vm/monitor-virtual-machine-alerts)). No egress path was cut to check it.',
    '- What the model does not see: a service failing inside a running server (MFA Server, IIS, AD FS: the probes would',
    '  see it, the model does not replay it), the domain controllers and DNS (outside the stack), the hub firewall behind',
    '  the hub route (one failure of the table: make it zone-redundant), CRL checks and certificate expiry.',
    '',
    `The failure analysis of prod takes well under a second (\`npm run bench\`, [BENCHMARKS.md](../BENCHMARKS.md)).`,
    '',
  ].join('\n');
}
