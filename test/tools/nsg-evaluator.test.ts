import {
  AddressSpace,
  AZURE_LOAD_BALANCER_ADDRESS,
  describeDecision,
  evaluateNsg,
  evaluatePath,
  matchesPort,
  matchesPrefix,
  Nsg,
  NsgRule,
  Packet,
} from '../../tools/nsg-evaluator';

// A virtual network 10.0.0.0/16 with a web subnet 10.0.1.0/24 and an app subnet 10.0.2.0/24.
const space: AddressSpace = { virtualNetwork: ['10.0.0.0/16'] };
const WEB = '10.0.1.10';
const APP = '10.0.2.10';
const INTERNET = '8.8.8.8';

const rule = (r: Partial<NsgRule> & Pick<NsgRule, 'name' | 'priority'>): NsgRule => ({
  direction: 'Inbound',
  access: 'Allow',
  protocol: 'Tcp',
  sourcePrefixes: ['*'],
  destinationPrefixes: ['*'],
  sourcePorts: ['*'],
  destinationPorts: ['*'],
  ...r,
});
const nsg = (name: string, ...rules: NsgRule[]): Nsg => ({ name, rules });
const tcp = (source: string, destination: string, port: number): Packet => ({ source, destination, protocol: 'Tcp', port });

describe('NSG evaluator: one NSG', () => {
  test('the rule with the lowest priority number decides, whatever the order it is listed in', () => {
    // GIVEN an allow at 200 listed before a deny at 100 for the same traffic
    const n = nsg(
      'nsg',
      rule({ name: 'allow-443', priority: 200, destinationPorts: ['443'] }),
      rule({ name: 'deny-443', priority: 100, access: 'Deny', destinationPorts: ['443'] }),
    );
    // WHEN a packet to 443 arrives THEN the deny at 100 decides
    expect(evaluateNsg(n, 'Inbound', tcp(INTERNET, APP, 443), space).rule.name).toBe('deny-443');
  });

  test('the first matching rule wins: a later, broader deny does not override an earlier allow', () => {
    const n = nsg(
      'nsg',
      rule({ name: 'allow-https', priority: 100, destinationPorts: ['443'] }),
      rule({ name: 'deny-all', priority: 4096, access: 'Deny', protocol: '*' }),
    );
    expect(evaluateNsg(n, 'Inbound', tcp(INTERNET, APP, 443), space)).toMatchObject({ nsg: 'nsg', rule: { name: 'allow-https', access: 'Allow' } });
    expect(evaluateNsg(n, 'Inbound', tcp(INTERNET, APP, 80), space).rule.name).toBe('deny-all');
  });

  test('a rule of the other direction is ignored', () => {
    const n = nsg('nsg', rule({ name: 'outbound-deny', priority: 100, direction: 'Outbound', access: 'Deny', protocol: '*' }));
    expect(evaluateNsg(n, 'Inbound', tcp(WEB, APP, 443), space).rule.name).toBe('AllowVnetInBound');
  });

  test.each([
    ['Inbound', WEB, APP, 'AllowVnetInBound', 'Allow'],
    ['Inbound', AZURE_LOAD_BALANCER_ADDRESS, APP, 'AllowAzureLoadBalancerInBound', 'Allow'],
    ['Inbound', INTERNET, APP, 'DenyAllInBound', 'Deny'],
    ['Outbound', APP, WEB, 'AllowVnetOutBound', 'Allow'],
    ['Outbound', APP, INTERNET, 'AllowInternetOutBound', 'Allow'],
  ] as const)('an empty NSG falls through to Azure’s default rules: %s %s -> %s is %s', (direction, source, destination, name, access) => {
    const decision = evaluateNsg(nsg('empty'), direction, tcp(source, destination, 443), space);
    expect(decision.rule).toMatchObject({ name, access, isDefault: true });
    expect(describeDecision(decision)).toBe(`empty/${name} (default)`);
  });

  test('the default DenyAllOutBound catches what is neither virtual network nor Internet', () => {
    // GIVEN a custom deny of the Internet tag, so that only DenyAllOutBound could still allow or deny
    const n = nsg(
      'nsg',
      rule({ name: 'deny-internet', priority: 4096, direction: 'Outbound', access: 'Deny', protocol: '*', destinationPrefixes: ['Internet'] }),
    );
    // THEN the platform address (neither VirtualNetwork nor Internet) falls to DenyAllOutBound
    expect(evaluateNsg(n, 'Outbound', tcp(APP, AZURE_LOAD_BALANCER_ADDRESS, 80), space).rule.name).toBe('DenyAllOutBound');
    expect(evaluateNsg(n, 'Outbound', tcp(APP, INTERNET, 443), space).rule.name).toBe('deny-internet');
  });

  test('a custom rule can shadow a default rule: deny everything from the virtual network', () => {
    const n = nsg('nsg', rule({ name: 'deny-vnet', priority: 4000, access: 'Deny', protocol: '*', sourcePrefixes: ['VirtualNetwork'] }));
    expect(evaluateNsg(n, 'Inbound', tcp(WEB, APP, 443), space).rule.name).toBe('deny-vnet');
  });

  test('protocols: a Tcp rule does not match UDP, a * rule matches both', () => {
    const n = nsg(
      'nsg',
      rule({ name: 'allow-tcp-53', priority: 100, destinationPorts: ['53'] }),
      rule({ name: 'deny-all', priority: 200, access: 'Deny', protocol: '*' }),
    );
    expect(evaluateNsg(n, 'Inbound', { ...tcp(INTERNET, APP, 53), protocol: 'Udp' }, space).rule.name).toBe('deny-all');
    expect(evaluateNsg(n, 'Inbound', tcp(INTERNET, APP, 53), space).rule.name).toBe('allow-tcp-53');
  });

  test('several prefixes and port ranges: any one of them matches', () => {
    const n = nsg('nsg', rule({ name: 'admins', priority: 100, sourcePrefixes: ['192.0.2.0/24', '198.51.100.7'], destinationPorts: ['3389', '5985-5986'] }));
    expect(evaluateNsg(n, 'Inbound', tcp('198.51.100.7', APP, 5986), space).rule.name).toBe('admins');
    expect(evaluateNsg(n, 'Inbound', tcp('198.51.100.8', APP, 5986), space).rule.name).toBe('DenyAllInBound');
  });
});

