import { Testing } from 'cdktf';
import { LoadBalancer, LoadBalancerProps, PROBE_THRESHOLD } from '../../constructs/load-balancer';
import { Port, SessionPersistence } from '../../constructs/values';
import { ofType } from './fixtures';

const base: LoadBalancerProps = {
  name: 'lbi-test',
  resourceGroupName: 'rg',
  location: 'westeurope',
  tags: {},
  internal: { subnetId: 'subnet-id', privateIpAddress: '10.0.0.254' },
  zones: ['1', '2', '3'],
  pools: ['web'],
  probes: [{ name: 'http', port: Port.HTTP, requestPath: '/health' }],
  rules: [{ name: 'https', port: Port.HTTPS, pool: 'web', probe: 'http', sessionPersistence: SessionPersistence.CLIENT_IP }],
};

describe('load balancer', () => {
  test('renders a zone-redundant static internal frontend, pools, probes and rules', () => {
    const out = Testing.synthScope((s) => new LoadBalancer(s, 'lb', base));
    expect(ofType(out, 'azurerm_lb')[0].frontend_ip_configuration[0]).toEqual({
      name: 'frontend',
      subnet_id: 'subnet-id',
      private_ip_address: '10.0.0.254',
      private_ip_address_allocation: 'Static',
      zones: ['1', '2', '3'],
    });
    expect(ofType(out, 'azurerm_lb_probe')[0]).toMatchObject({ protocol: 'Http', port: 80, request_path: '/health' });
    expect(ofType(out, 'azurerm_lb_rule')[0]).toMatchObject({
      protocol: 'Tcp',
      frontend_port: 443,
      load_distribution: 'SourceIP',
      disable_outbound_snat: true,
    });
  });

  test('takes a server out after two consecutive failed probes: probe_threshold, not number_of_probes', () => {
    const probe = ofType(
      Testing.synthScope((s) => new LoadBalancer(s, 'lb', base)),
      'azurerm_lb_probe',
    )[0];
    expect(probe).toMatchObject({ interval_in_seconds: 5, probe_threshold: PROBE_THRESHOLD });
    expect(PROBE_THRESHOLD).toBe(2);
    expect(probe.number_of_probes).toBeUndefined();
  });

  test('omits request_path on TCP probes (azurerm allows it only for Http/Https)', () => {
    const out = Testing.synthScope((s) => new LoadBalancer(s, 'lb', { ...base, probes: [{ name: 'http', port: Port.HTTPS }] }));
    expect(ofType(out, 'azurerm_lb_probe')[0].request_path).toBeUndefined();
  });

  test('refuses a rule that names an unknown pool', () => {
    expect(() => Testing.synthScope((s) => new LoadBalancer(s, 'lb', { ...base, rules: [{ ...base.rules[0], pool: 'nope' }] }))).toThrow(
      'rule https names an unknown pool or probe',
    );
  });

  test('needs exactly one kind of frontend', () => {
    expect(() => Testing.synthScope((s) => new LoadBalancer(s, 'lb', { ...base, publicIpAddressId: 'pip' }))).toThrow('exactly one');
  });
});
