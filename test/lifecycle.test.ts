import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironments } from '../config/load';
import { synthesizeEnvironments } from '../stacks/synthesize';
import { apart, ROOT, variant, workstationEnv } from './helpers';

// The toolkit as a user runs it from a workstation: `npm run synth` and `npx cdktf synth` in a project whose
// stack folders Terraform has used. The project is a scratch directory linking to this one; its environments
// are a directory of its own (MFA_HA_CONFIG), so that tests can add, rename and remove them.
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-lifecycle-'));
const config = path.join(project, 'envs');
const outdir = path.join(project, 'cdktf.out');
const stackDir = (name: string) => path.join(outdir, 'stacks', name);

beforeAll(() => {
  for (const f of ['package.json', 'cdktf.json', 'tsconfig.json', 'main.ts', 'bin', 'node_modules']) fs.symlinkSync(path.join(ROOT, f), path.join(project, f));
  fs.mkdirSync(config);
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

/** Writes the environment files of the scratch project: dev, and a copy of it under each other name. */
function environments(...names: string[]): void {
  for (const f of fs.readdirSync(config)) fs.rmSync(path.join(config, f));
  for (const [i, name] of names.entries()) {
    const input = variant('dev', (c) => {
      c.name = name;
      c.keyVault.name = `kv-${name}-lifecycle`;
      c.certificates.keyVaultName = `kv-${name}-lifecycle-tls`;
    });
    // DNS names are unique across the files of a directory, and address spaces apart (else a warning).
    fs.writeFileSync(path.join(config, `${name}.json`), JSON.stringify(name === 'dev' ? input : apart(input, name, 2 * (i + 1))));
  }
}

function run(command: string, args: string[]) {
  // A workstation ready for cdktf diff (Terraform, a login), so that the app has nothing to warn of.
  const env: NodeJS.ProcessEnv = { ...process.env, MFA_HA_CONFIG: config, CHECKPOINT_DISABLE: '1', CI: 'true', ...workstationEnv() };
  delete env.CDKTF_OUTDIR;
  const result = spawnSync(command, args, { cwd: project, encoding: 'utf8', env });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${output}`);
  return { stdout: result.stdout, stderr: result.stderr };
}
const npmSynth = () => run('npm', ['run', 'synth']);
/** The project's CLI: cdktf-cli, or cdktn-cli where the project runs on CDK Terrain (npm run compat:cdktn). */
function cliBinary(): string {
  for (const name of ['cdktf-cli', 'cdktn-cli']) {
    const manifest = path.join(ROOT, 'node_modules', name, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const bin: string | Record<string, string> = JSON.parse(fs.readFileSync(manifest, 'utf8')).bin;
    return path.join(path.dirname(manifest), typeof bin === 'string' ? bin : Object.values(bin)[0]);
  }
  throw new Error('neither cdktf-cli nor cdktn-cli is installed');
}
/** `npx cdktf synth`: the project's CLI, with the app command of cdktf.json. */
const cliSynth = () => run(process.execPath, [cliBinary(), 'synth']);

/** Synthesizes in this process, as `npm run synth` does: the quick way to set a scene. */
const synthHere = () => synthesizeEnvironments(loadEnvironments(config), outdir);

/** Every file under `dir` (links to this project left out), by relative path, with its bytes. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) walk(p);
      else files[path.relative(dir, p)] = fs.readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return files;
}

/** What Terraform leaves in a stack folder after `init` and `plan`, and the state the backend path resolves to. */
function plant(name: string): void {
  const dir = stackDir(name);
  fs.mkdirSync(path.join(dir, '.terraform/providers/registry.terraform.io/hashicorp/azurerm/4.55.0/linux_amd64'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, '.terraform/providers/registry.terraform.io/hashicorp/azurerm/4.55.0/linux_amd64/terraform-provider-azurerm'),
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]),
  );
  fs.writeFileSync(path.join(dir, '.terraform/terraform.tfstate'), `{"version":3,"backend":{"type":"local"}}\n`);
  fs.writeFileSync(path.join(dir, '.terraform.lock.hcl'), `provider "registry.terraform.io/hashicorp/azurerm" {\n  version = "4.55.0"\n}\n`);
  fs.writeFileSync(path.join(dir, 'plan'), Buffer.from([0x50, 0x4b, 3, 4, name.length]));
  fs.writeFileSync(path.join(dir, `${name}.tfplan`), Buffer.from([0x50, 0x4b, 3, 4, 9]));
  const backend = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')).terraform.backend.local.path;
  fs.writeFileSync(path.resolve(dir, backend), JSON.stringify({ version: 4, serial: 7, lineage: `lineage-${name}` }));
}

describe('a workstation project whose stacks Terraform has used', () => {
  test('keeps state, .terraform/, lock and plan files byte for byte through npm run synth and npx cdktf synth, twice each, and renames an environment on the first try', () => {
    // GIVEN two synthesized environments with what `cdktf diff` and `cdktf deploy` leave behind
    environments('dev', 'old');
    synthHere();
    plant('dev');
    plant('old');
    const before = tree(project);
    const planted = Object.keys(before).filter((f) => !/(cdk\.tf|manifest)\.json$/.test(f) && !f.startsWith('envs/'));
    // the state lives at the project root, where the stack folder's relative backend path leads
    expect(planted.filter((f) => !f.startsWith('cdktf.out/')).sort()).toEqual(['terraform.dev.tfstate', 'terraform.old.tfstate']);
    expect(planted).toHaveLength(2 + 2 * 5);

    // WHEN synthesized again by each command, and by npm run synth once more
    const outputs = [npmSynth(), cliSynth(), npmSynth()];
    // THEN everything planted and everything synthesized is as it was, and nothing was added
    expect(tree(project)).toEqual(before);
    // AND npm run synth says what it wrote, one line per environment and the time, and warns of nothing
    for (const { stderr } of [outputs[0], outputs[2]]) {
      expect(
        stderr
          .trim()
          .split('\n')
          .map((l) => l.replace(/\d+ resources/, 'N resources').replace(/in [\d.]+ s$/, 'in T s')),
      ).toEqual([
        '[synth] synthesizing dev, old...',
        `[synth] dev: N resources -> ${path.join('cdktf.out', 'stacks', 'dev', 'cdk.tf.json')}`,
        `[synth] old: N resources -> ${path.join('cdktf.out', 'stacks', 'old', 'cdk.tf.json')}`,
        '[synth] synthesized 2 environment(s) in T s',
      ]);
    }
    // AND the app the cdktf CLI runs writes no progress line (cdktf labels every line of the app's stderr [ERROR]), nor a warning
    expect(outputs[1].stdout + outputs[1].stderr).not.toMatch(/\[synth\]|warning:|error:/);

    // WHEN old is renamed new and the cdktf CLI synthesizes (it lists the earlier stack folders first, and
    // deletes those of the stacks that are gone once the app has run)
    environments('dev', 'new');
    const { stdout, stderr } = cliSynth();
    // THEN the stacks are the environments
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['dev', 'new']);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).stacks).sort()).toEqual(['dev', 'new']);
    // AND what was planted is still there byte for byte: dev's in place, old's folder aside (with its cdk.tf.json,
    // to destroy what it deployed), its state untouched
    const aside = (f: string) => f.replace('cdktf.out/stacks/old/', 'cdktf.out/orphaned/old/');
    const after = tree(project);
    for (const f of Object.keys(before).filter((f) => !f.startsWith('envs/') && !f.endsWith('manifest.json'))) {
      expect([aside(f), after[aside(f)] === before[f]]).toEqual([aside(f), true]);
    }
    // AND the folder set aside is named in one warning, on the stream cdktf shows as information
    const warning = `warning: ${path.join('cdktf.out', 'stacks', 'old')} belongs to no environment file any more (holds .terraform, .terraform.lock.hcl, old.tfplan, plan; its state terraform.old.tfstate is kept): moved to ${path.join('cdktf.out', 'orphaned', 'old')}; its state holds no resource, so nothing of it is deployed: delete the folder when you no longer need it`;
    expect(
      stdout
        .split('\n')
        .filter((l) => l.includes('warning:'))
        .map((l) => l.slice(l.indexOf('warning:'))),
    ).toEqual([warning]);
    expect(stderr).not.toMatch(/\[synth\]|warning:|error:/);
  }, 120_000);

  test('removing an environment works the first time under npm run synth; a folder Terraform used is named on stderr', () => {
    // GIVEN new, in whose folder Terraform ran, and no state of its own
    fs.mkdirSync(path.join(stackDir('new'), '.terraform'));
    // WHEN it is removed
    environments('dev');
    const warnings = npmSynth()
      .stderr.split('\n')
      .filter((l) => l.includes('warning:'));
    // THEN only dev is left, new's folder is aside, and the earlier one of old is untouched
    expect(fs.readdirSync(path.join(outdir, 'stacks'))).toEqual(['dev']);
    expect(fs.readdirSync(path.join(outdir, 'orphaned')).sort()).toEqual(['new', 'old']);
    // AND nothing calls it deployed: Terraform ran there, but no state holds anything of it
    expect(warnings).toEqual([
      `[synth] warning: ${path.join('cdktf.out', 'stacks', 'new')} belongs to no environment file any more (holds .terraform): moved to ${path.join('cdktf.out', 'orphaned', 'new')}; no state shows it was ever deployed (terraform.new.tfstate does not exist): delete the folder when you no longer need it`,
    ]);
  }, 60_000);
});
