import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { loadEnvironments, LoadedEnvironment } from '../config/load';
import { ConfigError, throwIfAny } from '../config/errors';
import { PolicyError } from '../constructs/policies/pack';
import { MfaHaStack } from './mfa-ha-stack';
import { installSynthesis, refuseStateInside } from './output-directory';
import { preflight } from './preflight';
import { stageMoveErrors } from './stage-history';
import { UserError } from './user-error';

export { UserError };

/** Output directory: the cdktf CLI's when it runs the app, else `cdktf.out`. */
export const outdirOf = (env: NodeJS.ProcessEnv = process.env) => env.CDKTF_OUTDIR ?? 'cdktf.out';

/**
 * Builds one stack per environment and synthesizes them into `outdir`. The stacks are written to a sibling
 * temporary directory first and moved into `outdir` only once everything succeeded, so a failed run leaves an
 * earlier `outdir` untouched and writes nothing; a successful one replaces only what synth writes, so
 * `.terraform/`, lock and plan files survive (./output-directory.ts). Refuses while state sits in `outdir`.
 * `warn` receives a line for each removed environment's folder moved aside; `leaveEmptyFolders` leaves an
 * empty folder for each stack that is gone, for the cdktf CLI, which removes them itself.
 */
export function synthesizeEnvironments(
  environments: readonly LoadedEnvironment[],
  outdir: string,
  warn: (line: string) => void = () => {},
  leaveEmptyFolders = false,
): MfaHaStack[] {
  refuseStateInside(outdir);
  // A migration stage moves one step at a time from the last one deployed or synthesized (./stage-history.ts).
  throwIfAny(stageMoveErrors(environments, outdir));
  const parent = path.dirname(path.resolve(outdir));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `${path.basename(outdir)}.staging-`));
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    const stacks = environments.map(({ env }) => new MfaHaStack(app, env));
    app.synth();
    for (const line of installSynthesis(staging, outdir, leaveEmptyFolders)) warn(line);
    return stacks;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The app's entry point: load, validate, synthesize, quietly; a user mistake exits 1 with one line per mistake
 * on stderr. Warnings go to stderr, or to stdout under the cdktf CLI (which labels all of stderr `[ERROR]`).
 */
export function main(env: NodeJS.ProcessEnv = process.env): void {
  const underCli = env.CDKTF_OUTDIR !== undefined;
  const out = underCli ? process.stdout : process.stderr;
  try {
    const warn = (line: string) => out.write(`warning: ${line}\n`);
    // Under the cdktf CLI, before it runs Terraform: what diff and deploy will miss, one line each (./preflight.ts).
    if (underCli) preflight(env).forEach(warn);
    const environments = loadEnvironments(env.MFA_HA_CONFIG, (w) => warn(w.message));
    synthesizeEnvironments(environments, outdirOf(env), warn, underCli);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UserError || e instanceof PolicyError) {
      // A policy violation has one line per finding.
      for (const line of e.message.split('\n')) process.stderr.write(`error: ${line}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
