import { oneLine } from './errors';

/**
 * What is worth knowing about an environment file but is not a mistake: it is printed, and the run goes
 * on. Its message is one line: `<file>: <field path> <what was noticed>`.
 */
export class ConfigWarning {
  readonly message: string;
  constructor(
    readonly file: string,
    readonly fieldPath: string,
    readonly text: string,
  ) {
    this.message = oneLine(`${file}: ${fieldPath || '(top level)'} ${text}`);
  }
}

/** The default warning channel: one `warning:` line on stderr, which does not fail the run. */
export function writeWarning(warning: ConfigWarning): void {
  process.stderr.write(`warning: ${warning.message}\n`);
}
