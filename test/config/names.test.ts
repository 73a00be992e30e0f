import { NAME_RULES, nameProblem, NOT_RESOURCE_NAMES } from '../../config/names';
import { TOOLKIT_TAG_NAMES } from '../../config/tags';
import { synthObject, TerraformJson, validate } from '../helpers';
import { maximalInput } from './fixtures';

/** Every string attribute of a resource body whose key is a name, with its dotted path (`os_disk.name`). */
function nameAttributes(body: unknown, prefix = ''): [string, string][] {
  if (typeof body !== 'object' || body === null) return [];
  if (Array.isArray(body)) return body.flatMap((item) => nameAttributes(item, prefix));
  return Object.entries(body).flatMap(([key, value]): [string, string][] => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') return /(^|_)name$|_label$/.test(key) ? [[path, value]] : [];
    return key === 'tags' || key === 'lifecycle' ? [] : nameAttributes(value, path);
  });
}

/** Name attributes without a rule, and names that break theirs, in a synthesized stack. */
function nameFindings(tf: Pick<TerraformJson, 'resource'>): { unknown: string[]; broken: string[]; checked: number } {
  const unknown = new Set<string>();
  const broken: string[] = [];
  let checked = 0;
  for (const [type, byAddress] of Object.entries(tf.resource)) {
    for (const [address, body] of Object.entries(byAddress)) {
      for (const [attribute, value] of nameAttributes(body)) {
        if (attribute.split('.').at(-1)! in NOT_RESOURCE_NAMES) continue;
        const rule = NAME_RULES[type]?.[attribute];
        if (!rule) {
          unknown.add(`${type}.${attribute} (add its rule to config/names.ts)`);
          continue;
        }
        checked++;
        const problem = nameProblem(rule, value);
        if (problem) broken.push(`${type}.${address}.${attribute} = ${JSON.stringify(value)}: ${problem}; Azure: ${rule.text}`);
      }
    }
  }
  return { unknown: [...unknown], broken, checked };
}

describe('names the toolkit derives, for the longest config the schema allows', () => {
  let tf: TerraformJson;
  beforeAll(() => {
    tf = synthObject(maximalInput());
  });

  test('the maximal config is valid and synthesizes every resource type with a name', () => {
    expect(validate(maximalInput()).mfa.count).toBe(20);
    expect(Object.keys(tf.resource).length).toBeGreaterThan(20);
  });

  test('every name of every resource keeps the naming rule of its resource type', () => {
    const { unknown, broken, checked } = nameFindings(tf);
    expect(unknown).toEqual([]);
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(400);
  });

  test('a resource type with a name but no rule fails the check, and so does a name that breaks its rule', () => {
    const findings = nameFindings({
      resource: {
        azurerm_fictional_gateway: { gw: { name: 'gw-1', resource_group_name: '${azurerm_resource_group.rg.name}' } },
        azurerm_key_vault: { kv: { name: 'kv--double-hyphen', sku_name: 'premium' } },
      },
    });
    expect(findings.unknown).toEqual(['azurerm_fictional_gateway.name (add its rule to config/names.ts)']);
    expect(findings.broken).toHaveLength(1);
    expect(findings.broken[0]).toMatch(/^azurerm_key_vault\.kv\.name = "kv--double-hyphen"/);
  });

  test('carries no tag name of its own beyond the declared ones, so the tag budget counts them all', () => {
    const user = new Set(Object.keys(maximalInput().tags));
    const added = new Set<string>();
    for (const byAddress of Object.values(tf.resource)) {
      for (const body of Object.values(byAddress) as any[]) {
        for (const name of Object.keys(body.tags ?? {})) if (!user.has(name)) added.add(name);
        expect(Object.keys(body.tags ?? {}).length).toBeLessThanOrEqual(50);
      }
    }
    expect([...added].sort()).toEqual([...TOOLKIT_TAG_NAMES].sort());
  });
});

describe('the naming rule table', () => {
  test.each(
    Object.entries(NAME_RULES).flatMap(([type, attributes]) => Object.entries(attributes).map(([attribute, rule]) => [`${type}.${attribute}`, rule] as const)),
  )('%s names its source and has sane limits', (_, rule) => {
    expect(rule.source.length).toBeGreaterThan(10);
    expect(rule.min).toBeGreaterThanOrEqual(1);
    expect(rule.max).toBeGreaterThanOrEqual(rule.min);
  });

  test.each([
    ['azurerm_monitor_action_group', 'short_name', 'mfaha-prod12', 'mfaha-prod123'],
    ['azurerm_key_vault', 'name', 'kv-a1', 'kv--a1'],
    ['azurerm_windows_virtual_machine', 'computer_name', 'longest-adfs20', 'longest-portal20'],
    ['azurerm_log_analytics_workspace', 'name', 'log-mfaha-prod', 'log-mfaha-prod-'],
    ['azurerm_user_assigned_identity', 'name', 'id-mfaha-prod', '-id'],
    ['azurerm_route_table', 'name', 'rt-mfaha-prod', 'rt-mfaha-prod.'],
    ['azurerm_monitor_metric_alert', 'name', 'alert mfa master down', 'alert: mfa'],
    ['azurerm_key_vault_certificate', 'name', 'adfs-service', '1adfs'],
    ['azurerm_virtual_machine_run_command', 'name', 'configure-adfs', 'configure-adfs-'],
    ['azurerm_resource_group', 'name', 'rg-ñandú-(prod)', 'rg-prod.'],
  ])('%s.%s accepts %p and refuses %p', (type, attribute, good, bad) => {
    const rule = NAME_RULES[type][attribute];
    expect(nameProblem(rule, good)).toBeUndefined();
    expect(nameProblem(rule, bad)).toBeDefined();
  });
});
