import { TierName } from '../constructs/values';
import { attrs, html, label, quote } from './diagram-dot';
import { ArrowKind, ARROWS, BOXES, TIER_FILL, TIER_ROLE } from './diagram-style';

/** What the key shows: the arrow kinds and tiers the picture uses, nothing it does not. */
export interface KeyContents {
  readonly arrows: readonly ArrowKind[];
  readonly tiers: readonly TierName[];
}

/** The node id of the key's title, for placing the key. */
export const KEY_TITLE = 'key:title';

interface Entry {
  readonly lines: string[];
  readonly first: string;
  readonly last: string;
  readonly text: string;
}

/**
 * The key of the diagram, as DOT lines: a column of boxes (tier colours, then kinds of box) and a column of arrows,
 * each sample drawn in the very style the diagram uses (from diagram-style.ts), beside a line saying what it means.
 */
export function diagramKey(contents: KeyContents): string[] {
  const sampleBox = (id: string, text: string, a: Record<string, string | number>) =>
    `${quote(id)} [${attrs({ label: `<<B>${html(text)}</B>>`, class: 'key-sample', fontsize: 9, margin: '0.12,0.04', ...a })}];`;
  const boxes: Entry[] = [];
  for (const tier of contents.tiers) {
    const id = `key:tier:${tier}`;
    boxes.push({
      lines: [sampleBox(id, `${tier} subnet`, { shape: 'box', style: 'rounded,filled', fillcolor: TIER_FILL[tier], color: '#8c959f' })],
      first: id,
      last: id,
      text: TIER_ROLE[tier],
    });
  }
  for (const [name, box] of Object.entries(BOXES)) {
    const id = `key:box:${name}`;
    const style = name === 'loadBalancer' ? 'filled' : 'rounded,filled';
    boxes.push({
      lines: [
        sampleBox(id, name === 'loadBalancer' ? 'load balancer' : name, {
          shape: 'box',
          style,
          fillcolor: box.fill,
          color: box.border,
          penwidth: box.penwidth,
        }),
      ],
      first: id,
      last: id,
      text: box.meaning,
    });
  }
  const arrows: Entry[] = contents.arrows.map((kind) => {
    const [from, to] = [`key:${kind}:from`, `key:${kind}:to`];
    const s = ARROWS[kind];
    return {
      lines: [
        `${quote(from)} [${attrs({ shape: 'point', width: 0.05, class: 'key-sample', color: s.color })}];`,
        `${quote(to)} [${attrs({ shape: 'point', width: 0.05, style: 'invis' })}];`,
        `${quote(from)} -> ${quote(to)} [${attrs({ class: `key-sample ${kind}`, color: s.color, style: s.style, penwidth: s.penwidth, minlen: 3 })}];`,
      ],
      first: from,
      last: to,
      text: s.meaning,
    };
  });
  const out: string[] = ['subgraph "cluster_key" {', `  graph [${attrs({ label: '', style: 'rounded', color: '#57606a' })}];`];
  out.push(
    `  ${quote(KEY_TITLE)} [${attrs({ label: label('Key', []), class: 'key-header', shape: 'box', style: 'filled', fillcolor: 'white', color: 'white', margin: '0.1,0.04' })}];`,
  );
  let above = KEY_TITLE;
  for (let i = 0; i < Math.max(boxes.length, arrows.length); i++) {
    const row = [boxes[i], arrows[i]].flatMap((e, column) => (e ? [{ ...e, textId: `key:text:${column}:${i}` }] : []));
    for (const e of row) {
      out.push(...e.lines.map((l) => `  ${l}`));
      out.push(`  ${quote(e.textId)} [${attrs({ label: e.text, class: 'key-text', shape: 'plaintext', fontsize: 10, margin: '0.2,0' })}];`);
    }
    // One rank per row, left to right: sample, its text, the next sample, its text.
    const order = row.flatMap((e) => [e.first, ...(e.last !== e.first ? [e.last] : []), e.textId]);
    const links = order.slice(1).flatMap((id, j) => (id.endsWith(':to') ? [] : [`${quote(order[j])} -> ${quote(id)} [style="invis"];`]));
    out.push(`  { rank=same; ${order.map(quote).join('; ')}; ${links.join(' ')} }`);
    out.push(`  ${quote(above)} -> ${quote(row[0].first)} [style="invis"];`);
    above = row[0].first;
  }
  out.push('}');
  return out;
}
