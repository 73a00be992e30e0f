import * as fs from 'fs';
import * as path from 'path';
import { localStateFile, STATE_FILE } from './local-state';
import { UserError } from './user-error';

/**
 * What synth writes into a stack's folder (cdktf's Manifest: `cdk.tf.json`, or `cdk.tf` and `metadata.json`
 * with HCL output, and `assets/`). Everything else there is Terraform's (`.terraform/`, `.terraform.lock.hcl`,
 * plan files) or the user's, and synth keeps it.
 */
export const SYNTHESIZED = ['cdk.tf.json', 'cdk.tf', 'metadata.json', 'assets'];
const STACKS = 'stacks';
/** Where the folder of a removed environment goes when it holds more than synth wrote: beside `stacks/`, as deep. */
export const ORPHANED = 'orphaned';

/**
 * Refuses, one line per stack folder, to synthesize while a state file sits where earlier versions put it
 * (`<outdir>/stacks/<env>/terraform.<env>.tfstate`): synth never deletes one, and the stack now reads it
 * from the folder that holds `outdir` (./local-state.ts).
 */
export function refuseStateInside(outdir: string): void {
  const home = shown(path.dirname(path.resolve(outdir)));
  const lines = foldersOf(path.join(outdir, STACKS)).flatMap((name) => {
    const folder = path.join(outdir, STACKS, name);
    const state = fs
      .readdirSync(folder)
      .filter((f) => STATE_FILE.test(f))
      .sort()[0];
    if (!state) return [];
    const file = state.replace(/\.backup$/, '');
    const found = `${path.join(folder, state)} is Terraform state where earlier versions kept it, inside ${outdir}, which synth rewrites`;
    const there = path.join(home, file);
    return fs.existsSync(there)
      ? [`${found}, and ${there} exists too: keep the one with the higher "serial", move it to ${there}, delete the other`]
      : [`${found}; move it out first: mv ${path.join(folder, file)}* ${home}`];
  });
  if (lines.length > 0) throw new UserError(lines.join('\n'));
}

/**
 * Moves a complete synthesis from `staging` into `outdir`, replacing only what synth writes: each stack
 * folder keeps what Terraform and the user put there, and the manifest comes last. The folder of a stack
 * that is no longer synthesized is removed when it holds only synthesized files; otherwise it is moved to
 * `<outdir>/orphaned/<name>` and named in the returned warnings. `leaveEmptyFolders`: the cdktf CLI removes
 * the folders of stacks that disappeared after the app ran, and fails on one that is gone already.
 */
export function installSynthesis(staging: string, outdir: string, leaveEmptyFolders: boolean): string[] {
  if (!fs.existsSync(outdir)) {
    fs.renameSync(staging, outdir);
    return [];
  }
  const stacks = path.join(outdir, STACKS);
  fs.mkdirSync(stacks, { recursive: true });
  const synthesized = foldersOf(path.join(staging, STACKS));
  for (const name of synthesized) moveEntries(path.join(staging, STACKS, name), path.join(stacks, name));
  const warnings = foldersOf(stacks)
    .filter((name) => !synthesized.includes(name))
    .flatMap((name) => retire(outdir, name, leaveEmptyFolders));
  moveEntries(staging, outdir, [STACKS]);
  return warnings;
}

/** Moves every entry of `from` into `to`, replacing synthesized ones; files are renamed over their old copy. */
function moveEntries(from: string, to: string, skip: readonly string[] = []): void {
  if (!fs.existsSync(to)) return fs.renameSync(from, to);
  const entries = fs.readdirSync(from).filter((e) => !skip.includes(e));
  for (const stale of SYNTHESIZED.filter((e) => !entries.includes(e))) fs.rmSync(path.join(to, stale), { recursive: true, force: true });
  for (const entry of entries) {
    const target = path.join(to, entry);
    if (fs.existsSync(target) && fs.statSync(target).isDirectory()) fs.rmSync(target, { recursive: true });
    fs.renameSync(path.join(from, entry), target);
  }
}

/** Removes the folder of a stack no longer synthesized, or moves it aside when it holds more than synth wrote. */
function retire(outdir: string, name: string, leaveEmptyFolder: boolean): string[] {
  const folder = path.join(outdir, STACKS, name);
  const state = path.join(path.dirname(outdir), localStateFile(name));
  const held = fs
    .readdirSync(folder)
    .filter((e) => !SYNTHESIZED.includes(e))
    .sort();
  const hasState = fs.existsSync(state);
  let warning: string[] = [];
  if (held.length === 0 && !hasState) {
    fs.rmSync(folder, { recursive: true });
  } else {
    const backend = backendOf(folder);
    const aside = freeName(path.join(outdir, ORPHANED, name));
    fs.mkdirSync(path.dirname(aside), { recursive: true });
    fs.renameSync(folder, aside);
    const what = [...(held.length ? [`holds ${held.join(', ')}`] : []), ...(hasState ? [`its state ${state} is kept`] : [])].join('; ');
    warning = [`${folder} belongs to no environment file any more (${what}): moved to ${aside}; ${whatWasDeployed(aside, state, backend)}`];
  }
  if (leaveEmptyFolder) fs.mkdirSync(folder);
  return warning;
}

/** The backend a synthesized stack folder declares (`local`, `azurerm`), if it can be read. */
function backendOf(folder: string): string | undefined {
  try {
    const stack = JSON.parse(fs.readFileSync(path.join(folder, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: Record<string, unknown> } };
    return Object.keys(stack.terraform?.backend ?? {})[0];
  } catch {
    return undefined;
  }
}

/**
 * What the state says was deployed, for the warning of a folder moved aside: only state that holds resources
 * calls the environment deployed and says how to destroy it; a plan or a `.terraform/` folder only shows Terraform ran.
 */
function whatWasDeployed(aside: string, state: string, backend: string | undefined): string {
  const destroy = `cd ${aside} && terraform destroy`;
  if (backend !== undefined && backend !== 'local') return `its state is in the ${backend} backend, which synth does not read: if it was deployed, ${destroy}`;
  const leave = 'delete the folder when you no longer need it';
  if (!fs.existsSync(state)) return `no state shows it was ever deployed (${state} does not exist): ${leave}`;
  const resources = resourcesInState(state);
  if (resources === undefined) return `its state ${state} cannot be read: if it holds resources, ${destroy}`;
  if (resources === 0) return `its state holds no resource, so nothing of it is deployed: ${leave}`;
  return `its state holds ${resources} resource${resources === 1 ? '' : 's'}: to destroy them, ${destroy}`;
}

/** The managed resource instances a Terraform state file (format 4) holds; undefined when it cannot be read. */
function resourcesInState(file: string): number | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as { resources?: { mode?: string; instances?: unknown[] }[] };
    return (state.resources ?? []).filter((r) => r.mode === 'managed' && (r.instances?.length ?? 0) > 0).length;
  } catch {
    return undefined;
  }
}

/** A path as a user types it: relative to the working directory, or absolute when that would climb out of it. */
function shown(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' ? '.' : relative.startsWith('..') ? dir : relative;
}

function freeName(wanted: string): string {
  let candidate = wanted;
  for (let n = 2; fs.existsSync(candidate); n++) candidate = `${wanted}-${n}`;
  return candidate;
}

function foldersOf(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
