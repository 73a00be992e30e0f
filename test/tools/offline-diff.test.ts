import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironments } from '../../config/load';
import { synthesizeEnvironments, UserError } from '../../stacks/synthesize';
import { isEmptyPlan } from '../../tools/change-plan';
import { newEnvironment } from '../../tools/new-environment';
import { offlineDiff, renderOfflineDiff } from '../../tools/offline-diff';
import { ROOT } from '../helpers';

/** A git repository holding a copy of this checkout's files (tracked and new, not ignored), one commit. */
function scratchRepository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-diff-repo-'));
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter((f) => f && fs.existsSync(path.join(ROOT, f)) && fs.lstatSync(path.join(ROOT, f)).isFile()); // not a linked node_modules or .tools
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

  test('without --against: compares with the last synth, and finds nothing when nothing changed', () => {
    const [outdir, dev] = [path.join(repo, 'cdktf.out'), path.join(repo, 'environments', 'dev.json')];
    synthesizeEnvironments(loadEnvironments(dev), outdir);
    const subjects = offlineDiff({ names: [], root: repo, config: dev, outdir });
    expect(subjects.map((s) => [s.plan.name, isEmptyPlan(s.plan), s.against])).toEqual([['dev', true, `the last synth (${outdir})`]]);
    expect(renderOfflineDiff(subjects)).toContain('No changes.');
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
});
