/**
 * A mistake in an environment file. Its message is the single line a user sees:
 * `<file>: <field path> must be <what was expected>, got <what was found>`.
 */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly fieldPath: string,
    readonly expected: string,
    readonly got?: unknown,
    readonly hasGot: boolean = arguments.length >= 4,
  ) {
    super(oneLine(`${file}: ${fieldPath || '(top level)'} ${expected}${hasGot ? `, got ${show(got)}` : ''}`));
    this.name = 'ConfigError';
  }
}

/** Renders a value found in a config file for an error message, short enough for one line. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Escapes line breaks and other control characters: a field name, a value or a JSON parser's excerpt
 * taken from a file may hold them, and the message must stay one line.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
