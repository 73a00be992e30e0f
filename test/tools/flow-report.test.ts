import { stageOf } from '../../constructs/migration-stages';
import { flowMatrix } from '../../tools/flow-matrix';
import { NO_RULE_NEEDED } from '../../constructs/platform-dependencies';
import { formatMatrix } from '../../tools/flow-report';
import { egressOf, networkModelOf } from '../../tools/network-model';
import { namedGroupsOf } from '../../tools/synthesized-stack';
import { dnsNamesOf } from '../../tools/terraform-json';
import { topologyOf } from '../../tools/topology';
import { synthObject, validate, variant } from '../helpers';

/** The tiers of an environment at stage mfa-server (every shipped one). */
const TIERS = stageOf('mfa-server').tiers;

describe('the flow report of npm run flows', () => {
  const input = variant('prod');
  const tf = synthObject(input);
  const model = networkModelOf(tf);
  const matrix = flowMatrix(model, namedGroupsOf(validate(input)));

  test("shows every tier's platform egress as allowed cells, each with its rule", () => {
    const report = formatMatrix(matrix, { title: 'prod' });
    for (const tier of TIERS) {
      expect(report).toContain(`${tier} -> AzureUpdateDelivery tcp/443`);
      expect(report).toMatch(new RegExp(`${tier} -> azure-kms 20\\.118\\.99\\.224/32 tcp/1688 +nsg-mfaha-prod-${tier}/allow-${tier}-to-azure-kms`));
      expect(report).toContain(`${tier} -> AzureMonitor tcp/443`);
    }
  });

  test("names each tier's egress path and the names of the design", () => {
    const egress = TIERS.flatMap((t) => model.subnets.filter((s) => s.tier === t).map((s) => [t, egressOf(s)] as const));
    const names = dnsNamesOf(tf).map((n) => [n.fqdn, n.view] as const);
    const report = formatMatrix(matrix, { title: 'prod', egress, names });
    expect(report).toContain('  wap     NAT gateway ng-mfaha-prod');
    expect(report).toContain('  mfa     virtual appliance 10.0.1.4 (route table rt-mfaha-prod)');
    expect(report).toMatch(/ {2}mfaapp\.contoso\.com {2}internal/);
  });

  test('lists what the servers reach without an NSG rule, each with its source', () => {
    const unfiltered = NO_RULE_NEEDED.map((n) => [n.what, n.sources.map((s) => s.url).join(', ')] as const);
    const report = formatMatrix(matrix, { title: 'prod', unfiltered });
    expect(report).toContain('Reached without an NSG rule (the platform does not filter these):\n  VM agent and extension packages');
    expect(report).toContain('  Azure Update Manager (patching in rings): https://learn.microsoft.com/azure/update-manager/workflow-update-manager');
  });

  test('the diagram labels each load balancer with the names that point at it', () => {
    const lbs = topologyOf(tf).loadBalancers;
    expect(Object.fromEntries(lbs.map((lb) => [lb.name, lb.dnsNames]))).toEqual({
      'lbi-mfaha-prod-adfs': ['sts.contoso.com'],
      'lbi-mfaha-prod-mfaapp': ['mfaapp.contoso.com'],
      'lbi-mfaha-prod-portal': ['mfa.contoso.com'],
      'lbe-mfaha-prod-wap': ['mfa.contoso.com', 'sts.contoso.com'],
    });
  });
});
