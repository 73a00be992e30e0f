import { Testing } from 'cdktf';
import { Lb } from '@cdktf/provider-azurerm/lib/lb';
import { LbRule } from '@cdktf/provider-azurerm/lib/lb-rule';
import { LbProbe } from '@cdktf/provider-azurerm/lib/lb-probe';
import { MfaAppTier, MfaAppTierProps } from '../../constructs/mfa-app-tier';
import { domainJoin, ofType, tierProps } from './fixtures';

function synth(overrides: Partial<MfaAppTierProps> = {}): string {
  return Testing.synthScope((scope) => {
    new MfaAppTier(scope, 'mfa', {
      ...tierProps(3),
      masterIndex: 0,
      frontendIp: '10.0.1.254',
      replicationPort: 4443,
      smsOtpEnabled: false,
      domainJoin,
      deletionProtection: true,
      ...overrides,
    });
  });
}

describe('MFA app tier', () => {
  test('balances the Web Service SDK statelessly on TCP 443 by default', () => {
    expect(synth()).toHaveResourceWithProperties(LbRule, {
      name: 'web-service-sdk',
      protocol: 'Tcp',
      frontend_port: 443,
      backend_port: 443,
      load_distribution: 'Default',
    });
  });

  test('sticks clients to one server when one-way SMS OTP is enabled', () => {
    // GIVEN smsOtpEnabled WHEN synthesized THEN the 443 rule uses SourceIP (the HA doc requires stateful balancing)
    expect(synth({ smsOtpEnabled: true })).toHaveResourceWithProperties(LbRule, { name: 'web-service-sdk', load_distribution: 'SourceIP' });
  });

  test('is an internal Standard load balancer with the static mfaapp frontend', () => {
    expect(synth()).toHaveResourceWithProperties(Lb, {
      name: 'lbi-mfaha-test-mfaapp',
      sku: 'Standard',
      frontend_ip_configuration: [expect.objectContaining({ private_ip_address: '10.0.1.254', private_ip_address_allocation: 'Static' })],
    });
  });

  test('sends the replication port to the master only', () => {
    const out = synth({ masterIndex: 1 });
    const rule = ofType(out, 'azurerm_lb_rule').find((r) => r.name === 'replication');
    expect(rule).toMatchObject({ frontend_port: 4443, backend_port: 4443, protocol: 'Tcp' });
    expect(rule.backend_address_pool_ids).toEqual([expect.stringContaining('pool-mfa-master')]);
    const memberships = ofType(out, 'azurerm_network_interface_backend_address_pool_association');
    const masterMembers = memberships.filter((m) => m.backend_address_pool_id.includes('pool-mfa-master'));
    expect(masterMembers).toHaveLength(1);
    expect(masterMembers[0].network_interface_id).toContain('mfa-2_nic');
    expect(memberships.filter((m) => m.backend_address_pool_id.includes('pool-mfa-servers'))).toHaveLength(3);
  });

  test('probes both the SDK and the replication port over TCP', () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(LbProbe, { name: 'web-service-sdk', protocol: 'Tcp', port: 443 });
    expect(out).toHaveResourceWithProperties(LbProbe, { name: 'replication', protocol: 'Tcp', port: 4443 });
  });

  test('tags exactly one master, the others subordinates', () => {
    const roles = ofType(synth({ masterIndex: 2 }), 'azurerm_windows_virtual_machine').map((vm) => [vm.name, vm.tags.role]);
    expect(roles).toEqual([
      ['vm-mfaha-test-mfa-1', 'subordinate'],
      ['vm-mfaha-test-mfa-2', 'subordinate'],
      ['vm-mfaha-test-mfa-3', 'master'],
    ]);
  });

  test('sets Pfsvc_ncan_ip_tcp_port on every server, since any may be promoted', () => {
    const setups = ofType(synth({ replicationPort: 5443 }), 'azurerm_virtual_machine_extension').filter((e) => e.name === 'setup');
    expect(setups).toHaveLength(3);
    for (const setup of setups) {
      const command: string = JSON.parse(setup.settings).commandToExecute;
      expect(command).toContain('HKLM:\\SOFTWARE\\Wow6432Node\\Positive Networks\\PhoneFactor');
      expect(command).toContain("-Name 'Pfsvc_ncan_ip_tcp_port' -PropertyType DWord -Value 5443");
      // Never recreates the key (that would wipe MFA Server's settings on a re-run).
      expect(command).toContain('if (-not (Test-Path');
    }
  });

  test('joins every MFA server to the domain, with the password only in protected settings', () => {
    const joins = ofType(synth(), 'azurerm_virtual_machine_extension').filter((e) => e.type === 'JsonADDomainExtension');
    expect(joins).toHaveLength(3);
    for (const join of joins) {
      expect(join).toMatchObject({ publisher: 'Microsoft.Compute', type_handler_version: '1.3' });
      expect(JSON.parse(join.settings)).toEqual({ Name: 'contoso.com', OUPath: '', User: 'svc-join@contoso.com', Restart: 'true', Options: '3' });
      expect(join.settings).not.toContain('Password');
      expect(join.protected_settings).toContain('data.azurerm_key_vault_secret.join.value');
    }
  });

  test('load-balances RADIUS over UDP with a TCP probe, when configured', () => {
    const out = synth({ radius: { authenticationPort: 1812, accountingPort: 1813 } });
    const rules = ofType(out, 'azurerm_lb_rule').filter((r) => r.protocol === 'Udp');
    expect(rules.map((r) => [r.name, r.frontend_port]).sort()).toEqual([
      ['radius-accounting', 1813],
      ['radius-auth', 1812],
    ]);
    for (const rule of rules) {
      expect(rule.probe_id).toContain('probe-web-service-sdk');
      expect(rule.backend_address_pool_ids).toEqual([expect.stringContaining('pool-mfa-servers')]);
    }
    expect(ofType(synth(), 'azurerm_lb_rule').filter((r) => r.protocol === 'Udp')).toEqual([]);
  });

  test('spreads servers across the zones round-robin', () => {
    expect(ofType(synth(), 'azurerm_windows_virtual_machine').map((vm) => vm.zone)).toEqual(['1', '2', '1']);
  });
});
