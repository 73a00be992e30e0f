import * as fs from 'fs';
import * as path from 'path';
import { loadEnvironments } from '../config/load';
import { Environment } from '../config/schema';
import { allowedFlows } from '../constructs/traffic-flows';
import { flowOptionsOf } from '../stacks/environment-options';
import { outdirOf, synthesizeEnvironments, UserError } from '../stacks/synthesize';
import { noEnvironmentNamed } from '../stacks/user-error';
import { NamedGroup } from './flow-matrix';
import { readStack, StackJson } from './terraform-json';

/** A synthesized environment, ready for the tools. */
export interface SynthesizedEnvironment {
  readonly name: string;
  /** The `cdk.tf.json` it was read from. */
  readonly file: string;
  readonly stack: StackJson;
  /** The validated configuration, when the environment files still define it. */
  readonly env?: Environment;
}

/** How to find (or make) a synthesized environment. */
export interface EnsureOptions {
  /** Synthesize even when the stack file exists. @default false */
  readonly synth?: boolean;
  /** Where the environment files are (file or directory). @default $MFA_HA_CONFIG, else `environments/` */
  readonly config?: string;
  /** @default $CDKTF_OUTDIR, else `cdktf.out` */
  readonly outdir?: string;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** Where the synthesized stack of an environment lives. */
export const stackFileOf = (outdir: string, name: string) => path.join(outdir, 'stacks', name, 'cdk.tf.json');

/**
 * Reads the synthesized stack of environment `name`. Synthesizes every environment first (as `npm run synth`
 * does, into the same output directory) when asked to, or when the stack has not been synthesized yet.
 */
export function ensureSynthesized(name: string, options: EnsureOptions = {}): SynthesizedEnvironment {
  const log = options.log ?? (() => {});
  const outdir = options.outdir ?? outdirOf();
  const file = stackFileOf(outdir, name);
  const environments = loadEnvironments(options.config ?? process.env.MFA_HA_CONFIG);
  const loaded = environments.find((e) => e.env.name === name);
  const known = environments.map((e) => e.env.name).join(', ');
  if (options.synth || !fs.existsSync(file)) {
    if (!loaded)
      throw noEnvironmentNamed(
        name,
        environments.map((e) => e.env.name),
      );
    log(options.synth ? `synthesizing ${known}...` : `${file} is missing: synthesizing ${known}...`);
    synthesizeEnvironments(environments, outdir, (line) => log(`warning: ${line}`));
  } else if (loaded && fs.statSync(loaded.file).mtimeMs > fs.statSync(file).mtimeMs) {
    log(`note: ${loaded.file} changed after ${file} was synthesized; pass --synth to synthesize again`);
  }
  if (!fs.existsSync(file)) throw new UserError(`${file} does not exist (known environments: ${known})`);
  log(`reading ${file}`);
  return { name, file, stack: readStack(file), env: loaded?.env };
}

/**
 * Names for the address ranges of an environment (`management`, `radius-clients`, `bastion`,
 * `azure-mfa-service`): the labels of the allowed-flow table's peers. They only name things in reports.
 */
export function namedGroupsOf(env: Environment | undefined): NamedGroup[] {
  if (!env) return [];
  const groups = new Map<string, NamedGroup>();
  for (const flow of allowedFlows(flowOptionsOf(env))) {
    for (const peer of [flow.from, flow.to]) {
      if (peer.kind === 'cidrs' && peer.cidrs.length > 0) groups.set(peer.label, { label: peer.label, cidrs: [...peer.cidrs] });
    }
  }
  return [...groups.values()].sort((a, b) => a.label.localeCompare(b.label));
}
