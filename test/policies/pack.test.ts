import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { POLICY_RULES } from '../../constructs/policies/catalog';
import { evaluatePolicies, formatFinding, PolicyError, PolicyPack } from '../../constructs/policies/pack';
import { nonCompliant } from '../../constructs/policies/rule';
import type { TerraformJsonInput } from '../../constructs/policies/stack-view';
import { suppress, suppressionsIn } from '../../constructs/policies/suppress';
import { MfaHaStack } from '../../stacks/mfa-ha-stack';
import { main } from '../../stacks/synthesize';
import { stackOf, variant, workstationEnv } from '../helpers';
import { shipped } from './fixtures';

/** An NSG rule that opens RDP to the Internet, added to a real stack. */
function openRdp(stack: MfaHaStack, id = 'open-rdp') {
  return new NetworkSecurityRule(stack.network.nsgs.mfa!, id, {
    name: id,
    resourceGroupName: 'rg',
    networkSecurityGroupName: stack.network.nsgs.mfa!.name,
    priority: 300,
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourcePortRange: '*',
    sourceAddressPrefix: 'Internet',
    destinationAddressPrefix: '*',
    destinationPortRange: '3389',
  });
}

const synthError = (stack: TerraformStack) => {
  try {
    Testing.synth(stack);
  } catch (e) {
    return e;
  }
  throw new Error('synth passed');
};

describe('the policy pack', () => {
  test('holds one rule per id, each with a message and an explanation', () => {
    expect(new Set(POLICY_RULES.map((r) => r.id)).size).toBe(POLICY_RULES.length);
    for (const r of POLICY_RULES) {
      expect(r.id).toMatch(/^MFAHA-[A-Z]+-\d\d$/);
      expect(r.message.length).toBeGreaterThan(10);
      expect(r.explanation.length).toBeGreaterThan(20);
    }
  });

  test.each(['dev', 'prod'] as const)('passes the shipped %s environment with no suppression', (name) => {
    const { json, inputs } = shipped(name);
    const report = evaluatePolicies(json, inputs);
    expect(report.violations.map(formatFinding)).toEqual([]);
    expect(report.suppressed).toEqual([]);
  });

  test('judges something with every rule in prod: no rule passes by never applying', () => {
    const { json, inputs } = shipped('prod');
    const { compliant } = evaluatePolicies(json, inputs);
    for (const r of POLICY_RULES) expect([r.id, compliant[r.id]]).toEqual([r.id, expect.any(Number)]);
    expect(Object.entries(compliant).filter(([, n]) => n === 0)).toEqual([]);
  });

  test('fails the synth of a stack that opens RDP to the Internet, one line per violation with rule id, address and reason', () => {
    // GIVEN a real prod stack with an extra rule that opens RDP to the Internet
    const input = variant('prod');
    const stack = stackOf(input);
    const address = `azurerm_network_security_rule.${openRdp(stack).friendlyUniqueId}`;
    // WHEN synthesized (the pack is an Aspect: it runs with or without validations)
    const error = synthError(stack) as PolicyError;
    // THEN it fails with a PolicyError naming both broken rules
    expect(error).toBeInstanceOf(PolicyError);
    expect(error.message.split('\n')).toEqual([
      `prod: MFAHA-NET-01 ${address}: only the WAP listeners take connections from the Internet (open-rdp lets the Internet reach *, outside the WAP subnet ${input.network.subnets.wap})`,
      `prod: MFAHA-NET-03 ${address}: no RDP, SSH or WinRM from the Internet (open-rdp lets Internet reach port 3389)`,
    ]);
  });

  test('lets a suppression with a reason waive a rule for a construct and what is below it, and reports it', () => {
    const stack = stackOf(variant('prod'));
    const rule = openRdp(stack);
    suppress(rule, 'MFAHA-NET-01', 'break-glass access during the migration window');
    suppress(stack.network.nsgs.mfa!, 'MFAHA-NET-03', 'break-glass access during the migration window');
    expect(() => Testing.synth(stack)).not.toThrow();
    const report = evaluatePolicies(stack.toTerraform() as TerraformJsonInput, shipped('prod').inputs, suppressionsIn(stack));
    expect(report.violations).toEqual([]);
    expect(report.suppressed.map((s) => [s.ruleId, s.suppression.path])).toEqual([
      ['MFAHA-NET-01', 'prod/network/mfa-nsg/open-rdp'],
      ['MFAHA-NET-03', 'prod/network/mfa-nsg'],
    ]);
  });

  test('does not let a suppression elsewhere or of another rule cover a violation', () => {
    const stack = stackOf(variant('prod'));
    openRdp(stack);
    suppress(stack.network.nsgs.wap!, 'MFAHA-NET-03', 'a waiver on the wrong construct');
    suppress(stack.network.nsgs.mfa!, 'MFAHA-NET-02', 'a waiver of the wrong rule');
    expect((synthError(stack) as Error).message.split('\n')).toHaveLength(2);
  });

  test.each([
    ['MFAHA-NET-03', 'because', /reason of at least 10 characters/],
    ['MFAHA-NET-03', '          ', /reason of at least 10 characters/],
    ['MFAHA-XX-99', 'a long enough reason', /no policy rule MFAHA-XX-99/],
  ])('refuses suppress(%p, %p)', (id, reason, error) => {
    const stack = stackOf(variant('dev'));
    expect(() => suppress(stack, id, reason)).toThrow(error);
  });

  test('checks a small hand-made stack: a NIC with a public IP fails', () => {
    // GIVEN a stack with nothing but one NIC that has a public IP, and the pack
    const stack = new TerraformStack(Testing.app(), 'tiny');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    new NetworkInterface(stack, 'nic', {
      name: 'nic',
      location: 'westeurope',
      resourceGroupName: 'rg',
      ipConfiguration: [{ name: 'primary', subnetId: 'subnet', privateIpAddressAllocation: 'Dynamic', publicIpAddressId: 'pip' }],
    });
    Aspects.of(stack).add(new PolicyPack(shipped('dev').inputs));
    // THEN the synth fails on that NIC
    expect(() => Testing.synth(stack)).toThrow(
      'tiny: MFAHA-NET-02 azurerm_network_interface.nic: no public IP on a network interface (IP configuration primary has public IP pip)',
    );
  });
});

