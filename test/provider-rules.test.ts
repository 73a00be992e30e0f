import { allowedFlows, NSG_DESCRIPTION_MAX_BYTES, renderRules, ruleDescription } from '../constructs/traffic-flows';
import { Port, TIERS } from '../constructs/values';
import { flowOptionsOf } from '../stacks/environment-options';
import { checkTerraform, formatFinding, NOT_COVERED } from '../tools/provider-rules';
import { loadRules } from '../tools/provider-rules-data';
import { maximalInput, prodAtStage } from './config/fixtures';
import { synthObject, validate, variant } from './helpers';

/*
 * Every value of the synthesized Terraform against the azurerm provider's own plan-time rules (v4.55.0 schema
 * and validation, data/azurerm-4.55.0-validation.json). The bindings' types cannot see these: a too-long NSG
 * description or a wrongly cased enumeration passes `tsc` and the synth, then `terraform validate` rejects it.
 */
const rules = loadRules();

const withRevocationRanges = (c: any) => {
  c.certificates.revocationCheckCidrs = ['192.0.2.0/24', '198.51.100.0/24'];
};
const CONFIGURATIONS = [
  ['dev', variant('dev')],
  ['prod', variant('prod')],
  ['the longest configuration', maximalInput()],
  ['prod with certificates.revocationCheckCidrs', variant('prod', withRevocationRanges)],
  [
    'prod with NAT gateways instead of the hub firewall, monitoring off',
    variant('prod', (c) => {
      c.network.egress = { mode: 'natGateway' };
      delete c.monitoring;
    }),
  ],
  [
    'the longest configuration with zone-redundant egress through outbound rules, and the Chaos Studio experiments',
    maximalInput((c) => {
      c.network.egress = { mode: 'natGateway', zoneRedundant: true };
      c.chaos = { enabled: true };
    }),
  ],
  [
    'dev with the Chaos Studio experiments (no zones)',
    variant('dev', (c) => {
      c.chaos = { enabled: true };
    }),
  ],
  // The NPS servers, their client certificates, their vault and the service principal's certificates; AD FS with
  // Entra MFA, its tenant certificates' registrations (two generations) and alerts.
  ['prod at migration stage entra, renewing the AD FS tenant certificates', prodAtStage('entra', (c) => (c.migration.adfsCertificateGeneration = 2))],
  [
    'prod at migration stage parallel, a lab with self-signed certificates',
    prodAtStage('parallel', (c) => {
      c.certificates = { selfSigned: true, keyVaultName: 'kv-mfaha-prod-tls' };
      delete c.nps.keyVaultName;
    }),
  ],
] as const;

describe.each(CONFIGURATIONS)('the synthesized Terraform of %s', (_, input) => {
  const report = checkTerraform(synthObject(input), rules, NOT_COVERED);

  test('has no value the provider refuses (address, attribute, rule, value)', () => {
    expect(report.refusals.map(formatFinding)).toEqual([]);
    expect(report.judgedValues).toBeGreaterThan(500);
  });

  test('leaves unjudged only prose notes, never a rule the checker can read', () => {
    expect(report.unjudged.filter((f) => f.kind !== 'text' && f.kind !== 'anyOf')).toEqual([]);
  });

  test('uses no resource type outside the rules but those listed as not covered, with why', () => {
    expect(report.notCovered.every((n) => NOT_COVERED[n.address.replace(/^data\./, '').split('.')[0]] === n.why)).toBe(true);
  });
});

describe('the checker on what the provider rejected before', () => {
  const prod = () => synthObject(variant('prod'));

  test('refuses a custom table column of type "datetime", naming address, attribute and rule', () => {
    const tf = prod();
    const [address, table] = Object.entries(tf.resource.azurerm_log_analytics_workspace_table_custom_log)[0] as [string, any];
    table.column[0].type = 'datetime';
    expect(checkTerraform(tf, rules, NOT_COVERED).refusals.map(formatFinding)).toEqual([
      `azurerm_log_analytics_workspace_table_custom_log.${address} column[0].type: one of (case-sensitive) boolean, dateTime, dynamic, guid, int, long, real, string, got "datetime"`,
    ]);
  });

  test('refuses a 141-character NSG rule description', () => {
    const tf = prod();
    const [address, rule] = Object.entries(tf.resource.azurerm_network_security_rule)[0] as [string, any];
    rule.description = 'x'.repeat(141);
    expect(checkTerraform(tf, rules, NOT_COVERED).refusals.map(formatFinding)).toEqual([
      `azurerm_network_security_rule.${address} description: length 0..140 bytes, got "${'x'.repeat(141)}"`,
    ]);
  });

  test('refuses a resource type that is not in the rules, by name', () => {
    const tf = prod();
    tf.resource.azurerm_kubernetes_cluster = { aks: { name: 'aks' } };
    expect(checkTerraform(tf, rules, NOT_COVERED).refusals.map(formatFinding)).toEqual([
      'azurerm_kubernetes_cluster.aks: resource type azurerm_kubernetes_cluster is not in the rules (azurerm 4.55.0, hashicorp/random 3.7.2, hashicorp/time 0.13.1, hashicorp/azuread 3.7.0)',
    ]);
  });
});

describe('NSG rule descriptions', () => {
  test('are bounded by what the provider allows', () => {
    const description = rules[0].resources.azurerm_network_security_rule.description;
    expect(description.rules).toContainEqual({ kind: 'length', min: 0, max: NSG_DESCRIPTION_MAX_BYTES });
  });

  test.each([
    ['the longest configuration', maximalInput()],
    ['prod with certificates.revocationCheckCidrs', variant('prod', withRevocationRanges)],
  ])('of every flow of %s keep their whole reason within the limit', (_, input) => {
    const env = validate(input);
    const flows = allowedFlows(flowOptionsOf(env));
    const descriptions = TIERS.flatMap((t) => renderRules(t, flows, env.network.subnets as any).map((r) => r.description));
    expect(descriptions.filter((d) => Buffer.byteLength(d) > NSG_DESCRIPTION_MAX_BYTES)).toEqual([]);
    // Not one reason is cut: the brief (or the reason itself) fits whole.
    expect(flows.filter((f) => ruleDescription(f).endsWith('...'))).toEqual([]);
    expect(flows.filter((f) => f.brief !== undefined).length).toBeGreaterThan(0);
  });

  test('stay within the limit whatever the reason and the ports, cut at a word', () => {
    const base = allowedFlows(flowOptionsOf(validate(variant('prod'))))[0];
    const long = ruleDescription({ ...base, brief: undefined, why: 'word '.repeat(60).trim() });
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(NSG_DESCRIPTION_MAX_BYTES);
    expect(long).toMatch(/ word\.\.\.$/);
    const manyPorts = ruleDescription({ ...base, ports: Array.from({ length: 40 }, (_, i) => Port.tcp(10000 + i)) });
    expect(Buffer.byteLength(manyPorts)).toBeLessThanOrEqual(NSG_DESCRIPTION_MAX_BYTES);
  });
});
