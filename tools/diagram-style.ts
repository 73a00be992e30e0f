import { TierName } from '../constructs/values';

/*
 * The look of the topology diagram, as data: the DOT generator draws with these styles and the key (legend) is
 * drawn from the same rows, so a style cannot appear in the picture without its line in the key.
 */

/**
 * The font Graphviz measures text with. Graphviz (its WebAssembly build has no fonts) estimates text widths from
 * built-in metrics; Verdana's are the widest of the common sans-serif faces it knows (DejaVu Sans, Arial,
 * Helvetica, Liberation Sans are narrower), so every box is wide enough for any face of FONT_STACK.
 */
export const MEASURED_FONT = 'Verdana';

/**
 * What the SVG asks the viewer's browser for: Verdana, then the faces with Verdana's metrics or narrower ones that
 * Linux, macOS and Windows ship (DejaVu Sans is Bitstream Vera's successor, drawn to Verdana's proportions).
 */
export const FONT_STACK = "Verdana,'DejaVu Sans','Bitstream Vera Sans',Tahoma,Arial,Helvetica,'Liberation Sans',sans-serif";

/** Fill colour of each tier's subnet: the perimeter network warm, the internal tiers cool. */
export const TIER_FILL: Record<TierName, string> = { wap: '#fff1e0', adfs: '#e6f0ff', portal: '#e8f7ec', mfa: '#f1e9ff', nps: '#fdf6d8' };
/** Fill of a subnet that belongs to no tier (Azure Bastion's). */
export const OTHER_SUBNET_FILL = '#f6f8fa';

/** What each tier is, in one line of the key. */
export const TIER_ROLE: Record<TierName, string> = {
  wap: 'Web Application Proxy, the perimeter network',
  adfs: 'AD FS farm',
  portal: 'MFA Server user portal and mobile app web service',
  mfa: 'MFA Servers: a master and its subordinates',
  nps: 'NPS servers with the Entra MFA extension',
};

/** The kinds of arrow, each with one style and one line in the key. */
export type ArrowKind = 'internet' | 'tier' | 'replication' | 'admin' | 'range' | 'probe' | 'pool' | 'egress' | 'frontend';

/** How an arrow of one kind is drawn (DOT attributes) and what the key says of it. */
export interface ArrowStyle {
  readonly color: string;
  readonly style: 'solid' | 'dashed' | 'dotted' | 'bold';
  readonly penwidth: number;
  readonly meaning: string;
}

/** THE arrow styles, in the order of the key. */
export const ARROWS: Record<ArrowKind, ArrowStyle> = {
  internet: { color: '#1f5fbf', style: 'solid', penwidth: 1.4, meaning: 'from the Internet (what the NSGs allow), labelled with the ports' },
  tier: { color: '#24292f', style: 'solid', penwidth: 1.4, meaning: 'between tiers; through the load balancer that balances the port' },
  replication: { color: '#7a3fc2', style: 'bold', penwidth: 2.2, meaning: 'MFA replication: each subordinate to the master (mfa-master pool)' },
  admin: { color: '#7a3fc2', style: 'solid', penwidth: 1.2, meaning: 'administration (RDP from Azure Bastion)' },
  range: { color: '#9a6700', style: 'solid', penwidth: 1.4, meaning: 'from named address ranges outside the virtual network' },
  probe: { color: '#8c959f', style: 'dotted', penwidth: 1.4, meaning: 'load balancer health probes' },
  pool: { color: '#8c959f', style: 'dashed', penwidth: 1, meaning: 'load balancer to a backend pool member' },
  frontend: { color: '#1f5fbf', style: 'dashed', penwidth: 1.2, meaning: 'public IP address of a load balancer frontend' },
  egress: { color: '#c0362c', style: 'solid', penwidth: 1.4, meaning: 'egress, one arrow per path: subnet to its next hop, next hop to what it reaches' },
};

/** Boxes that are not subnets, each with one line in the key. */
export const BOXES = {
  server: { fill: 'white', border: '#57606a', penwidth: 1, meaning: 'server: computer name, role, availability zone' },
  master: { fill: 'white', border: '#7a3fc2', penwidth: 2.5, meaning: 'the MFA master' },
  loadBalancer: { fill: '#fffbe6', border: '#57606a', penwidth: 1, meaning: 'load balancer: DNS names, frontend, rules, probes' },
  outside: { fill: '#f6f8fa', border: '#57606a', penwidth: 1, meaning: 'outside the virtual network: where flows come from' },
  egress: { fill: '#fde8e7', border: '#57606a', penwidth: 1, meaning: 'egress: next hop, and what leaves through it' },
} as const;