describe('NSG evaluator: prefixes, service tags and ports', () => {
  test.each([
    ['*', INTERNET, true],
    ['10.0.2.0/24', APP, true],
    ['10.0.2.0/24', WEB, false],
    ['10.0.2.10', APP, true],
    ['VirtualNetwork', WEB, true],
    ['VirtualNetwork', INTERNET, false],
    ['AzureLoadBalancer', AZURE_LOAD_BALANCER_ADDRESS, true],
    ['AzureLoadBalancer', WEB, false],
    ['Internet', INTERNET, true],
    ['Internet', '10.99.0.1', true], // a private address outside the virtual network is still "Internet" to the NSG
    ['Internet', WEB, false],
    ['Internet', AZURE_LOAD_BALANCER_ADDRESS, false],
  ])('%s covers %s: %p', (prefix, address, expected) => {
    expect(matchesPrefix(prefix, address, space)).toBe(expected);
  });

  test('an unmodelled service tag is an error, not a guess', () => {
    expect(() => matchesPrefix('Storage', APP, space)).toThrow('"Storage" is not modelled');
  });

  test.each([
    ['*', 1, true],
    ['443', 443, true],
    ['443', 444, false],
    ['5985-5986', 5985, true],
    ['5985-5986', 5986, true],
    ['5985-5986', 5987, false],
  ])('port range %s covers %d: %p', (range, port, expected) => {
    expect(matchesPort(range, port)).toBe(expected);
  });
});

describe('NSG evaluator: both sides of a flow', () => {
  const web = nsg(
    'nsg-web',
    rule({
      name: 'deny-app-out',
      priority: 100,
      direction: 'Outbound',
      access: 'Deny',
      protocol: '*',
      destinationPrefixes: ['10.0.2.0/24'],
      destinationPorts: ['22'],
    }),
  );
  const app = nsg(
    'nsg-app',
    rule({ name: 'allow-web', priority: 100, sourcePrefixes: ['10.0.1.0/24'], destinationPorts: ['443', '22'] }),
    rule({ name: 'deny-all-inbound', priority: 4096, access: 'Deny', protocol: '*' }),
  );

  test('allowed only when the source subnet lets it out AND the destination subnet lets it in', () => {
    const verdict = evaluatePath({ sourceNsg: web, destinationNsg: app }, tcp(WEB, APP, 443), space);
    expect(verdict.allowed).toBe(true);
    expect(describeDecision(verdict.outbound)).toBe('nsg-web/AllowVnetOutBound (default)');
    expect(describeDecision(verdict.decidedBy)).toBe('nsg-app/allow-web');
  });

  test('an outbound deny at the source wins even though the destination would allow it', () => {
    const verdict = evaluatePath({ sourceNsg: web, destinationNsg: app }, tcp(WEB, APP, 22), space);
    expect(verdict.allowed).toBe(false);
    expect(verdict.inbound).toBeUndefined();
    expect(describeDecision(verdict.decidedBy)).toBe('nsg-web/deny-app-out');
  });

  test('an inbound deny at the destination wins even though the source lets it out', () => {
    const verdict = evaluatePath({ sourceNsg: web, destinationNsg: app }, tcp(WEB, APP, 80), space);
    expect(verdict.allowed).toBe(false);
    expect(describeDecision(verdict.decidedBy)).toBe('nsg-app/deny-all-inbound');
  });

  test('a side without an NSG lets everything through; no NSG at all allows', () => {
    expect(evaluatePath({ destinationNsg: app }, tcp(INTERNET, APP, 443), space)).toMatchObject({ allowed: false });
    expect(evaluatePath({ sourceNsg: web }, tcp(WEB, INTERNET, 443), space)).toMatchObject({ allowed: true });
    const open = evaluatePath({}, tcp(INTERNET, APP, 3389), space);
    expect(open.allowed).toBe(true);
    expect(describeDecision(open.decidedBy)).toBe('no NSG');
  });
});
