import { prodAtStage } from '../config/fixtures';
import { synthObject, variant } from '../helpers';
import { analyze, journeysOf } from '../../tools/failures/analysis';
import { firings, unmappedAlerts } from '../../tools/failures/alerts';
import { combine, failuresNamed, noFailure, singleFailures } from '../../tools/failures/failures';
import { failureModelOf } from '../../tools/failures/model';
import type { StackJson } from '../../tools/terraform-json';

/*
 * The failure model reads what would be deployed: the synthesized Terraform JSON. These tests give it the shipped
 * stacks and stacks edited the way a change of code would edit them, and compare what it reads and replays.
 */

const prodJson = () => synthObject(variant('prod')) as unknown as StackJson;
const prod = failureModelOf(prodJson());
const outcome = (model: typeof prod, failureId: string, journey: string) => {
  const failure = failureId === 'none' ? noFailure() : [...singleFailures(model)].find((f) => f.id === failureId)!;
  return analyze(model, failure).find((o) => o.key === journey)!;
};

describe('the failure model of prod', () => {
  test('reads every server with its tier, zone and role: the MFA master from its role tag, the WID primary from the Run Command that creates the farm', () => {
    expect(prod.servers.map((s) => `${s.id} ${s.zone} ${s.role}${s.widPrimary ? ' wid-primary' : ''}`)).toEqual([
      'adfs-1 1 adfs wid-primary',
      'adfs-2 2 adfs',
      'adfs-3 3 adfs',
      'mfa-1 1 master',
      'mfa-2 2 subordinate',
      'mfa-3 3 subordinate',
      'portal-1 1 portal',
      'portal-2 2 portal',
      'wap-1 1 wap',
      'wap-2 2 wap',
      'wap-3 3 wap',
    ]);
    expect(prod.zones).toEqual(['1', '2', '3']);
  });

  test('reads each load balancer rule with the servers of its pool: replication reaches the master alone, the portal is sticky', () => {
    const rules = prod.loadBalancers.flatMap((lb) =>
      lb.rules.map((r) => `${lb.name}/${r.name} ${r.protocol.toLowerCase()}/${r.frontendPort} [${r.members.join(',')}]${r.sticky ? ' sticky' : ''}`),
    );
    expect(rules).toEqual(
      expect.arrayContaining([
        'lbi-mfaha-prod-mfaapp/replication tcp/4443 [mfa-1]',
        'lbi-mfaha-prod-mfaapp/radius-auth udp/1812 [mfa-1,mfa-2,mfa-3] sticky',
        'lbi-mfaha-prod-portal/https tcp/443 [portal-1,portal-2] sticky',
        'lbe-mfaha-prod-wap/https tcp/443 [wap-1,wap-2,wap-3]',
      ]),
    );
    expect(prod.loadBalancers.map((lb) => `${lb.name} ${lb.tier} zones ${lb.frontendZones.join(',')}`)).toEqual([
      'lbi-mfaha-prod-adfs adfs zones 1,2,3',
      'lbi-mfaha-prod-mfaapp mfa zones 1,2,3',
      'lbi-mfaha-prod-portal portal zones 1,2,3',
      'lbe-mfaha-prod-wap wap zones 1,2,3',
    ]);
  });

  test("reads each server's egress path: the hub route for the internal tiers, the NAT gateway (no zone) for the proxies", () => {
    expect(prod.egress.get('mfa-1')).toEqual({ kind: 'route', id: 'route:rt-mfaha-prod', name: 'rt-mfaha-prod', nextHop: '10.0.1.4' });
    expect(prod.egress.get('wap-2')).toEqual({ kind: 'nat-gateway', id: 'nat:ng-mfaha-prod', name: 'ng-mfaha-prod', zones: [] });
  });

  test("reads the vaults: the certificate vault every tier reads, and the environment's own, read by deployments only", () => {
    expect(prod.vaults).toEqual([
      { name: 'kv-identity-certs', readers: ['wap', 'adfs', 'portal', 'mfa'] },
      { name: 'kv-mfaha-prod-01', readers: [] },
    ]);
  });

  test('reads the rings in the order of their windows, and every alert by its criteria', () => {
    expect(prod.rings.map((r) => `${r.name}: ${r.servers.join(',')}`)).toEqual([
      'ring-1: adfs-2,portal-1,wap-1',
      'ring-2: adfs-3,mfa-2,portal-2,wap-2',
      'ring-3: mfa-3,wap-3',
      'primaries: adfs-1,mfa-1',
    ]);
    expect(prod.alerts.filter((a) => a.kind === 'probe').length).toBe(9);
    expect(prod.alerts.filter((a) => a.kind !== 'probe').map((a) => `${a.kind} ${a.name}`)).toEqual([
      'resource-health alert-mfaha-prod-servers-unavailable',
      'query alert-mfaha-prod-certificate-near-expiry',
      'query alert-mfaha-prod-proxy-trust-broken',
      'query alert-mfaha-prod-renewal-failed',
      'heartbeat alert-mfaha-prod-heartbeat-missing',
      'query alert-mfaha-prod-patch-run-failed',
    ]);
    expect(unmappedAlerts(prod)).toEqual([]);
  });

  test('finds the WID primary wherever the farm is created: moving the creation to adfs-2 moves the role', () => {
    const json = prodJson() as any;
    const commands = json.resource.azurerm_virtual_machine_run_command;
    const [first, second] = ['adfs-1', 'adfs-2'].map((id) => Object.keys(commands).find((k) => k.startsWith(`adfs_servers_${id}_adfs-farm`))!);
    [commands[first].source, commands[second].source] = [commands[second].source, commands[first].source];
    expect(
      failureModelOf(json)
        .servers.filter((s) => s.widPrimary)
        .map((s) => s.id),
    ).toEqual(['adfs-2']);
  });
});

