import { mfaSdkStickySessions } from '../../constructs/policies/mfa-sdk-sticky-sessions';
import { portalStickySessions } from '../../constructs/policies/portal-sticky-sessions';
import { only, shipped, verdicts, violations } from './fixtures';

const RULE = 'azurerm_lb_rule';
const ruleOf = (json: any, lb: string, rule: string) => only(json, RULE, `${lb}/load-balancer/rule-${rule}`);

describe('MFAHA-LB-01 the user portal load balancer is sticky (SourceIP)', () => {
  test.each(['dev', 'prod'] as const)('holds for the portal rule of the shipped %s environment and judges no other rule', (name) => {
    const synthesized = shipped(name);
    const judged = verdicts(portalStickySessions, synthesized);
    expect(violations(portalStickySessions, synthesized)).toEqual({});
    expect(judged.get(`${RULE}.${ruleOf(synthesized.json, 'portal', 'https')[0]}`)).toBe('compliant');
    expect([...judged.values()].filter((v) => v !== 'n/a')).toHaveLength(1);
  });

  test.each(['Default', undefined])('fails the portal rule with load_distribution %p', (distribution) => {
    const prod = shipped('prod');
    const [name, rule] = ruleOf(prod.json, 'portal', 'https');
    if (distribution === undefined) delete rule.load_distribution;
    else rule.load_distribution = distribution;
    expect(violations(portalStickySessions, prod)).toEqual({ [`${RULE}.${name}`]: 'load_distribution is Default, not SourceIP' });
  });
});

describe('MFAHA-LB-02 with one-way SMS OTP, the mfaapp Web Service SDK rule is sticky (SourceIP)', () => {
  test('holds for prod, which uses SMS OTP; judges only the SDK rule, not replication or RADIUS', () => {
    const prod = shipped('prod');
    const judged = verdicts(mfaSdkStickySessions, prod);
    expect(violations(mfaSdkStickySessions, prod)).toEqual({});
    expect(judged.get(`${RULE}.${ruleOf(prod.json, 'mfa', 'web-service-sdk')[0]}`)).toBe('compliant');
    expect(judged.get(`${RULE}.${ruleOf(prod.json, 'mfa', 'replication')[0]}`)).toBe('n/a');
    expect([...judged.values()].filter((v) => v !== 'n/a')).toHaveLength(1);
  });

  test('fails a stateless SDK rule when SMS OTP is on', () => {
    const prod = shipped('prod');
    const [name, rule] = ruleOf(prod.json, 'mfa', 'web-service-sdk');
    rule.load_distribution = 'Default';
    expect(violations(mfaSdkStickySessions, prod)).toEqual({ [`${RULE}.${name}`]: 'load_distribution is Default, not SourceIP' });
  });

  test('does not apply when SMS OTP is off (dev): the stateless rule is right there', () => {
    const dev = shipped('dev');
    expect(ruleOf(dev.json, 'mfa', 'web-service-sdk')[1].load_distribution).toBe('Default');
    expect([...verdicts(mfaSdkStickySessions, dev).values()].every((v) => v === 'n/a')).toBe(true);
    // AND the same Terraform fails once the environment says SMS OTP is on
    expect(Object.keys(violations(mfaSdkStickySessions, { ...dev, inputs: { ...dev.inputs, smsOtpEnabled: true } }))).toHaveLength(1);
  });
});
