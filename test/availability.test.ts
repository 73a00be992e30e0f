import * as fs from 'fs';
import * as path from 'path';
import type { EnvironmentInput } from '../config/schema';
import { analyze } from '../tools/failures/analysis';
import { failuresNamed, singleFailures } from '../tools/failures/failures';
import { failureModelOf, FailureModel } from '../tools/failures/model';
import { EXCEPTIONS, formatViolation, keepsPromise, promiseViolations } from '../tools/failures/promises';
import { withGeneratedSections } from '../tools/readme-tables';
import type { StackJson } from '../tools/terraform-json';
import { ROOT, shippedInput, synthObject, variant } from './helpers';

/*
 * The design's promise, held for every shipped environment on its synthesized stack: with any single server down,
 * every journey still serves; with the master down, authentication serves and administrative changes stop; with any
 * single zone down, every journey serves, or the README states the exception and why (tools/failures/promises.ts).
 * Each promise is also run on a deliberately broken variant, which must break it.
 */

/** The shipped environment files, so that a new one is held to the promise without touching this test. */
const SHIPPED = fs
  .readdirSync(path.join(ROOT, 'environments'))
  .filter((f) => f.endsWith('.json') && !f.includes('schema'))
  .map((f) => f.replace(/\.json$/, '')) as ('dev' | 'prod')[];

const modelOf = (input: EnvironmentInput | StackJson) => failureModelOf(('resource' in input ? input : synthObject(input as EnvironmentInput)) as StackJson);

/** Any single zone down: every journey serves, or an exception the README states accepts it. */
const zoneViolations = (model: FailureModel) => promiseViolations(model).filter((v) => v.failure.startsWith('zone '));

/** The master down: each authentication journey serves, and administrative changes stop. */
function masterPromise(model: FailureModel): string[] {
  const outcomes = analyze(model, failuresNamed(model, 'master')[0]);
  return [
    ...outcomes.filter((o) => o.spec.authentication && !keepsPromise(o)).map((o) => `${o.title} ${o.status}`),
    ...outcomes.filter((o) => o.spec.key === 'admin-change' && o.status !== 'stops').map((o) => `${o.title} ${o.status}`),
  ];
}

describe.each(SHIPPED)('the promise of the shipped %s', (name) => {
  const model = modelOf(shippedInput(name));

  test('with no failure, and any single server down, every journey serves or an exception says why', () => {
    expect(
      promiseViolations(model)
        .filter((v) => !v.failure.startsWith('zone '))
        .map(formatViolation),
    ).toEqual([]);
    expect(singleFailures(model).filter((f) => f.kinds.includes('server')).length).toBe(model.servers.length);
  });

  test('with the master down, authentication serves and administrative changes stop', () => {
    expect(masterPromise(model)).toEqual([]);
  });

  test('with any single zone down, every journey serves, or the README states the exception and why', () => {
    expect(zoneViolations(model).map(formatViolation)).toEqual([]);
  });
});

describe('the exceptions to the promise', () => {
  test('are each stated in the README, with why (a generated section)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(withGeneratedSections(readme)).toBe(readme);
    for (const e of EXCEPTIONS) expect(readme).toContain(e.why);
  });

  test('are each needed by a shipped environment or a stage of prod: none is stated for nothing', () => {
    // (the stage fixtures are checked in test/tools/failure-stages.test.ts)
    const used = new Set<string>();
    for (const name of SHIPPED) {
      const model = modelOf(shippedInput(name));
      for (const failure of [...singleFailures(model)])
        for (const o of analyze(model, failure)) if (!keepsPromise(o)) used.add(o.hops.find((h) => h.status !== 'serves')?.cause ?? '');
    }
    expect(EXCEPTIONS.filter((e) => !e.causes.some((c) => used.has(c))).map((e) => e.key)).toEqual([]);
  });
});

/*
 * The broken variants. Each is what a plausible mistake in the code or the configuration would synthesize; each must
 * break the promise it is about, naming the failure, the journey and the hop.
 */
describe('a deliberately broken variant breaks each promise', () => {
  const prodJson = () => synthObject(variant('prod')) as any;

  test('the replication rule pointed at every server: replication reaches subordinates, with no failure at all', () => {
    const json = prodJson();
    const rules = json.resource.azurerm_lb_rule;
    const key = (part: string) => Object.keys(rules).find((k) => k.includes(part))!;
    rules[key('rule-replication')].backend_address_pool_ids = rules[key('rule-web-service-sdk')].backend_address_pool_ids;
    expect(promiseViolations(modelOf(json)).map(formatViolation)).toContain(
      "no failure: replication from mfa-2 stops at mfa (lbi-mfaha-prod-mfaapp/replication): the rule's pool mfa-servers holds mfa-2 (subordinate), mfa-3 (subordinate): it must reach the master alone",
    );
  });

  test('both servers of a tier in one zone: that zone takes the user portal down', () => {
    const json = prodJson();
    const vms = json.resource.azurerm_windows_virtual_machine;
    vms[Object.keys(vms).find((k) => k.startsWith('portal_servers_portal-2_'))!].zone = '1';
    expect(zoneViolations(modelOf(json)).map(formatViolation)).toEqual([
      'zone 1 down: user portal and mobile app web service stops at portal (lbi-mfaha-prod-portal/https): portal-1, portal-2 down',
    ]);
  });

  test('egress through one NAT gateway without a zone: any zone may take every MFA request down', () => {
    const model = modelOf(variant('prod', (c) => (c.network.egress = { mode: 'natGateway' })));
    expect(zoneViolations(model).map(formatViolation)).toContain(
      'zone 2 down: sign-in from the Internet stops at mfa → the Azure MFA service: mfa: NAT gateway ng-mfaha-prod has no zone: Azure placed it in one zone it does not show, which may be the one down',
    );
  });

  test('a master whose journeys do not stop: the admin change routed to every MFA server breaks the master promise', () => {
    // GIVEN every MFA server tagged master (the role the journey follows)
    const json = prodJson();
    for (const vm of Object.values<any>(json.resource.azurerm_windows_virtual_machine)) if (vm.tags.tier === 'mfa') vm.tags.role = 'master';
    // THEN "the master down" takes one of three masters, and administrative changes do not stop: the promise says they must
    expect(masterPromise(modelOf(json))).toEqual(['administrative change (users, settings, PINs) serves']);
  });
});

describe('the fix for egress that rests on one zone: network.egress.zoneRedundant', () => {
  test('egress of every tier through zone-redundant outbound rules keeps every journey through any single zone', () => {
    const model = modelOf(variant('prod', (c) => (c.network.egress = { mode: 'natGateway', zoneRedundant: true })));
    expect(zoneViolations(model).map(formatViolation)).toEqual([]);
    expect(new Set([...model.egress.values()].map((e) => `${e.kind} ${'zones' in e ? e.zones.join(',') : ''}`))).toEqual(new Set(['outbound-rule 1,2,3']));
  });

  test('prod with it: the proxies leave through their own zone-redundant load balancer, and no zone takes their patching', () => {
    const model = modelOf(variant('prod', (c) => (c.network.egress.zoneRedundant = true)));
    expect(model.egress.get('wap-1')).toMatchObject({ kind: 'outbound-rule', name: 'lbe-mfaha-prod-wap', zones: ['1', '2', '3'] });
    const stopsOrShrinks = failuresNamed(model, 'zone').flatMap((z) =>
      analyze(model, z).flatMap((o) => o.hops.filter((h) => h.cause === 'egress-zone').map((h) => `${z.label}: ${o.title} at ${h.hop}`)),
    );
    expect(stopsOrShrinks).toEqual([]);
  });
});
