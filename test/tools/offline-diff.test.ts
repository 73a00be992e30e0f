import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironments } from '../../config/load';
import { synthesizeEnvironments, UserError } from '../../stacks/synthesize';
import { isEmptyPlan } from '../../tools/change-plan';
import { createEnvironment, newEnvironment } from '../../tools/new-environment';
import { exitCodeOf, offlineDiff, renderOfflineDiff } from '../../tools/offline-diff';
import { isFixtureFile, ROOT } from '../helpers';

/** A Terraform state file (format 4) that holds the managed resources of a synthesized stack, as an apply leaves it. */
function stateOf(stack: any, only: (address: string) => boolean = () => true): string {
  const resources = Object.entries(stack.resource as Record<string, Record<string, unknown>>).flatMap(([type, byName]) =>
    Object.keys(byName)
      .filter((name) => only(`${type}.${name}`))
      .map((name) => ({
        mode: 'managed',
        type,
        name,
        provider: 'provider["registry.terraform.io/hashicorp/azurerm"]',
        instances: [{ schema_version: 0, attributes: {} }],
      })),
  );
  return JSON.stringify({ version: 4, terraform_version: '1.12.2', serial: 3, lineage: 'test', outputs: {}, resources });
}

/** A git repository holding a copy of this checkout's files (tracked and new, not ignored; of environments/, the fixtures only), one commit. */
function scratchRepository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-diff-repo-'));
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .stdout.split('\0')
    .filter((f) => f && fs.existsSync(path.join(ROOT, f)) && fs.lstatSync(path.join(ROOT, f)).isFile() && isFixtureFile(f)); // not a linked node_modules or .tools, nor a user's environment
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
  const git = (...args: string[]) => expect(spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir }).status).toBe(0);
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  // After the commit: .gitignore's `node_modules/` does not match a symbolic link.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('npm run diff', () => {
  let repo: string;
  beforeAll(() => {
    repo = scratchRepository();
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('--against a commit: names the servers replaced by a change of the working tree', () => {
    // GIVEN dev's local administrator renamed in the working tree, after the commit
    const file = path.join(repo, 'environments', 'dev.json');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(original), vmAdmin: { username: 'labadmin' } }));
    try {
      // WHEN compared with HEAD (synthesized from its own files, in a child process)
      const [dev] = offlineDiff({ names: [], against: 'HEAD', root: repo, config: file });
      // THEN the plan replaces the VMs, forced by admin_username, and says what it compared with
      expect(dev.against).toMatch(/^HEAD \([0-9a-f]{7}\)$/);
      const vms = dev.plan.changes.filter((c) => c.type === 'azurerm_windows_virtual_machine');
      expect(vms.map((c) => `${c.action} ${c.forcedBy.join()}`)).toEqual(Array(8).fill('replace admin_username'));
      expect(renderOfflineDiff([dev])).toMatch(/^## What will change\n\n### dev: 0 to add, \d+ to change, \d+ to replace, 0 to destroy/);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  test('without --against: compares a deployed environment (its local state) with the last synth, and finds nothing when nothing changed', () => {
    const [outdir, dev] = [path.join(repo, 'cdktf.out'), path.join(repo, 'environments', 'dev.json')];
    synthesizeEnvironments(loadEnvironments(dev), outdir);
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8'));
    const state = path.join(repo, 'terraform.dev.tfstate');
    fs.writeFileSync(state, stateOf(stack));
    try {
      const subjects = offlineDiff({ names: [], root: repo, config: dev, outdir });
      expect(subjects.map((s) => [s.plan.name, isEmptyPlan(s.plan), s.against])).toEqual([['dev', true, `the last synth (${outdir})`]]);
      expect(renderOfflineDiff(subjects)).toContain('No changes.');
    } finally {
      fs.rmSync(state);
    }
  });

  test('without --against: what the last synth has and the local state lacks (synthesized, never applied) is to be added', () => {
    const [outdir, dev] = [path.join(repo, 'cdktf.out'), path.join(repo, 'environments', 'dev.json')];
    synthesizeEnvironments(loadEnvironments(dev), outdir);
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8'));
    const state = path.join(repo, 'terraform.dev.tfstate');
    // GIVEN a state without the maintenance assignments (patching in rings turned on, synthesized, not applied yet)
    const assignment = 'azurerm_maintenance_assignment_virtual_machine';
    fs.writeFileSync(
      state,
      stateOf(stack, (a) => !a.startsWith(`${assignment}.`)),
    );
    try {
      const [partial] = offlineDiff({ names: [], root: repo, config: dev, outdir });
      // THEN Terraform would create them, and nothing else changes
      expect(partial.plan.changes.map((c) => `${c.action} ${c.address}`).sort()).toEqual(
        Object.keys(stack.resource[assignment])
          .map((k) => `create ${assignment}.${k}`)
          .sort(),
      );
    } finally {
      fs.rmSync(state);
    }
  });

  test('a new environment (npm run new-env, then npm run diff): never deployed, everything is to be added, and it says so', () => {
    // GIVEN lab created as `npm run new-env -- lab` does: its file written and every environment synthesized into cdktf.out
    const [dir, outdir] = [path.join(repo, 'environments'), path.join(repo, 'cdktf.out')];
    createEnvironment('lab', { dir, from: 'dev', outdir });
    try {
      // WHEN npm run diff -- lab compares it with the last synth
      const [lab] = offlineDiff({ names: ['lab'], root: repo, config: path.join(dir, 'lab.json'), outdir });
      // THEN every resource is to be added: there is no state (local backend), so Terraform would create it all
      const stack = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'lab', 'cdk.tf.json'), 'utf8'));
      const managed = Object.values(stack.resource as Record<string, object>).reduce((n, byName) => n + Object.keys(byName).length, 0);
      expect(lab.plan.changes.length).toBe(managed);
      expect(lab.plan.changes.every((c) => c.action === 'create')).toBe(true);
      expect(renderOfflineDiff([lab]).split('\n').slice(2, 5)).toEqual([
        `### lab (never deployed): ${managed} to add, 0 to change, 0 to replace, 0 to destroy`,
        '',
        `Never deployed: there is no Terraform state at ${path.join(repo, 'terraform.lab.tfstate')}, so Terraform would create every resource.`,
      ]);
      expect(exitCodeOf([lab])).toBe(2);
    } finally {
      fs.rmSync(path.join(dir, 'lab.json'));
    }
  });

  test('a new environment with an azurerm backend: never deployed while Terraform never ran for it and its file is not committed', () => {
    const [dir, outdir] = [path.join(repo, 'environments'), path.join(repo, 'cdktf.out')];
    createEnvironment('stage', { dir, from: 'prod', outdir });
    try {
      const config = path.join(dir, 'stage.json');
      const [stage] = offlineDiff({ names: ['stage'], root: repo, config, outdir });
      expect([stage.presence, stage.plan.changes.every((c) => c.action === 'create')]).toEqual(['never deployed', true]);
      // WHEN Terraform has run in its stack folder (cdktf diff or deploy from here) THEN the last synth is what it compares with
      fs.mkdirSync(path.join(outdir, 'stacks', 'stage', '.terraform'));
      const [ran] = offlineDiff({ names: ['stage'], root: repo, config, outdir });
      expect([ran.presence, isEmptyPlan(ran.plan)]).toEqual([undefined, true]);
      expect(renderOfflineDiff([ran])).toContain(
        'Its state is in the azurerm backend, which the offline diff does not read: the last synth stands for what is deployed.',
      );
    } finally {
      fs.rmSync(path.join(dir, 'stage.json'));
    }
  });

  test('--against a commit that lacks the environment file: every resource of it is new', () => {
    const dir = path.join(repo, 'environments');
    const lab = newEnvironment('lab', { dir, from: 'dev', existing: loadEnvironments(dir), raw: (f) => JSON.parse(fs.readFileSync(f, 'utf8')) });
    fs.writeFileSync(lab.file, lab.text);
    try {
      const [subject] = offlineDiff({ names: [], against: 'HEAD', root: repo, config: lab.file });
      expect([subject.plan.name, subject.presence]).toEqual(['lab', 'new']);
      expect(subject.plan.changes.length).toBeGreaterThan(100);
      expect(subject.plan.changes.every((c) => c.action === 'create')).toBe(true);
    } finally {
      fs.rmSync(lab.file);
    }
  });

  test.each([
    [{ names: [], against: 'no-such-branch' }, /^--against "no-such-branch" is not a commit of this repository/],
    [{ names: [], outdir: '/nonexistent/cdktf.out' }, /holds no synthesized stack to compare with: run npm run synth first/],
  ])('refuses %p with one line', (options, message) => {
    expect(() => offlineDiff({ root: repo, config: path.join(repo, 'environments'), ...options })).toThrow(UserError);
    expect(() => offlineDiff({ root: repo, config: path.join(repo, 'environments'), ...options })).toThrow(message);
  });

  test("exits as terraform plan -detailed-exitcode does (0 no changes, 2 changes; 1, an error, is every tool's), and 3 with --fail-on-replace when something is replaced or destroyed", () => {
    // GIVEN dev deployed (its state holds what the last synth made), then its administrator renamed: every VM is replaced
    const [outdir, dev] = [path.join(repo, 'cdktf.out'), path.join(repo, 'environments', 'dev.json')];
    synthesizeEnvironments(loadEnvironments(dev), outdir);
    const state = path.join(repo, 'terraform.dev.tfstate');
    fs.writeFileSync(state, stateOf(JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8'))));
    const original = fs.readFileSync(dev, 'utf8');
    const diff = (...args: string[]) => {
      // The command itself, as npm run diff starts it: its exit code is the process's
      const env: NodeJS.ProcessEnv = { ...process.env, MFA_HA_CONFIG: dev };
      delete env.CDKTF_OUTDIR;
      return spawnSync(process.execPath, [path.join(repo, 'bin', 'mfa-ha.js'), 'diff', ...args], { cwd: repo, encoding: 'utf8', env });
    };
    try {
      fs.writeFileSync(dev, JSON.stringify({ ...JSON.parse(original), vmAdmin: { username: 'labadmin' } }));
      // WHEN npm run diff -- dev --fail-on-replace
      const gated = diff('dev', '--fail-on-replace');
      // THEN the report is printed, and the exit code says a replacement would happen
      expect([gated.status, gated.stdout]).toEqual([
        3,
        expect.stringMatching(/^## What will change\n\n### dev: 0 to add, \d+ to change, \d+ to replace, 0 to destroy/),
      ]);
      // AND the codes of the plans themselves: 0 for no change, 2 for changes, 3 only when asked to gate on replacements
      fs.writeFileSync(dev, original);
      const [unchanged] = offlineDiff({ names: ['dev'], root: repo, config: dev, outdir });
      expect(exitCodeOf([unchanged], { failOnReplace: true })).toBe(0);
      const output = { ...unchanged, plan: { ...unchanged.plan, other: [{ address: 'output.x', path: '', before: 1, after: 2, kind: 'attribute' as const }] } };
      expect([exitCodeOf([output]), exitCodeOf([output], { failOnReplace: true })]).toEqual([2, 2]);
    } finally {
      fs.writeFileSync(dev, original);
      fs.rmSync(state);
    }
  });
});
