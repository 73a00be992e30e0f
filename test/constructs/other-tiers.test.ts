import { Testing } from 'cdktf';
import { Lb } from '@cdktf/provider-azurerm/lib/lb';
import { LbProbe } from '@cdktf/provider-azurerm/lib/lb-probe';
import { LbRule } from '@cdktf/provider-azurerm/lib/lb-rule';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { AvailabilitySet } from '@cdktf/provider-azurerm/lib/availability-set';
import { AdfsFarm } from '../../constructs/adfs-farm';
import { PortalTier } from '../../constructs/portal-tier';
import { WapProxyTier } from '../../constructs/wap-proxy-tier';
import { domainJoin, ofType, tierProps } from './fixtures';

const setupCommand = (out: string) =>
  ofType(out, 'azurerm_virtual_machine_extension')
    .filter((e) => e.name === 'setup')
    .map((e) => JSON.parse(e.settings).commandToExecute);

describe('user portal / mobile app tier', () => {
  const out = Testing.synthScope((s) => new PortalTier(s, 'portal', { ...tierProps(2), frontendIp: '10.0.2.254', domainJoin }));

  test('uses sticky sessions on TCP 443 (the HA doc requires them)', () => {
    expect(out).toHaveResourceWithProperties(LbRule, { name: 'https', frontend_port: 443, load_distribution: 'SourceIP' });
    expect(out).toHaveResourceWithProperties(LbProbe, { name: 'https', protocol: 'Tcp', port: 443 });
    expect(out).toHaveResourceWithProperties(Lb, {
      sku: 'Standard',
      frontend_ip_configuration: [expect.objectContaining({ private_ip_address: '10.0.2.254' })],
    });
  });

  test('joins the domain and installs IIS', () => {
    expect(ofType(out, 'azurerm_virtual_machine_extension').filter((e) => e.type === 'JsonADDomainExtension')).toHaveLength(2);
    expect(setupCommand(out)[0]).toContain("Install-WindowsFeature -Name @('Web-Server', ");
  });
});

describe('AD FS farm', () => {
  const synth = (certificateAuthenticationEnabled: boolean) =>
    Testing.synthScope(
      (s) => new AdfsFarm(s, 'adfs', { ...tierProps(2), frontendIp: '10.0.3.254', certificateAuthenticationEnabled, domainJoin, deletionProtection: false }),
    );

  test('balances TCP 443 with the HTTP /adfs/probe probe on port 80', () => {
    const out = synth(false);
    expect(out).toHaveResourceWithProperties(LbProbe, { protocol: 'Http', port: 80, request_path: '/adfs/probe' });
    expect(out).toHaveResourceWithProperties(LbRule, { name: 'https', frontend_port: 443, load_distribution: 'Default' });
    expect(ofType(out, 'azurerm_lb_rule')).toHaveLength(1);
  });

  test('adds TCP 49443 for certificate authentication only when enabled', () => {
    expect(synth(true)).toHaveResourceWithProperties(LbRule, { name: 'certificate-auth', frontend_port: 49443, backend_port: 49443 });
  });

  test('installs the AD FS role on domain-joined servers', () => {
    const out = synth(false);
    expect(ofType(out, 'azurerm_virtual_machine_extension').filter((e) => e.type === 'JsonADDomainExtension')).toHaveLength(2);
    expect(setupCommand(out)).toEqual([expect.stringContaining('ADFS-Federation'), expect.stringContaining('ADFS-Federation')]);
  });
});

describe('WAP proxy tier', () => {
  const synth = (zones: string[] = ['1', '2', '3']) =>
    Testing.synthScope((s) => new WapProxyTier(s, 'wap', { ...tierProps(2, zones), certificateAuthenticationEnabled: false, publicDnsLabel: 'contoso-mfa' }));

  test('sits behind a public Standard load balancer on a static zone-redundant Standard IP', () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(PublicIp, {
      sku: 'Standard',
      allocation_method: 'Static',
      zones: ['1', '2', '3'],
      domain_name_label: 'contoso-mfa',
    });
    expect(out).toHaveResourceWithProperties(Lb, {
      name: 'lbe-mfaha-test-wap',
      frontend_ip_configuration: [expect.objectContaining({ public_ip_address_id: expect.stringContaining('azurerm_public_ip') })],
    });
    expect(out).toHaveResourceWithProperties(LbProbe, { protocol: 'Http', port: 80, request_path: '/adfs/probe' });
    expect(out).toHaveResourceWithProperties(LbRule, { name: 'https', frontend_port: 443, disable_outbound_snat: true });
  });

  test('is not joined to the domain and installs Web Application Proxy', () => {
    const out = synth();
    expect(ofType(out, 'azurerm_virtual_machine_extension').filter((e) => e.type === 'JsonADDomainExtension')).toEqual([]);
    expect(setupCommand(out)[0]).toContain('Web-Application-Proxy');
  });

  test('falls back to an availability set where no zones are configured', () => {
    const out = synth([]);
    expect(out).toHaveResourceWithProperties(AvailabilitySet, { managed: true, platform_fault_domain_count: 2 });
    for (const vm of ofType(out, 'azurerm_windows_virtual_machine')) {
      expect(vm.zone).toBeUndefined();
      expect(vm.availability_set_id).toContain('azurerm_availability_set');
    }
  });
});
