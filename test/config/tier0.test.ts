import { configErrorOf, variant } from '../helpers';

/*
 * Tier 0 in the environment file: a production environment (the default purpose) takes RDP only from private admin
 * networks of /24 or narrower (network.managementCidrMinPrefix); a lab says so (purpose "lab").
 */
describe('admin networks of a production environment', () => {
  test.each<[string, (c: any) => void, string]>([
    [
      'a public /24',
      (c) => (c.network.managementCidrs = ['198.51.100.0/24']),
      'environments/test.json: network.managementCidrs[0] must be a private range in a production environment (RDP to tier-0 servers never comes from a public address; set purpose "lab" for a lab), got "198.51.100.0/24"',
    ],
    [
      'a private /16',
      (c) => (c.network.managementCidrs = ['10.250.0.0/16']),
      'environments/test.json: network.managementCidrs[0] must be /24 or narrower in a production environment (network.managementCidrMinPrefix): RDP to tier-0 servers comes from admin networks, not a whole site, got "10.250.0.0/16"',
    ],
    ['a private /23 under a /24 limit', (c) => (c.network.managementCidrs = ['10.250.0.0/23']), 'network.managementCidrs[0] must be /24 or narrower'],
    [
      'a private /27 under a /28 limit',
      (c) => {
        c.network.managementCidrs = ['10.250.0.0/27'];
        c.network.managementCidrMinPrefix = 28;
      },
      'network.managementCidrs[0] must be /28 or narrower',
    ],
  ])('refuses %s, in one line', (_name, change, message) => {
    const error = configErrorOf(variant('prod', change));
    expect(error).toContain(message);
    expect(error!.split('\n')).toHaveLength(1);
  });

  test.each<[string, (c: any) => void]>([
    ['a private /24', (c) => (c.network.managementCidrs = ['10.250.0.0/24'])],
    ['a single admin workstation', (c) => (c.network.managementCidrs = ['10.250.0.7/32'])],
    [
      'a private /16 under a /16 limit',
      (c) => {
        c.network.managementCidrs = ['10.250.0.0/16'];
        c.network.managementCidrMinPrefix = 16;
      },
    ],
    [
      'a public /24 in a lab',
      (c) => {
        c.purpose = 'lab';
        c.network.managementCidrs = ['198.51.100.0/24'];
      },
    ],
  ])('accepts %s', (_name, change) => {
    expect(configErrorOf(variant('prod', change))).toBeUndefined();
  });

  test('refuses an unknown purpose', () => {
    expect(configErrorOf(variant('prod', (c) => (c.purpose = 'staging')))).toContain('purpose must be "production" or "lab", got "staging"');
  });
});