describe('a policy violation at the command line', () => {
  let dir = '';
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-policy-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('prints one "error:" line per violation, exits 1 and leaves the earlier cdktf.out untouched', () => {
    // GIVEN an earlier cdktf.out and a rule that (for this test) finds every load balancer at fault
    const outdir = path.join(dir, 'cdktf.out');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'marker'), 'earlier run');
    const spread = POLICY_RULES.find((r) => r.id === 'MFAHA-HA-01')!;
    jest.spyOn(spread, 'rule').mockImplementation((resource) => (resource.type === 'azurerm_lb' ? nonCompliant('injected for the test') : 'n/a'));
    const stderr: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
    const exitCode = process.exitCode;
    try {
      // WHEN the app runs on dev
      fs.writeFileSync(path.join(dir, 'dev.json'), JSON.stringify(variant('dev')));
      main({ MFA_HA_CONFIG: path.join(dir, 'dev.json'), CDKTF_OUTDIR: outdir, ...workstationEnv() });
      // THEN
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = exitCode;
      jest.restoreAllMocks();
    }
    const errors = stderr
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(4);
    for (const line of errors) expect(line).toMatch(/^error: dev: MFAHA-HA-01 azurerm_lb\.\S+: every load-balanced tier .* \(injected for the test\)$/);
    expect(stderr.join('')).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(dir).sort()).toEqual(['cdktf.out', 'dev.json']);
    expect(fs.readdirSync(outdir)).toEqual(['marker']);
  });
});
