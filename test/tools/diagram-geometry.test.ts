import { STAGE_NAMES, STAGES, StageName } from '../../constructs/migration-stages';
import { TIERS } from '../../constructs/values';
import { environmentSvg } from '../../tools/environment-diagram';
import { ARROWS } from '../../tools/diagram-style';
import { topologyOf } from '../../tools/topology';
import { prodAtStage } from '../config/fixtures';
import { shippedInput, synthObject, validate } from '../helpers';
import { inside, lineMeets, overlaps, Rect, svgGroups, SvgGroup, SvgText, textRect, textWidths } from './svg-geometry';

/*
 * The diagram as a design reviewer sees it, checked on the SVG's geometry: every text inside its box (measured
 * conservatively, for the widest face of the font stack), no arrow across a header, servers in order, tiers in
 * TIERS' order, one replication arrow per subordinate, egress once per path, a key of exactly the styles drawn.
 */

const HEADERS = ['subnet-header', 'vnet-header', 'key-header'];
const area = (r: Rect) => (r.right - r.left) * (r.bottom - r.top);
const has = (g: SvgGroup, cls: string) => g.classes.includes(cls);

const cases: [string, () => any][] = [
  ['dev', () => shippedInput('dev')],
  ...STAGE_NAMES.filter((s) => s !== 'retiring').map((s): [string, () => any] => [`prod at ${s}`, () => prodAtStage(s)]),
];

describe.each(cases)('the diagram of %s', (name, inputOf) => {
  const input = inputOf();
  const stack = synthObject(input);
  const env = validate(input);
  const topology = topologyOf(stack);
  let groups: SvgGroup[];
  let widths: Map<SvgText, number>;
  beforeAll(async () => {
    groups = svgGroups(await environmentSvg(stack, env, name.split(' ')[0]));
    widths = await textWidths(groups.flatMap((g) => g.texts));
  });
  const nodes = () => groups.filter((g) => g.kind === 'node');
  const edges = () => groups.filter((g) => g.kind === 'edge');
  const rectOf = (t: SvgText) => textRect(t, widths.get(t)!);

  test('every text of a box lies inside that box, for the widest face of the font stack', () => {
    const overflowing: string[] = [];
    for (const node of nodes()) {
      for (const t of node.texts) {
        const r = rectOf(t);
        const centre: [number, number] = [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
        const around = node.boxes.filter((b) => centre[0] >= b.left && centre[0] <= b.right && centre[1] >= b.top && centre[1] <= b.bottom);
        const box = around.sort((a, b) => area(a) - area(b))[0];
        // A text without a box (the key's lines) must stay inside the key's frame.
        const frame =
          box ??
          groups
            .filter((g) => g.kind === 'cluster')
            .flatMap((c) => c.boxes)
            .filter((b) => inside(r, b))
            .sort((a, b) => area(a) - area(b))[0];
        if (!frame || !inside(r, frame)) overflowing.push(`${node.title}: "${t.text}"`);
      }
    }
    expect(overflowing).toEqual([]);
    expect(nodes().flatMap((n) => n.texts).length).toBeGreaterThan(50);
  });

  test('no arrow crosses a header (subnet, virtual network, key)', () => {
    const headers = nodes().filter((n) => HEADERS.some((h) => has(n, h)));
    expect(headers.filter((h) => has(h, 'subnet-header')).length).toBe(topology.network.subnets.length);
    const crossings: string[] = [];
    for (const edge of edges()) {
      for (const header of headers) {
        for (const line of edge.lines) {
          const hit = lineMeets(line, header.boxes[0]);
          if (hit) crossings.push(`${edge.title} crosses ${header.title} at ${hit.map((p) => p.map(Math.round).join(',')).join(' - ')}`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });

  test('no arrow label lies on a box', () => {
    const boxes = nodes()
      .filter((n) => !has(n, 'servers'))
      .flatMap((n) => n.boxes.map((b) => ({ title: n.title, b })));
    const hits = edges().flatMap((e) =>
      e.texts.flatMap((t) => boxes.filter(({ b }) => overlaps(rectOf(t), b)).map(({ title }) => `${e.title}: "${t.text}" on ${title}`)),
    );
    expect(hits).toEqual([]);
  });

  test('servers are in name order, left to right, in each tier', () => {
    for (const row of nodes().filter((n) => has(n, 'servers'))) {
      const names = row.texts
        .filter((t) => t.bold)
        .sort((a, b) => a.x - b.x)
        .map((t) => t.text);
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
      expect(names.length).toBeGreaterThan(1);
    }
  });

  test("tiers are in the seed's order (TIERS), top to bottom, and only the tiers deployed are drawn", () => {
    const tierHeaders = nodes().filter((n) => has(n, 'subnet-header') && n.classes.some((c) => c.startsWith('tier-')));
    const drawn = tierHeaders.sort((a, b) => a.boxes[0].top - b.boxes[0].top).map((h) => h.classes.find((c) => c.startsWith('tier-'))!.slice(5));
    const deployed = [...new Set(topology.servers.map((s) => s.tier!))];
    expect(drawn).toEqual(TIERS.filter((t) => deployed.includes(t)));
    const stage = /at (\S+)/.exec(name)?.[1] as StageName | undefined;
    if (stage) expect(drawn).toEqual(STAGES.find((s) => s.name === stage)!.tiers.filter((t) => t !== 'nps' || stage !== 'mfa-server'));
  });

  test('every MFA subordinate has its replication arrow, and the master pool its arrow to the master', () => {
    const subordinates = topology.servers.filter((s) => s.role === 'subordinate');
    const replication = edges().filter((e) => has(e, 'replication'));
    const fromServers = replication.filter((e) => e.title.startsWith('servers:'));
    expect(fromServers.map((e) => e.title.split('->')[0].split(':').pop()).sort()).toEqual(subordinates.map((s) => s.name).sort());
    const master = topology.servers.find((s) => s.role === 'master');
    expect(replication.filter((e) => e.title.startsWith('lb:')).map((e) => e.title.split(':').pop())).toEqual(master ? [master.name] : []);
  });

  test('egress is drawn once per path: each subnet to its next hop, each hop to one list of what it reaches', () => {
    const egress = edges().filter((e) => has(e, 'egress'));
    const fromHops = egress.filter((e) => /^(appliance|nat):/.test(e.title));
    const hops = new Set(egress.map((e) => e.title.split('->')[1]).filter((h) => /^(appliance|nat):/.test(h)));
    expect(fromHops.length).toBe(hops.size);
    const pairs = egress.map((e) => e.title);
    expect(new Set(pairs).size).toBe(pairs.length);
    const toHops = egress.filter((e) => hops.has(e.title.split('->')[1])).map((e) => e.title.split('->')[0]);
    expect(new Set(toHops).size).toBe(toHops.length);
    expect(toHops.length).toBeLessThanOrEqual(topology.network.subnets.length);
  });

  test('the key shows exactly the arrow styles drawn, each with its meaning', () => {
    const drawn = new Set(
      edges()
        .filter((e) => !has(e, 'key-sample'))
        .flatMap((e) => e.classes.filter((c) => c in ARROWS)),
    );
    const keyed = new Set(
      edges()
        .filter((e) => has(e, 'key-sample'))
        .flatMap((e) => e.classes.filter((c) => c in ARROWS)),
    );
    expect([...keyed].sort()).toEqual([...drawn].sort());
    const keyText = nodes()
      .filter((n) => has(n, 'key-text'))
      .flatMap((n) => n.texts.map((t) => t.text));
    for (const kind of drawn) expect(keyText).toContain(ARROWS[kind as keyof typeof ARROWS].meaning);
  });
});
