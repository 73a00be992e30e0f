import { allowedFlows, FAULT_INJECTION_PRIORITY } from '../../constructs/traffic-flows';
import { flowOptionsOf } from '../../stacks/environment-options';
import { experimentPlansOf, predictionLine } from '../../tools/failures/experiments';
import { failureModelOf } from '../../tools/failures/model';
import type { StackJson } from '../../tools/terraform-json';
import { synthObject, validate, variant } from '../helpers';

/*
 * The Chaos Studio experiments as plans: one per failure class, each with the outcome the failure model predicts,
 * replayed on the same model the failure table reads (tools/failures/experiments.ts).
 */
const prod = failureModelOf(synthObject(variant('prod')) as unknown as StackJson);
const plans = experimentPlansOf(prod);
const plan = (key: string) => plans.find((p) => p.key === key)!;

describe('the experiments of prod', () => {
  test('one per failure class: the master, one server of each tier, each zone, each egress path', () => {
    expect(plans.map((p) => `${p.key}: ${p.fault.kind} ${'servers' in p.fault ? p.fault.servers.join(',') : p.fault.tiers.join(',')}`)).toEqual([
      'master-shutdown: shutdown mfa-1',
      'adfs-server-shutdown: shutdown adfs-3',
      'mfa-server-shutdown: shutdown mfa-3',
      'portal-server-shutdown: shutdown portal-2',
      'wap-server-shutdown: shutdown wap-3',
      'zone-1-shutdown: shutdown adfs-1,mfa-1,portal-1,wap-1',
      'zone-2-shutdown: shutdown adfs-2,mfa-2,portal-2,wap-2',
      'zone-3-shutdown: shutdown adfs-3,mfa-3,wap-3',
      'deny-egress-hub-route: deny-egress adfs,mfa,portal',
      'deny-egress-nat-gateway: deny-egress wap',
    ]);
  });

  test('the master shut down: authentication serves, administrative changes stop; a stopped server is not probed, so Resource Health and the heartbeat alert fire, no probe alert', () => {
    expect(predictionLine(plan('master-shutdown').prediction)).toBe(
      'expect serve: cert-auth, renewal, patching; degraded: internet (mfa 2 of 3), intranet (mfa 2 of 3), radius mfa (mfa 2 of 3), portal (mfa 2 of 3); stop: admin, repl mfa-2, repl mfa-3; alerts: alert-mfaha-prod-servers-unavailable, alert-mfaha-prod-heartbeat-missing',
    );
  });

  test("the hub route blocked: every MFA request stops at the MFA servers' egress, denied by the fault's rule", () => {
    const { stop, degraded } = plan('deny-egress-hub-route').prediction;
    expect(stop).toEqual(['internet', 'intranet', 'radius mfa', 'portal']);
    // the proxies, outside the fault, still renew and patch: those journeys shrink to them
    expect(degraded).toEqual(['renewal (adfs, mfa, portal, wap 3 of 11)', 'patching (ring servers 3 of 11)']);
  });
});

describe('the NSG fault that blocks egress', () => {
  test.each(['dev', 'prod'] as const)('%s: its priority is free in every NSG and comes before every flow that leaves the virtual network', (name) => {
    const flows = allowedFlows(flowOptionsOf(validate(variant(name))));
    expect(flows.filter((f) => f.priority === FAULT_INJECTION_PRIORITY)).toEqual([]);
    const leaving = flows.filter((f) => f.from.kind === 'tier' && f.to.kind !== 'tier' && !(f.to.kind === 'cidrs' && f.to.label === 'domain-controllers'));
    expect(leaving.filter((f) => f.priority <= FAULT_INJECTION_PRIORITY).map((f) => `${f.name} ${f.priority}`)).toEqual([]);
  });
});
