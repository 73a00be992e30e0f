import { main } from '../tools/commands';

/** What a command line printed, and its exit code (undefined: it set none, which is 0). */
export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
  /** The `error: ` lines of stderr. */
  readonly errors: readonly string[];
  readonly exitCode: number | string | undefined;
  /** CHECKPOINT_DISABLE as the command left it, for its child processes. */
  readonly checkpointDisable: string | undefined;
}

/**
 * Runs `mfa-ha …argv` in this process (no child process per case: the suite stays fast), with `env` added to the
 * environment for the run, capturing stdout and stderr.
 */
export async function runMfaHa(argv: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { exitCode: process.exitCode, env: { ...process.env } };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  process.exitCode = undefined;
  Object.assign(process.env, env);
  try {
    await main(argv);
    const text = err.join('');
    return {
      stdout: out.join(''),
      stderr: text,
      errors: text.split('\n').filter((l) => l.startsWith('error: ')),
      exitCode: process.exitCode,
      checkpointDisable: process.env.CHECKPOINT_DISABLE,
    };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = saved.exitCode;
    process.env = saved.env;
  }
}