describe('replaying failures on prod', () => {
  test('the master down: authentications keep serving on the subordinates, administrative changes and replication stop at the master', () => {
    const outcomes = analyze(prod, failuresNamed(prod, 'master')[0]);
    const status = Object.fromEntries(outcomes.map((o) => [o.key, o.status]));
    expect(status).toMatchObject({
      'internet-sign-in': 'degraded',
      'certificate-auth': 'serves',
      'radius:lbi-mfaha-prod-mfaapp': 'degraded',
      'admin-change': 'stops',
      'replication:mfa-2': 'stops',
    });
    expect(outcomes.find((o) => o.key === 'internet-sign-in')!.hops.map((h) => `${h.hop} ${h.status} ${h.capacity?.up}/${h.capacity?.total}`)).toEqual([
      'wap (lbe-mfaha-prod-wap/https) serves 3/3',
      'adfs (lbi-mfaha-prod-adfs/https) serves 3/3',
      'mfa (lbi-mfaha-prod-mfaapp/web-service-sdk) degraded 2/3',
      'mfa → the Azure MFA service serves 2/2',
    ]);
    expect(outcomes.find((o) => o.key === 'admin-change')!.hops[0]).toMatchObject({
      status: 'stops',
      cause: 'role:master',
      why: expect.stringContaining('changes to the MFA database stop'),
    });
  });

  test("the hub route down: every MFA request stops at the MFA servers' egress, naming the route", () => {
    expect(outcome(prod, 'egress:route:rt-mfaha-prod', 'internet-sign-in').hops.at(-1)).toMatchObject({
      hop: 'mfa → the Azure MFA service',
      status: 'stops',
      cause: 'egress',
      why: 'mfa: the hub route (rt-mfaha-prod → 10.0.1.4) is down',
    });
  });

  test("a zone down with a NAT gateway that has no zone: the proxies' patching may lose its egress, nothing of sign-in does", () => {
    const patching = outcome(prod, 'zone:2', 'patch-ring');
    expect(patching).toMatchObject({ status: 'degraded' });
    expect(patching.hops[0]).toMatchObject({ cause: 'egress-zone', capacity: { up: 5, total: 7 } });
  });

  test('an NSG rule added to a subnet is evaluated with the rest: a deny of the Internet before the MFA service flow stops sign-in at it', () => {
    const mfaSubnet = prod.servers.find((s) => s.id === 'mfa-1')!.subnetKey;
    const deny = {
      name: 'chaos-deny',
      priority: 99,
      direction: 'Outbound' as const,
      access: 'Deny' as const,
      protocol: '*',
      sourcePrefixes: ['*'],
      destinationPrefixes: ['Internet'],
      sourcePorts: ['*'],
      destinationPorts: ['*'],
    };
    const failure = { ...noFailure(), id: 'nsg', kinds: ['nsg-fault' as const], label: 'deny', rules: [{ subnetKey: mfaSubnet, rule: deny }] };
    expect(
      analyze(prod, failure)
        .find((o) => o.key === 'internet-sign-in')!
        .hops.at(-1),
    ).toMatchObject({ status: 'stops', cause: 'nsg', why: 'mfa: denied by nsg-mfaha-prod-mfa/chaos-deny' });
  });

  test('what a broken pool does: the replication rule pointed at every server reaches subordinates, which the journey refuses', () => {
    const json = prodJson() as any;
    const rules = json.resource.azurerm_lb_rule;
    const replication = Object.keys(rules).find((k) => k.includes('rule-replication'))!;
    const sdk = Object.keys(rules).find((k) => k.includes('rule-web-service-sdk'))!;
    rules[replication].backend_address_pool_ids = rules[sdk].backend_address_pool_ids;
    expect(analyze(failureModelOf(json), noFailure()).find((o) => o.key === 'replication:mfa-2')!.hops[0]).toMatchObject({
      status: 'stops',
      cause: 'misrouted',
      why: "the rule's pool mfa-servers holds mfa-2 (subordinate), mfa-3 (subordinate): it must reach the master alone",
    });
  });
});

