import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { loadEnvironments, LoadedEnvironment } from '../config/load';
import { ConfigError } from '../config/errors';
import { PolicyError } from '../constructs/policies/pack';
import { MfaHaStack } from './mfa-ha-stack';

/** An error a user can fix: printed as its one-line message, without a stack trace. */
export class UserError extends Error {}

/** Output directory: the cdktf CLI's when it runs the app, else `cdktf.out`. */
export const outdirOf = (env: NodeJS.ProcessEnv = process.env) => env.CDKTF_OUTDIR ?? 'cdktf.out';

/**
 * Builds one stack per environment and synthesizes them into `outdir`, atomically: the stacks are
 * written to a sibling temporary directory that replaces `outdir` only once everything succeeded, so a
 * failed run leaves an earlier `outdir` untouched and writes nothing.
 */
export function synthesizeEnvironments(environments: readonly LoadedEnvironment[], outdir: string, log: (line: string) => void = () => {}): MfaHaStack[] {
  const parent = path.dirname(path.resolve(outdir));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `${path.basename(outdir)}.staging-`));
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    const stacks = environments.map(({ env }, i) => {
      log(`[synth] ${env.name} (${i + 1}/${environments.length})`);
      return new MfaHaStack(app, env);
    });
    app.synth();
    replaceDirectory(staging, outdir);
    log(`[synth] wrote ${stacks.length} stack(s) to ${outdir}`);
    return stacks;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function replaceDirectory(from: string, to: string): void {
  const old = `${from}.old`;
  if (fs.existsSync(to)) fs.renameSync(to, old);
  fs.renameSync(from, to);
  fs.rmSync(old, { recursive: true, force: true });
}

/** The app's entry point: load, validate, synthesize; a user mistake exits 1 with one line on stderr. */
export function main(env: NodeJS.ProcessEnv = process.env): void {
  try {
    const environments = loadEnvironments(env.MFA_HA_CONFIG);
    synthesizeEnvironments(environments, outdirOf(env), (line) => process.stderr.write(`${line}\n`));
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
