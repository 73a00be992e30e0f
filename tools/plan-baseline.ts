import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { StackDocument } from './synth-diff';
import { isRecord } from '../constructs/policies/stack-view';

/*
 * What `npm run diff` compares the working tree with, when it compares with the last synth: what Terraform
 * would start from. Terraform plans against its state, not against a synth: an environment without state is
 * created from nothing, whatever was synthesized before (`npm run new-env` synthesizes the new environment at
 * once). The diff reads what it can offline:
 * - a local backend's state file (`terraform.backend.local.path`, from the stack's folder): no file, or one with
 *   no resource, is an environment never deployed; otherwise the addresses it holds are what exists;
 * - a remote backend (azurerm) is not read. An environment Terraform never ran for here (no `.terraform/` in its
 *   stack folder, which `cdktf diff` and `cdktf deploy` create) whose file is not committed either (the pipelines
 *   deploy committed files only) is never deployed; otherwise the last synth stands for what is deployed.
 */

/** What the plan of one environment starts from. */
export interface Baseline {
  readonly doc: StackDocument;
  /** `never deployed`: nothing exists yet; `new`: not in the last synth, whatever the state; every resource is to be added. */
  readonly presence?: 'never deployed' | 'new';
  /** What the comparison rests on, a sentence each. */
  readonly notes: readonly string[];
}

/** The managed resource addresses of a Terraform state file (format 4), or undefined when there is no readable one. */
export function stateAddresses(file: string): Set<string> | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      resources?: { mode?: string; type?: string; name?: string; module?: string; instances?: unknown[] }[];
    };
    return new Set(
      (state.resources ?? []).filter((r) => r.mode === 'managed' && !r.module && (r.instances?.length ?? 0) > 0).map((r) => `${r.type}.${r.name}`),
    );
  } catch {
    return undefined;
  }
}

/** The document with only the managed resources `keep` accepts. */
function restricted(doc: StackDocument, keep: (address: string) => boolean): StackDocument {
  const resource = Object.fromEntries(
    Object.entries(isRecord(doc.resource) ? doc.resource : {}).map(([type, byName]) => [
      type,
      Object.fromEntries(Object.entries(isRecord(byName) ? byName : {}).filter(([name]) => keep(`${type}.${name}`))),
    ]),
  );
  return { ...doc, resource };
}

/** The body of a managed resource of a document, if it has one. */
function bodyOf(doc: StackDocument, address: string): unknown {
  const byName = isRecord(doc.resource) ? doc.resource[address.split('.')[0]] : undefined;
  return isRecord(byName) ? byName[address.slice(address.indexOf('.') + 1)] : undefined;
}

/** True when git knows `file` as committed (or cannot tell: not a repository). */
function committed(root: string, file: string): boolean {
  const run = spawnSync('git', ['ls-files', '--error-unmatch', '--', path.resolve(file)], { cwd: root, encoding: 'utf8' });
  if (run.status === 0) return true;
  return /not a git repository/i.test(run.stderr);
}

/**
 * The baseline of environment `name` from its last synth (`lastSynth`, undefined when it was never synthesized)
 * and what the working tree synthesizes now (`current`): its backend decides where its state is.
 */
export function baselineOf(
  name: string,
  lastSynth: StackDocument | undefined,
  current: StackDocument,
  options: { readonly outdir: string; readonly root: string; readonly file?: string },
): Baseline {
  const backend = isRecord(current.terraform) && isRecord(current.terraform.backend) ? current.terraform.backend : undefined;
  const folder = path.join(options.outdir, 'stacks', name);
  // The working tree changed since the last synth: say where that change shows.
  const edited =
    lastSynth && JSON.stringify(lastSynth) !== JSON.stringify(current)
      ? [`What the working tree changes in the configuration, against a commit: npm run diff -- ${name} --against HEAD`]
      : [];
  const never = (why: string): Baseline => ({
    doc: {},
    presence: 'never deployed',
    notes: [`Never deployed: ${why}, so Terraform would create every resource.`, ...edited],
  });
  if (!backend || isRecord(backend.local)) {
    const file = path.resolve(folder, String((isRecord(backend?.local) ? backend.local.path : undefined) ?? 'terraform.tfstate'));
    const addresses = stateAddresses(file);
    if (!addresses) return never(`there is no Terraform state at ${file}`);
    if (addresses.size === 0) return never(`the Terraform state at ${file} holds no resource`);
    const doc = restricted(lastSynth ?? {}, (a) => addresses.has(a));
    const notes = [`Its state (${file}) holds ${addresses.size} resources: the last synth, limited to them, stands for what is deployed.`];
    // In the state, not in the last synth (an apply of another synth): the working tree's body when it has one.
    const missing = [...addresses].filter((a) => bodyOf(doc, a) === undefined).sort();
    for (const a of missing) {
      const [type, key] = [a.split('.')[0], a.slice(a.indexOf('.') + 1)];
      const resource = doc.resource as Record<string, Record<string, unknown>>;
      resource[type] = { ...resource[type], [key]: bodyOf(current, a) ?? {} };
    }
    if (missing.length)
      notes.push(
        `${missing.length} resources of the state are not in the last synth: those the working tree declares are taken as unchanged, the others are to be destroyed.`,
      );
    return { doc, notes };
  }
  const kind = Object.keys(backend)[0];
  const ran = fs.existsSync(path.join(folder, '.terraform'));
  if (!ran && options.file && !committed(options.root, options.file)) {
    return never(
      `its state is in the ${kind} backend, Terraform never ran for it here (no ${path.join(folder, '.terraform')}) and ${options.file} is not committed (the pipelines deploy committed files)`,
    );
  }
  const remote = `Its state is in the ${kind} backend, which the offline diff does not read`;
  if (!lastSynth) return { doc: {}, presence: 'new', notes: [`${remote}, and the last synth does not have it: every resource is shown as to be added.`] };
  return { doc: lastSynth, notes: [`${remote}: the last synth stands for what is deployed.`] };
}