describe("the alerts each failure must fire (read from the alerts' criteria)", () => {
  const fired = (id: string) => {
    const failure = id === 'none' ? noFailure() : [...singleFailures(prod)].find((f) => f.id === id)!;
    return firings(prod, failure, analyze(prod, failure)).map((f) => f.alert.replace('alert-mfaha-prod-', ''));
  };

  test("a subordinate down fires its tier's degraded alert, Resource Health and the heartbeat alert, not the master's", () => {
    expect(fired('server:mfa-2')).toEqual(['mfa-degraded', 'servers-unavailable', 'heartbeat-missing']);
  });

  test('the master down fires master-down too; the WID primary down fires the renewal alerts when a renewal falls due', () => {
    expect(fired('server:mfa-1')).toEqual(['mfa-degraded', 'mfa-master-down', 'servers-unavailable', 'heartbeat-missing']);
    expect(fired('server:adfs-1')).toEqual(['adfs-degraded', 'servers-unavailable', 'certificate-near-expiry', 'renewal-failed', 'heartbeat-missing']);
  });

  test("a stopped server is not probed: Chaos Studio's shutdown of the master fires Resource Health and the heartbeat alert, no probe alert", () => {
    const stopped = { ...failuresNamed(prod, 'master')[0], stopped: true };
    expect(firings(prod, stopped, analyze(prod, stopped)).map((f) => f.alert)).toEqual([
      'alert-mfaha-prod-servers-unavailable',
      'alert-mfaha-prod-heartbeat-missing',
    ]);
  });

  test('a tier that loses its egress stops sending heartbeats: the hub route and the NAT gateway each fire heartbeat-missing, naming the servers cut off', () => {
    const failures = singleFailures(prod);
    const firedBy = failures.filter((f) => firings(prod, f, analyze(prod, f)).some((x) => x.alert === 'alert-mfaha-prod-heartbeat-missing')).map((f) => f.id);
    // every egress path, and whatever takes a server down (a stopped server sends no heartbeat either)
    expect(firedBy).toEqual([
      ...prod.servers.map((s) => `server:${s.id}`),
      'zone:1',
      'zone:2',
      'zone:3',
      'egress:route:rt-mfaha-prod',
      'egress:nat:ng-mfaha-prod',
    ]);
    const why = (id: string) => {
      const f = failures.find((x) => x.id === id)!;
      return firings(prod, f, analyze(prod, f)).find((x) => x.alert === 'alert-mfaha-prod-heartbeat-missing')!.why;
    };
    expect(why('egress:route:rt-mfaha-prod')).toBe(
      'adfs-1, adfs-2, adfs-3, mfa-1, mfa-2, mfa-3, portal-1, portal-2 send no heartbeat to Azure Monitor: the hub route (rt-mfaha-prod → 10.0.1.4) is down',
    );
    expect(why('egress:nat:ng-mfaha-prod')).toBe('wap-1, wap-2, wap-3 send no heartbeat to Azure Monitor: NAT gateway ng-mfaha-prod is down');
    // no egress failure goes unseen any more
    for (const f of failures.filter((x) => x.kinds.includes('egress')))
      expect(firings(prod, f, analyze(prod, f)).filter((x) => !x.conditional).length).toBeGreaterThan(0);
  });

  test('no failure fires nothing; each alert is tied to the failures that must fire it', () => {
    expect(fired('none')).toEqual([]);
    const failures = [...singleFailures(prod), ...failuresNamed(prod, 'zone').flatMap((z) => failuresNamed(prod, 'ring').map((r) => combine(z, r)))];
    const firedBy = (alert: string) =>
      failures.filter((f) => firings(prod, f, analyze(prod, f)).some((x) => x.alert === `alert-mfaha-prod-${alert}`)).map((f) => f.id);
    // the master's alert: whatever takes mfa-1 down, and nothing else
    expect(firedBy('mfa-master-down').filter((id) => !id.includes('+'))).toEqual(['server:mfa-1', 'zone:1']);
    expect(firedBy('mfa-master-down').every((id) => /mfa-1|zone:1|primaries/.test(id))).toBe(true);
    // a tier's degraded alert: each of its servers, and each zone it stands in
    expect(firedBy('portal-degraded').filter((id) => !id.includes('+'))).toEqual(['server:portal-1', 'server:portal-2', 'zone:1', 'zone:2']);
    // Resource Health: every server and zone
    expect(firedBy('servers-unavailable').filter((id) => !id.includes('+'))).toEqual([
      ...prod.servers.map((s) => `server:${s.id}`),
      'zone:1',
      'zone:2',
      'zone:3',
    ]);
    // the renewal's alerts: the WID primary, its zone, the certificate vault
    expect(firedBy('renewal-failed').filter((id) => !id.includes('+'))).toEqual(['server:adfs-1', 'zone:1', 'vault:kv-identity-certs']);
    // the proxies' trust: when they cannot reach the farm; a failed patch run: when servers cannot reach Windows Update
    expect(firedBy('proxy-trust-broken')).toEqual(['load-balancer:lbi-mfaha-prod-adfs']);
    expect(firedBy('patch-run-failed').filter((id) => !id.includes('+'))).toEqual([
      'zone:1',
      'zone:2',
      'zone:3',
      'egress:route:rt-mfaha-prod',
      'egress:nat:ng-mfaha-prod',
    ]);
    // a tier down: only when every server behind it fails; a zone during a ring does it for the two portal servers alone
    expect(firedBy('portal-down')).toEqual(['zone:1+ring:ring-2', 'zone:2+ring:ring-1']);
    for (const tier of ['mfa', 'adfs', 'wap']) {
      expect(firedBy(`${tier}-down`)).toEqual([]);
      const all = prod.servers.filter((s) => s.tier === tier).map((s) => s.id);
      const together = { ...noFailure(), id: `${tier}-all`, label: `every ${tier} server`, servers: all };
      expect(firings(prod, together, analyze(prod, together)).map((f) => f.alert)).toContain(`alert-mfaha-prod-${tier}-down`);
    }
  });
});

describe('the failure model follows the migration stage', () => {
  test('at stage entra, RADIUS through the mfaapp address reaches the NPS servers, as its synthesized rules say, and goes on to Microsoft Entra MFA', () => {
    const entra = failureModelOf(synthObject(prodAtStage('entra')) as unknown as StackJson);
    const radius = analyze(entra, noFailure()).find((o) => o.key === 'radius:lbi-mfaha-prod-mfaapp')!;
    expect(radius.hops.map((h) => h.hop)).toEqual(['mfa (lbi-mfaha-prod-mfaapp/radius-auth)', 'nps → Microsoft Entra MFA']);
    expect(radius.status).toBe('serves');
    expect(journeysOf(entra).map((j) => j.key)).not.toContain('portal');
  });
});
