import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runMfaHa } from '../cli-harness';
import { prodAtStage } from '../config/fixtures';
import { fixtureEnvironments, ROOT } from '../helpers';

/** Runs `mfa-ha migration` (`npm run migration`) in this process: what it writes to stdout and stderr, and its exit code. */
const runMigration = async (args: string[], env: Record<string, string> = {}) => {
  const { stdout, errors, exitCode } = await runMfaHa(['migration', ...args], env);
  return { stdout, errors, exitCode };
};

describe('npm run migration', () => {
  const fixtures = fixtureEnvironments();
  afterAll(() => fs.rmSync(path.dirname(fixtures), { recursive: true, force: true }));
  test.each([
    [['nope'], 'error: no environment is named "nope" (known: dev, prod)'],
    [[], "error: missing required argument 'environment'; see mfa-ha migration --help"],
    [['dev', 'prod'], "error: too many arguments for 'migration'. Expected 1 argument but got 2; see mfa-ha migration --help"],
  ])('refuses %p with one line and exit code 1', async (args, line) => {
    const run = await runMigration(args, { MFA_HA_CONFIG: fixtures });
    expect(run).toEqual({ stdout: '', errors: [line], exitCode: 1 });
  });

  test('refuses an unknown option with one line', async () => {
    const run = await runMigration(['prod', '--bogus'], { MFA_HA_CONFIG: fixtures });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toBe("error: unknown option '--bogus'; see mfa-ha migration --help");
    expect(run).toMatchObject({ stdout: '', exitCode: 1 });
  });

  test('refuses, as synth does, a file that skips a stage from the last one synthesized', async () => {
    // GIVEN prod last synthesized at mfa-server, and its file now at entra
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-migration-cli-'));
    try {
      fs.mkdirSync(path.join(dir, 'out', 'stacks', 'prod'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'out', 'stacks', 'prod', 'cdk.tf.json'), JSON.stringify({ output: {} }));
      fs.writeFileSync(path.join(dir, 'prod.json'), JSON.stringify(prodAtStage('entra')));
      // WHEN the runbook is asked for
      const run = await runMigration(['prod'], { MFA_HA_CONFIG: path.join(dir, 'prod.json'), CDKTF_OUTDIR: path.join(dir, 'out') });
      // THEN one line names the field, nothing is printed
      expect(run.errors).toEqual([
        `error: ${path.join(dir, 'prod.json')}: migration.stage must move one stage at a time: the last synth (${path.join(dir, 'out', 'stacks', 'prod', 'cdk.tf.json')}) has "mfa-server", so it can be "mfa-server" or "parallel", got "entra"`,
      ]);
      expect(run).toMatchObject({ stdout: '', exitCode: 1 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('prints the runbook of the stage the file names, compared with the stage before it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-migration-cli-'));
    try {
      fs.writeFileSync(path.join(dir, 'prod.json'), JSON.stringify(prodAtStage('retiring')));
      const env = { MFA_HA_CONFIG: path.join(dir, 'prod.json'), CDKTF_OUTDIR: path.join(dir, 'out') };
      const text = await runMigration(['prod'], env);
      expect(text.exitCode).toBeUndefined();
      expect(text.stdout).toContain(`Runbook of prod (${path.join(dir, 'prod.json')}) at migration stage "retiring"`);
      expect(text.stdout).toContain('Against stage "entra" (offline plan of the two synthesized stacks): 0 to add, 3 to change, 0 to replace, 6 to destroy.');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('prints it as Markdown with --markdown', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-migration-cli-'));
    try {
      const run = await runMigration(['dev', '--markdown'], {
        MFA_HA_CONFIG: path.join(ROOT, 'environments', 'dev.json'),
        CDKTF_OUTDIR: path.join(dir, 'out'),
      });
      expect(run.stdout).toMatch(/^# dev at stage mfa-server\n\nEvery user does MFA on MFA Server/);
      expect(run.stdout).toContain('## 2. cdktf deploy\n\n```sh\nnpm run diff -- dev\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
