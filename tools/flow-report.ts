import { cellKey, FlowMatrix, MatrixCell } from './flow-matrix';

/** What a report is of, and how much of it to show. */
export interface ReportOptions {
  /** The first line: what was evaluated. */
  readonly title: string;
  /** Also list every denied cell with the rule that denied it. @default false */
  readonly all?: boolean;
  /** How each subnet leaves the virtual network: `[subnet, path]`. */
  readonly egress?: readonly (readonly [string, string])[];
  /** What the servers reach without an NSG rule (platform endpoints NSGs do not filter): `[what, source]`. */
  readonly unfiltered?: readonly (readonly [string, string])[];
  /** The DNS names of the design: `[name, where it points]`. */
  readonly names?: readonly (readonly [string, string])[];
}

const ALLOWED = '✓';
const DENIED = '·';

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - text.length));
const padLeft = (text: string, width: number) => ' '.repeat(Math.max(0, width - text.length)) + text;

/**
 * The matrix as text: a grid of source → destination rows and port columns (✓ allowed, · denied), then
 * each allowed cell with the rule that allowed it (and, with `all`, each denied cell with the rule that denied it).
 */
export function formatMatrix(matrix: FlowMatrix, options: ReportOptions): string {
  const allowed = matrix.cells.filter((c) => c.allowed);
  const lines = [
    options.title,
    `${matrix.sources.length} sources x ${matrix.destinations.length} destinations x ${matrix.ports.length} ports: ` +
      `${allowed.length} of ${matrix.cells.length} allowed (${ALLOWED} allowed, ${DENIED} denied)`,
    '',
  ];

  const rows = new Map<string, Map<string, MatrixCell>>();
  for (const cell of matrix.cells) {
    const row = `${cell.source} -> ${cell.destination}`;
    if (!rows.has(row)) rows.set(row, new Map());
    rows.get(row)!.set(cell.port, cell);
  }
  const first = Math.max(...[...rows.keys()].map((r) => r.length), 'source -> destination'.length) + 2;
  const numbers = matrix.ports.map((p) => p.split('/')[1]);
  const widths = numbers.map((n) => n.length);
  let protocols = pad('', first);
  let previous = '';
  matrix.ports.forEach((p, i) => {
    const protocol = p.split('/')[0];
    protocols += pad(protocol === previous ? '' : protocol, widths[i] + 1);
    previous = protocol;
  });
  lines.push(protocols.trimEnd(), (pad('source -> destination', first) + numbers.join(' ')).trimEnd());
  for (const [row, cells] of rows) {
    const marks = matrix.ports.map((p, i) => padLeft(cells.get(p)?.allowed ? ALLOWED : DENIED, widths[i]));
    lines.push(pad(row, first) + marks.join(' '));
  }

  const describe = (cells: readonly MatrixCell[]) => {
    const width = Math.max(...cells.map((c) => cellKey(c).length)) + 2;
    return cells.map((c) => {
      const outbound = c.allowed && c.outbound !== 'no NSG' && c.outbound !== c.decidedBy ? `  (leaving: ${c.outbound})` : '';
      return `  ${pad(cellKey(c), width)}${c.decidedBy}${outbound}`;
    });
  };
  lines.push('', 'Allowed, and the rule that allows it:', ...(allowed.length > 0 ? describe(allowed) : ['  nothing']));
  if (options.names && options.names.length > 0) {
    const width = Math.max(...options.names.map(([name]) => name.length)) + 2;
    lines.push(
      '',
      'Names clients use (npm run dns -- <environment> prints the records):',
      ...options.names.map(([name, target]) => `  ${pad(name, width)}${target}`),
    );
  }
  if (options.egress && options.egress.length > 0) {
    const width = Math.max(...options.egress.map(([subnet]) => subnet.length)) + 2;
    lines.push(
      '',
      'Egress path of each subnet (what the NSGs let out of the virtual network leaves this way):',
      ...options.egress.map(([subnet, path]) => `  ${pad(subnet, width)}${path}`),
    );
  }
  if (options.unfiltered && options.unfiltered.length > 0) {
    lines.push('', 'Reached without an NSG rule (the platform does not filter these):', ...options.unfiltered.map(([what, source]) => `  ${what}: ${source}`));
  }
  const denied = matrix.cells.filter((c) => !c.allowed);
  if (options.all && denied.length > 0) lines.push('', 'Denied, and the rule that denies it:', ...describe(denied));
  if (!options.all) lines.push('', 'Pass --all to list the denied flows with their rules, --json for every cell.');
  return `${lines.join('\n')}\n`;
}

/** The matrix as machine-readable JSON: the endpoints with their representative addresses, the ports and every cell. */
export function matrixJson(matrix: FlowMatrix, meta: { readonly environment: string; readonly stackFile: string }): string {
  const document = {
    environment: meta.environment,
    stackFile: meta.stackFile,
    summary: { cells: matrix.cells.length, allowed: matrix.cells.filter((c) => c.allowed).length },
    sources: matrix.sources,
    destinations: matrix.destinations.map((d) => d.id),
    ports: matrix.ports,
    cells: matrix.cells,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
