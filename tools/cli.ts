import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors';
import { UserError } from '../stacks/user-error';

/*
 * The command line (`mfa-ha <command>`, package.json `bin`; the npm scripts are aliases of it): one declaration per
 * command (a Tool), parsed by commander (https://github.com/tj/commander.js, docs/development.md says why). Every
 * command answers --help; refuses an unknown command, option or environment, a missing or extra argument with one
 * line and a did-you-mean where one is close; and exits 0 when it did its work, 1 on any mistake (diff: 2 when there
 * are changes, 3 with --fail-on-replace, as documented in docs/offline-diff.md). What a command produces goes to
 * stdout, alone, so that `mfa-ha dns prod > records.ps1` writes only PowerShell; progress goes to stderr as
 * `[command] …`, mistakes as `error: …`.
 */

/** An option of a command: a switch, or one that takes a value. */
export interface ToolOption {
  readonly type: 'boolean' | 'string';
  /** One line for --help. */
  readonly description?: string;
  /** The value's name in --help (`--out <file>`). @default 'value' */
  readonly value?: string;
  readonly default?: string;
}

/** The parsed command line a tool runs with. */
export interface ToolArgs {
  /** The one environment (or new name) named, for a tool that takes one. */
  readonly environment: string;
  /** Every environment named, for a tool that takes any number. */
  readonly environments: readonly string[];
  readonly values: Record<string, string | boolean | undefined>;
}

/** A command: its name (the progress prefix), what it does, what it takes, and its body. */
export interface Tool<O extends Record<string, ToolOption> = Record<string, ToolOption>> {
  readonly name: string;
  /** One line for --help. */
  readonly description: string;
  readonly options: O;
  /**
   * What it takes besides options: exactly one environment, any number (none: every environment), a new
   * environment's name, or nothing. @default 'one'
   */
  readonly environments?: 'one' | 'any' | 'new' | 'none';
  /** Lines for the end of --help: examples, exit codes. */
  readonly help?: string;
  /** For a command that takes nothing: why, said when it is given an argument anyway. */
  readonly takesNothingBecause?: string;
  readonly run: (args: ToolArgs, log: (line: string) => void) => Promise<void> | void;
}

/** The help lines on exit codes and where output goes, the same for every command. */
const COMMON_HELP = `
Output: what the command produces goes to stdout alone (redirect it: > file); progress and errors go to stderr.
Exit codes: 0 done; 1 a mistake (bad option, unknown environment, invalid configuration), one line each.`;

/** Commander's error lines made one: `error: unknown option '--x'\n(Did you mean --y?)` → `… (did you mean --y?)`. */
export function oneLineError(text: string, command: string): string {
  const joined = text
    .trim()
    .replace(/\n\(Did you mean (.*)\?\)/, ' (did you mean $1?)')
    .replace(/\s*\n\s*/g, ' ');
  return `${joined.replace(/\.$/, '')}; see ${command} --help\n`;
}

/** Adds `tool` to `program` as a subcommand. */
function addTool(program: Command, tool: Tool): void {
  const command = program.command(tool.name).description(tool.description);
  command.configureOutput({ outputError: (text, write) => write(oneLineError(text, `${program.name()} ${tool.name}`)) });
  const takes = tool.environments ?? 'one';
  if (takes === 'one') command.argument('<environment>', 'the name of an environment (environments/<name>.json, or MFA_HA_CONFIG)');
  if (takes === 'any') command.argument('[environments...]', 'environment names (default: every environment)');
  if (takes === 'new') command.argument('<name>', "the new environment's name: 2-7 lowercase letters or digits, starting with a letter");
  // Refused in the action, with the reason, rather than with commander's count of arguments.
  if (takes === 'none') command.allowExcessArguments(true);
  for (const [name, option] of Object.entries(tool.options)) {
    const flags = option.type === 'string' ? `--${name} <${option.value ?? 'value'}>` : `--${name}`;
    command.option(flags, option.description ?? '', option.default);
  }
  command.addHelpText('after', `${tool.help ? `\n${tool.help.trim()}\n` : ''}${COMMON_HELP}`);
  command.action(async (...args: unknown[]) => {
    const opts = (args.at(-1) as Command).opts() as Record<string, string | boolean | undefined>;
    const values = Object.fromEntries(Object.keys(tool.options).map((name) => [name, opts[camel(name)]]));
    const first = args[0];
    const extra = takes === 'none' ? (args.at(-1) as Command).args : [];
    if (extra.length > 0)
      throw new UserError(
        `${tool.name} takes no argument${tool.takesNothingBecause ? `: ${tool.takesNothingBecause}` : ''}, got ${extra.map((a) => JSON.stringify(a)).join(' ')}`,
      );
    const environments = takes === 'any' ? (first as string[]) : takes === 'none' ? [] : [first as string];
    await tool.run({ environment: environments[0], environments, values }, (line) => process.stderr.write(`[${tool.name}] ${line}\n`));
  });
}

/** Commander's key for an option: `--public-ip` → `publicIp`. */
const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The program: `tools` as subcommands, errors on one line, no process.exit (the caller sets the exit code). */
export function programOf(tools: readonly Tool[], name = 'mfa-ha', description?: string): Command {
  const program = new Command(name)
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(oneLineError(text, name)),
    });
  if (description) program.description(description);
  program.addHelpText('after', COMMON_HELP);
  for (const tool of tools) addTool(program, tool);
  return program;
}

/**
 * Runs the command line `argv` (without node and the script) against `tools`, in this process: sets
 * process.exitCode rather than exiting, so that tests run it in-process and a redirected stdout is flushed.
 */
export async function runCli(tools: readonly Tool[], argv: readonly string[], name = 'mfa-ha', description?: string): Promise<void> {
  // Piped into `head`: stop quietly when the reader has gone.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  const program = programOf(tools, name, description);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are CommanderErrors too, with exit code 0.
      process.exitCode = e.exitCode;
      return;
    }
    if (e instanceof ConfigError || e instanceof UserError) {
      // A config error holds one line per mistake.
      for (const line of e.message.split('\n')) process.stderr.write(`error: ${line}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}

/** Runs one tool as `mfa-ha <tool.name> …argv`. */
export function runTool(tool: Tool, argv: readonly string[]): Promise<void> {
  return runCli([tool], [tool.name, ...argv]);
}
