import { MEASURED_FONT } from './diagram-style';

/*
 * DOT text helpers shared by the diagram and its key: quoting, attribute lists and HTML-like labels.
 */

/** An attribute value: a string (quoted), a number, or an HTML-like label (`<...>`, written as is). */
export type DotValue = string | number | undefined;

/** Escapes text for an HTML-like label. */
export const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A quoted DOT identifier. */
export const quote = (id: string) => `"${id.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** `a="1", b=<...>`: undefined values are left out. */
export const attrs = (a: Record<string, DotValue>) =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (typeof v === 'string' && v.startsWith('<') && v.endsWith('>') ? `${k}=${v}` : `${k}=${quote(String(v))}`))
    .join(', ');

/** An HTML-like label: a bold first line, then plain lines. */
export const label = (title: string, lines: readonly string[]) => `<<B>${html(title)}</B>${lines.map((l) => `<BR/>${html(l)}`).join('')}>`;

/** The defaults every diagram starts with: one measured font everywhere. */
export const FONT_DEFAULTS = { fontname: MEASURED_FONT } as const;
