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
    super(`${file}: ${fieldPath || '(top level)'} ${expected}${hasGot ? `, got ${show(got)}` : ''}`);
    this.name = 'ConfigError';
  }
}

/** Renders a value found in a config file for an error message, short enough for one line. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
