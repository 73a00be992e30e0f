import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironments } from '../config/load';
import { PolicyError } from '../constructs/policies/pack';
import { synthesizeEnvironments, UserError } from '../stacks/synthesize';
import { StackDocument } from './synth-diff';

/*
 * The syntheses `npm run diff` compares: the working tree's (in this process, into a scratch directory, so
 * that cdktf.out is left alone), the last synth's (cdktf.out), and another commit's (its files from
 * `git archive`, synthesized by its own main.ts with this checkout's node_modules, in a child process).
 */

/** Stack name → synthesized document. */
export type Synthesis = Map<string, StackDocument>;

/** The stacks of an output directory (`<outdir>/stacks/<name>/cdk.tf.json`); empty when there are none. */
export function readSynthesis(outdir: string): Synthesis {
  const stacks = path.join(outdir, 'stacks');
  const names = fs.existsSync(stacks) ? fs.readdirSync(stacks).filter((n) => fs.existsSync(path.join(stacks, n, 'cdk.tf.json'))) : [];
  return new Map(names.sort().map((n) => [n, JSON.parse(fs.readFileSync(path.join(stacks, n, 'cdk.tf.json'), 'utf8')) as StackDocument]));
}

function withScratch<T>(prefix: string, body: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    return body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The working tree's stacks, and the file each environment comes from. */
export interface WorkingTree {
  readonly stacks: Synthesis;
  /** Environment name → its file. */
  readonly files: ReadonlyMap<string, string>;
}

/** Synthesizes the working tree's environments (`config`: file or directory) without touching cdktf.out. */
export function synthesizeWorkingTree(config?: string): WorkingTree {
  const environments = loadEnvironments(config);
  const files = new Map(environments.map((e) => [e.env.name, e.file]));
  const stacks = withScratch('mfa-diff-now-', (dir) => {
    try {
      synthesizeEnvironments(environments, path.join(dir, 'cdktf.out'));
    } catch (e) {
      // The policy pack's findings, one a line: here one line in all.
      if (e instanceof PolicyError) throw new UserError(`the working tree does not synthesize: ${e.message.split('\n').join('; ')}`);
      throw e;
    }
    return readSynthesis(path.join(dir, 'cdktf.out'));
  });
  return { stacks, files };
}

const git = (cwd: string, args: string[]) => spawnSync('git', args, { cwd, encoding: 'buffer', maxBuffer: 1 << 30 });

/** A commit, resolved: what the report calls it. */
export interface ResolvedRef {
  readonly ref: string;
  readonly commit: string;
  readonly label: string;
}

/** Resolves `ref` to a commit of the repository that holds `root`; a one-line UserError when it is not one. */
export function resolveRef(root: string, ref: string): ResolvedRef {
  const run = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (run.status !== 0)
    throw new UserError(`--against ${JSON.stringify(ref)} is not a commit of this repository (a branch, tag or commit id, e.g. origin/main)`);
  const commit = run.stdout.toString().trim();
  return { ref, commit, label: `${ref} (${commit.slice(0, 7)})` };
}

/**
 * Synthesizes the environments of commit `ref`: its files, its main.ts, this checkout's node_modules;
 * `config` (relative to the root; default: the commit's environments/) names which.
 * `log` hears when the commit's package-lock.json differs (its synthesis then uses other library versions
 * than it pinned).
 */
export function synthesizeAtRef(root: string, ref: ResolvedRef, options: { readonly config?: string; readonly log?: (line: string) => void } = {}): Synthesis {
  const log = options.log ?? (() => {});
  const prefix = git(root, ['rev-parse', '--show-prefix']).stdout.toString().trim();
  const tree = prefix ? `${ref.commit}:${prefix.replace(/\/$/, '')}` : ref.commit;
  return withScratch('mfa-diff-ref-', (dir) => {
    const archive = git(root, ['archive', '--format=tar', tree]);
    if (archive.status !== 0) throw new UserError(`git archive ${ref.label} failed: ${archive.stderr.toString().trim().split('\n')[0]}`);
    const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
    if (untar.status !== 0) throw new UserError(`unpacking ${ref.label} failed: ${untar.stderr.toString().trim().split('\n')[0]}`);
    if (!fs.existsSync(path.join(dir, 'main.ts'))) throw new UserError(`${ref.label} holds no main.ts: it is not a commit of this project`);
    // An environment file the commit does not have yet: nothing to compare with, every resource is new.
    if (options.config !== undefined && !fs.existsSync(path.join(dir, options.config))) return new Map();
    const lock = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
    if (lock(path.join(dir, 'package-lock.json')) !== lock(path.join(root, 'package-lock.json'))) {
      log(`note: ${ref.label} pins other dependencies (package-lock.json differs); it is synthesized with this checkout's node_modules`);
    }
    fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const outdir = path.join(dir, 'cdktf.out');
    const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, TS_NODE_PROJECT: path.join(dir, 'tsconfig.json') };
    if (options.config === undefined) delete env.MFA_HA_CONFIG;
    else env.MFA_HA_CONFIG = options.config;
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register', 'main.ts'], { cwd: dir, env, encoding: 'utf8' });
    if (run.status !== 0) {
      const first = run.stderr.split('\n').find((l) => l.startsWith('error: ')) ?? run.stderr.trim().split('\n').at(-1);
      throw new UserError(`${ref.label} does not synthesize: ${first?.replace(/^error: /, '') ?? `exit ${run.status}`}`);
    }
    return readSynthesis(outdir);
  });
}
