import * as fs from 'fs';
import * as path from 'path';
import { intranetNote } from '../config/dns-records';
import { allowedFlows } from '../constructs/traffic-flows';
import { flowOptionsOf } from '../stacks/environment-options';
import { analyze } from '../tools/failures/analysis';
import { failuresNamed, noFailure } from '../tools/failures/failures';
import { journeysOf } from '../tools/failures/instances';
import { failureModelOf } from '../tools/failures/model';
import { failureRows, renderText } from '../tools/failures/report';
import { StackJson } from '../tools/terraform-json';
import { runMfaHa } from './cli-harness';
import { configErrorOf, fixtureEnvironments, synthObject, validate, variant } from './helpers';

/*
 * Sign-in from the intranet (adfs.intranetClientCidrs): users inside resolve the federation service name to the AD FS
 * load balancer through the domain controllers (split-brain DNS), so the AD FS subnet must admit their ranges on the
 * ports the farm serves. Without ranges the journey is not offered, and the tools say so.
 */

const INTRANET = '10.100.0.0/16';
const intranetFlows = (input: unknown) =>
  allowedFlows(flowOptionsOf(validate(input)))
    .filter((f) => f.from.kind === 'cidrs' && f.from.label === 'intranet')
    .map((f) => ({
      name: f.name,
      to: f.to.kind === 'tier' ? f.to.tier : f.to.kind,
      ports: f.ports.map(String),
      from: f.from.kind === 'cidrs' ? f.from.cidrs : [],
    }));

describe('the flows of the intranet ranges', () => {
  test('prod: one flow per port the farm serves, from the ranges to the AD FS subnet and nowhere else', () => {
    expect(intranetFlows(variant('prod'))).toEqual([
      { name: 'allow-intranet-to-adfs-https', to: 'adfs', ports: ['tcp/443'], from: [INTRANET] },
      { name: 'allow-intranet-to-adfs-cert-auth', to: 'adfs', ports: ['tcp/49443'], from: [INTRANET] },
    ]);
  });

  test('without certificate authentication, TCP 443 alone', () => {
    expect(intranetFlows(variant('prod', (c) => (c.adfs.certificateAuthenticationEnabled = false))).map((f) => f.ports)).toEqual([['tcp/443']]);
  });

  test('without ranges, no flow', () => {
    expect(intranetFlows(variant('prod', (c) => delete c.adfs.intranetClientCidrs))).toEqual([]);
  });
});

describe('the failure model', () => {
  const prod = failureModelOf(synthObject(variant('prod')) as StackJson);

  test('prod: sign-in from the intranet serves with no failure, through the synthesized NSG, and loses capacity with an AD FS server', () => {
    const outcome = (failure: ReturnType<typeof noFailure>) => analyze(prod, failure).find((o) => o.key === 'intranet-sign-in')!;
    expect(outcome(noFailure()).status).toBe('serves');
    const degraded = outcome(failuresNamed(prod, 'adfs-2')[0]);
    expect([degraded.status, degraded.hops[0].capacity]).toEqual(['degraded', { up: 2, total: 3 }]);
  });

  test('without ranges the journey is not offered, rather than stopping', () => {
    const model = failureModelOf(synthObject(variant('prod', (c) => delete c.adfs.intranetClientCidrs)) as StackJson);
    expect(journeysOf(model).map((j) => j.key)).not.toContain('intranet-sign-in');
    expect(journeysOf(prod).map((j) => j.key)).toContain('intranet-sign-in');
    expect(renderText(model, failureRows(model), 'prod without intranet ranges')).toContain(
      'not offered: sign-in from the intranet: no NSG rule admits intranet clients to the AD FS load balancer (adfs.intranetClientCidrs is empty)',
    );
    expect(renderText(prod, failureRows(prod), 'prod')).not.toContain('not offered');
  });
});

describe('the DNS records', () => {
  /** `mfa-ha dns …args` in this process, on the shipped environments. */
  const runDns = async (...args: string[]) => {
    const dir = fixtureEnvironments();
    try {
      return await runMfaHa(['dns', ...args], { MFA_HA_CONFIG: dir });
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  };

  test('with ranges, the internal record names who reaches the AD FS load balancer; without, it says intranet clients are refused', () => {
    expect(intranetNote(validate(variant('prod')))).toEqual([
      'sts.contoso.com: the internal record points intranet clients (10.100.0.0/16, adfs.intranetClientCidrs) and the proxies at the AD FS load balancer 10.30.0.190.',
    ]);
    expect(intranetNote(validate(variant('prod', (c) => delete c.adfs.intranetClientCidrs)))).toEqual([
      'sts.contoso.com: the internal record points the proxies at the AD FS load balancer 10.30.0.190, which admits no client from outside the virtual network',
      '(adfs.intranetClientCidrs is empty): an intranet user who resolves the name through the domain controllers cannot sign in. Add the intranet ranges.',
    ]);
  });

  test('npm run dns prints it', async () => {
    const run = await runDns('prod');
    expect(run.exitCode).toBeUndefined();
    expect(run.stdout).toContain('#    sts.contoso.com: the internal record points intranet clients (10.100.0.0/16, adfs.intranetClientCidrs)');
  });
});

describe('refused intranet ranges: one line per mistake', () => {
  test.each([
    [
      'a range inside the virtual network',
      ['10.30.0.0/24'],
      'adfs.intranetClientCidrs[0] must lie outside network.addressSpace 10.30.0.0/22 (intranet clients come from outside the virtual network; its tiers have their own flows), got "10.30.0.0/24"',
    ],
    [
      'a range around the virtual network',
      ['10.0.0.0/8'],
      'adfs.intranetClientCidrs[0] must lie outside network.addressSpace 10.30.0.0/22 (intranet clients come from outside the virtual network; its tiers have their own flows), got "10.0.0.0/8"',
    ],
    ['a range twice', [INTRANET, INTRANET], 'adfs.intranetClientCidrs[1] must not repeat adfs.intranetClientCidrs[0], got "10.100.0.0/16"'],
    [
      'the whole Internet',
      ['0.0.0.0/0'],
      'adfs.intranetClientCidrs[0] must be an intranet range, not the whole Internet (the proxies serve the Internet), got "0.0.0.0/0"',
    ],
    ['no CIDR', ['10.100.0.0'], 'adfs.intranetClientCidrs[0] must be'],
  ])('%s', (_what, cidrs, line) => {
    const message = configErrorOf(variant('prod', (c) => (c.adfs.intranetClientCidrs = cidrs)))!;
    expect(message).toContain(`environments/test.json: ${line}`);
    expect(message.split('\n').filter((l) => l.includes('intranetClientCidrs'))).toHaveLength(1);
  });
});
