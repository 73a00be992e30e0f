import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { ConfigError } from '../config/errors';
import { parseEnvironment } from '../config/load';
import { Environment, EnvironmentInput } from '../config/schema';
import { MfaHaStack } from '../stacks/mfa-ha-stack';
import { SYNTH_CACHE_ENV } from './synth-cache';

/** Repository root. */
export const ROOT = path.resolve(__dirname, '..');

const shippedText = new Map<string, string>();

/**
 * The environments the tests take as fixtures: the shipped files. A user's own files beside them
 * (`npm run new-env -- lab`) are never a fixture: a test that copies `environments/` copies only these.
 */
export const SHIPPED_ENVIRONMENTS = ['dev', 'prod'] as const;

/** True for a file of `environments/` a fixture copy holds: a shipped environment or the schema, not a user's file. */
export function isFixtureFile(file: string): boolean {
  const base = path.basename(file);
  if (path.dirname(path.resolve(ROOT, file)) !== path.join(ROOT, 'environments') || !base.endsWith('.json')) return true;
  return base === 'environment.schema.json' || (SHIPPED_ENVIRONMENTS as readonly string[]).includes(base.replace(/\.json$/, ''));
}

let workstation: Record<string, string> | undefined;

/**
 * The environment of a workstation ready for `cdktf diff` (stacks/preflight.ts), whatever this machine has: a
 * `terraform` on the PATH (a stand-in: synth never runs it) and provider credentials in the environment. For tests
 * that run the app as the cdktf CLI does and must not depend on the machine's Terraform or Azure login.
 */
export function workstationEnv(): Record<string, string> {
  if (!workstation) {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-workstation-'));
    fs.writeFileSync(
      path.join(bin, process.platform === 'win32' ? 'terraform.cmd' : 'terraform'),
      process.platform === 'win32' ? '@exit /b 1\r\n' : '#!/bin/sh\nexit 1\n',
      { mode: 0o755 },
    );
    workstation = { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, ARM_USE_OIDC: 'true' };
  }
  return workstation;
}

/** A scratch `environments/` directory holding the shipped fixtures (only `only`'s files, when given) and the schema. */
export function fixtureEnvironments(only?: readonly string[]): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-fixtures-')), 'environments');
  fs.cpSync(path.join(ROOT, 'environments'), dir, {
    recursive: true,
    filter: (f) => isFixtureFile(f) && (!only || !f.endsWith('.json') || only.includes(path.basename(f))),
  });
  return dir;
}

/** The parsed text of a shipped environment file (a fresh object each call; the file is read once). */
export function shippedInput(name: 'dev' | 'prod'): EnvironmentInput {
  if (!shippedText.has(name)) shippedText.set(name, fs.readFileSync(path.join(ROOT, 'environments', `${name}.json`), 'utf8'));
  return JSON.parse(shippedText.get(name)!);
}

/** A deep copy of a shipped environment with `change` applied to it. */
export function variant(name: 'dev' | 'prod', change: (input: any) => void = () => {}): EnvironmentInput {
  const input = shippedInput(name);
  change(input);
  return input;
}

/** Takes the AD FS farm configuration out of an input, with the proxies' trust credential that only a farm has. */
export function withoutFarm(input: any): void {
  delete input.adfs.farm;
  delete input.wap.trustCredential;
}

/** Validates an environment input as the app does; `file` names it in errors. */
export function validate(input: unknown, file = 'test.json'): Environment {
  return parseEnvironment(file, JSON.stringify(input));
}

/** What a user is told of an environment input (as environments/test.json), a line per mistake, or undefined when it is valid. */
export function configErrorOf(input: unknown): string | undefined {
  try {
    validate(input, 'environments/test.json');
    return undefined;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message;
  }
}

/** What a user is told of an input that must be refused; fails the test when it is accepted. */
export function refusalOf(input: unknown): string {
  const message = configErrorOf(input);
  if (message === undefined) throw new Error('expected a ConfigError');
  return message;
}

/** A stack built from an environment input, in a test app. */
export function stackOf(input: EnvironmentInput): MfaHaStack {
  const app: App = Testing.app();
  return new MfaHaStack(app, validate(input));
}

/**
 * The synthesized Terraform JSON of an environment input (validations run). Within one jest run, each distinct
 * input is synthesized once and its JSON shared by every suite that asks again (the shipped environments are
 * asked for about eighty times); the code does not change during a run, and the synth is deterministic
 * (determinism.test.ts).
 */
export function synthJson(input: EnvironmentInput): string {
  const cache = process.env[SYNTH_CACHE_ENV];
  if (!cache) return freshSynthJson(input);
  const file = path.join(cache, `${createHash('sha256').update(JSON.stringify(input)).digest('hex')}.json`);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  const json = freshSynthJson(input);
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(partial, json);
  fs.renameSync(partial, file); // whole, for a worker that reads it at the same moment
  return json;
}

/** synthJson without the run's cache: for a test that synthesizes with a module mocked. */
export function freshSynthJson(input: EnvironmentInput): string {
  return Testing.synth(stackOf(input), true);
}

/** The synthesized Terraform of an environment input, parsed. */
export function synthObject(input: EnvironmentInput): TerraformJson {
  return JSON.parse(synthJson(input));
}

/** The parts of Terraform JSON that tests read. */
export interface TerraformJson {
  resource: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output: Record<string, any>;
  terraform: any;
  provider: any;
}

/** The resources of one type, as a list. */
export function resources(tf: TerraformJson, type: string): any[] {
  return Object.values(tf.resource[type] ?? {});
}

/**
 * `input` made another environment of the same directory: its own name, DNS names, secrets and address plan (the
 * second octet of every 10.x address moved by `shift`), so that only what a test changes is shared.
 */
export function apart(input: any, name: string, shift: number): any {
  const moved = JSON.parse(JSON.stringify(input).replace(/"10\.(20|30)\./g, (_m, o) => `"10.${Number(o) + shift}.`));
  moved.name = name;
  moved.dns = { mfaApp: `mfaapp.${name}.contoso.com`, portal: `mfa.${name}.contoso.com`, federationService: `sts.${name}.contoso.com` };
  // Environments never share a secret (config/uniqueness.ts): each copy reads secrets of its own name.
  const ownSecrets = (value: any): void => {
    if (Array.isArray(value)) value.forEach(ownSecrets);
    else if (value && typeof value === 'object') {
      if (typeof value.keyVaultResourceId === 'string' && typeof value.secretName === 'string') value.secretName = `${name}-${value.secretName}`;
      Object.values(value).forEach(ownSecrets);
    }
  };
  ownSecrets(moved);
  return moved;
}
