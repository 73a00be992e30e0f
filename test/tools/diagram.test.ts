import { AZURE_KMS_ADDRESSES } from '../../constructs/platform-dependencies';
import * as fs from 'fs';
import * as path from 'path';
import { renderSvg } from '../../tools/diagram';
import { environmentDot, environmentSvg } from '../../tools/environment-diagram';
import { topologyOf } from '../../tools/topology';
import { ROOT, shippedInput, synthObject, validate, variant } from '../helpers';

const COMMITTED = path.join(ROOT, 'docs', 'prod-topology.svg');

/** The lines of text a viewer of the SVG reads, entities decoded. */
function visibleText(svg: string): string[] {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1].replace(/&(#\d+|\w+);/g, (_, e: string) => (e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : (entities[e] ?? `&${e};`))),
  );
}

describe('topology diagram of the shipped prod environment', () => {
  const input = shippedInput('prod');
  const stack = synthObject(input);
  const env = validate(input);
  let svg: string;
  let text: string[];
  beforeAll(async () => {
    svg = await environmentSvg(stack, env, 'prod');
    text = visibleText(svg);
  });

  test('the committed docs/prod-topology.svg is up to date (else: npm run docs:diagram)', () => {
    // GIVEN the image shown in the README WHEN the diagram is drawn again from the shipped prod environment
    // THEN it is byte for byte the committed one
    const committed = fs.existsSync(COMMITTED) ? fs.readFileSync(COMMITTED, 'utf8') : '(missing)';
    if (committed !== svg) throw new Error('docs/prod-topology.svg is stale or missing: run `npm run docs:diagram` and commit it');
    expect(committed.length).toBeGreaterThan(10_000);
  });

  test('is deterministic: the same stack gives the same bytes', async () => {
    expect(await environmentSvg(synthObject(input), env, 'prod')).toBe(svg);
  });

  test('shows every subnet, server, load balancer and the public IP', () => {
    const topology = topologyOf(stack);
    for (const name of [
      ...topology.network.subnets.map((s) => s.name),
      ...topology.servers.map((s) => s.name),
      ...topology.loadBalancers.map((l) => l.name),
      'pip-mfaha-prod-wap',
      'contoso-mfa-prod.westeurope.cloudapp.azure.com',
    ]) {
      expect(text.some((line) => line.includes(name))).toBe(true);
    }
    expect(topology.servers).toHaveLength(11);
  });

  test('marks the master, the frontends, the ports and the sticky load balancing', () => {
    expect(text).toEqual(
      expect.arrayContaining([
        'prod-mfa1, master, zone 1',
        'prod-mfa2, subordinate, zone 2',
        'frontend 10.30.0.62',
        // The HA doc: the portal is sticky, and so is mfaapp with one-way SMS OTP; replication goes to the master only.
        'tcp/443 -> portal-servers, sticky (SourceIP)',
        'tcp/443 -> mfa-servers, sticky (SourceIP)',
        'tcp/4443 -> mfa-master',
        'tcp/443 -> adfs-servers',
        'udp/1812, udp/1813',
      ]),
    );
  });
});

describe('arrows of the topology diagram', () => {
  const input = shippedInput('prod');
  const dot = environmentDot(synthObject(input), validate(input), 'prod');
  const edges = dot.split('\n').filter((l) => l.includes(' -> '));
  const edge = (from: string, to: string) => edges.filter((l) => l.trimStart().startsWith(`"${from}" -> "${to}"`));

  test('come from the flow matrix and go through the load balancer that balances the port', () => {
    expect(edge('from:Internet', 'pip:pip-mfaha-prod-wap')[0]).toContain('label="tcp/443, tcp/49443"');
    expect(edge('header:snet-wap', 'lb:lbi-mfaha-prod-adfs')[0]).toContain('label="tcp/443, tcp/49443"');
    // Every subordinate replicates from the master through the mfaapp frontend.
    for (const n of [2, 3])
      expect(edge(`servers:snet-mfa":"vm-mfaha-prod-mfa-${n}`, 'lb:lbi-mfaha-prod-mfaapp')[0]).toMatch(/label="tcp\/4443", class="replication"/);
    // prod egresses through the hub firewall, but for the perimeter subnet, which keeps its NAT gateway.
    expect(edge('header:snet-mfa', 'appliance:10.0.1.4').map((l) => /label="([^"]*)"/.exec(l)![1])).toContain('tcp/80, tcp/443, tcp/1688');
    expect(edge('appliance:10.0.1.4', 'reached:appliance:10.0.1.4')).toHaveLength(1);
    expect(edge('header:snet-wap', 'nat:ng-mfaha-prod')[0]).toContain('tcp/443');
    expect(edge('header:snet-wap', 'appliance:10.0.1.4')).toEqual([]);
  });

  test('name the egress of each subnet and draw each named range outside once', () => {
    expect(dot).toContain('egress: virtual appliance 10.0.1.4 (route table rt-mfaha-prod)');
    expect(dot).toContain('egress: NAT gateway ng-mfaha-prod');
    // What leaves through the hub firewall is one list, reached by one arrow: no fan of arrows per destination.
    const reached = dot.split('\n').filter((l) => l.startsWith('  "reached:appliance:10.0.1.4" ['));
    expect(reached).toHaveLength(1);
    expect(reached[0]).toMatch(/azure-kms [^<]*tcp\/1688/);
    expect(edges.filter((l) => l.trimStart().startsWith('"appliance:10.0.1.4" ->'))).toHaveLength(1);
    expect(AZURE_KMS_ADDRESSES.length).toBeGreaterThan(0);
  });

  test('health probes and administration reach the servers, not the load balancer', () => {
    expect(edge('from:AzureLoadBalancer', 'header:snet-adfs')[0]).toMatch(/label="tcp\/80".*lhead="cluster_subnet_snet-adfs"/);
    expect(edge('bastion:bas-mfaha-prod', 'header:snet-mfa')[0]).toMatch(/label="tcp\/3389".*lhead="cluster_subnet_snet-mfa"/);
  });

  test('no arrow for what the NSGs deny: nothing from the Internet into the internal tiers', () => {
    expect(edges.filter((l) => l.includes('"from:Internet"'))).toHaveLength(1);
  });

  test('no Bastion, no Bastion arrows; ranges outside the virtual network draw only what the Internet does not reach', () => {
    const dev = variant('dev');
    const devDot = environmentDot(synthObject(dev), validate(dev), 'dev');
    expect(devDot).not.toContain('bastion:');
    const management = devDot.split('\n').filter((l) => l.includes('"from:management" ->'));
    expect(management).toHaveLength(4);
    for (const line of management) expect(line).toContain('label="tcp/3389"');
  });
});

describe('rendering', () => {
  test('reports a Graphviz warning instead of hiding it', async () => {
    const { warnings } = await renderSvg('digraph { compound=true; a -> b [lhead="cluster_missing"] }');
    expect(warnings.join('\n')).toMatch(/cluster_missing/);
  });

  test('fails on a DOT syntax error with a message', async () => {
    await expect(renderSvg('digraph {')).rejects.toThrow(/Graphviz failed/);
  });
});
