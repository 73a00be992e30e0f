import { parseArgs, ParseArgsConfig } from 'util';
import { ConfigError } from '../config/errors';
import { UserError } from '../stacks/synthesize';

/** A command-line tool: its name (the progress prefix), usage line, options and body. */
export interface Tool<O extends NonNullable<ParseArgsConfig['options']>> {
  readonly name: string;
  readonly usage: string;
  readonly options: O;
  /** How many environments it takes: exactly one, or any number (none: every environment). @default 'one' */
  readonly environments?: 'one' | 'any';
  readonly run: (args: { readonly environment: string; readonly environments: readonly string[]; readonly values: Record<string, string | boolean | undefined> }, log: (line: string) => void) => Promise<void> | void;
}

/**
 * Runs a tool: one positional argument (the environment; any number when the tool says so), progress on stderr
 * as `[name] …`, and a user's mistake (bad arguments, bad configuration, missing environment) as one line on
 * stderr (one per mistake) with exit code 1.
 */
export async function runTool<O extends NonNullable<ParseArgsConfig['options']>>(tool: Tool<O>, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const log = (line: string) => process.stderr.write(`[${tool.name}] ${line}\n`);
  // Piped into `head`: stop quietly when the reader has gone.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: tool.options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UserError(`${(e as Error).message} (usage: ${tool.usage})`);
    }
    if ((tool.environments ?? 'one') === 'one' && parsed.positionals.length !== 1) throw new UserError(`name exactly one environment (usage: ${tool.usage})`);
    await tool.run({ environment: parsed.positionals[0], environments: parsed.positionals, values: parsed.values as Record<string, string | boolean | undefined> }, log);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UserError) {
      // A config error holds one line per mistake.
      for (const line of e.message.split('\n')) process.stderr.write(`error: ${line}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
