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
  // eslint-disable-next-line no-control-regex -- a control character would break the one line per mistake: it is matched to be escaped
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Mistakes reported per run: beyond it a last line says how many more there are. */
export const MAX_REPORTED_MISTAKES = 25;

/**
 * Every mistake found in one run, one line each (see ConfigError), at most MAX_REPORTED_MISTAKES of
 * them and a last line saying how many more there are. It is a ConfigError whose file, field path,
 * expectation and value are the first mistake's.
 */
export class ConfigErrors extends ConfigError {
  constructor(readonly errors: readonly ConfigError[]) {
    const first = errors[0];
    super(first.file, first.fieldPath, first.expected, first.got, first.hasGot);
    this.name = 'ConfigErrors';
    const shown = errors.slice(0, MAX_REPORTED_MISTAKES).map((e) => e.message);
    const more = errors.length - shown.length;
    if (more > 0) shown.push(`${more} more mistake(s) not shown: only the first ${MAX_REPORTED_MISTAKES} are reported; fix these and run again`);
    this.message = shown.join('\n');
  }
}

/** Throws the mistakes found, one or many; does nothing when there are none. */
export function throwIfAny(errors: readonly ConfigError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(errors);
}
