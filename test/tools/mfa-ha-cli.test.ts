import * as fs from 'fs';
import * as path from 'path';
import { runMfaHa } from '../cli-harness';
import { COMMANDS } from '../../tools/commands';
import { fixtureEnvironments } from '../helpers';

const NAMES = ['synth', 'diff', 'new-env', 'dns', 'flows', 'diagram', 'failures', 'migration', 'lock', 'schema', 'docs'];

describe('mfa-ha, the command line', () => {
  const dir = fixtureEnvironments();
  const env = { MFA_HA_CONFIG: dir, CDKTF_OUTDIR: path.join(path.dirname(dir), 'cdktf.out') };
  afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  test('has every command of the README, and --help lists them with exit codes', async () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(NAMES);
    const run = await runMfaHa(['--help']);
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    for (const name of NAMES) expect(run.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(run.stdout).toContain('Exit codes: 0 done; 1 a mistake');
  });

  test.each(NAMES)('%s --help prints its usage on stdout, exits 0, and does nothing else', async (name) => {
    const schema = path.join(__dirname, '..', '..', 'environments', 'environment.schema.json');
    const before = fs.statSync(schema).mtimeMs;
    const write = jest.spyOn(fs, 'writeFileSync');
    try {
      const run = await runMfaHa([name, '--help'], env);
      expect([run.exitCode, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toMatch(new RegExp(`^Usage: mfa-ha ${name} `));
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
    expect(fs.statSync(schema).mtimeMs).toBe(before);
  });

  test.each([
    [['schema', 'prod'], 'error: schema takes no argument, got "prod"'],
    [['dsn', 'prod'], "error: unknown command 'dsn' (did you mean dns?); see mfa-ha --help"],
    [['dns', 'prod', '--publicip', '1.2.3.4'], "error: unknown option '--publicip' (did you mean --public-ip?); see mfa-ha dns --help"],
    [['flows', 'prod', '--bogus'], "error: unknown option '--bogus'; see mfa-ha flows --help"],
    [['dns'], "error: missing required argument 'environment'; see mfa-ha dns --help"],
    [['dns', 'dev', 'prod'], "error: too many arguments for 'dns'. Expected 1 argument but got 2; see mfa-ha dns --help"],
    [['dns', 'prd'], 'error: no environment is named "prd" (did you mean "prod"? known: dev, prod)'],
    [['dns', 'nope'], 'error: no environment is named "nope" (known: dev, prod)'],
    [['migration', 'dve'], 'error: no environment is named "dve" (did you mean "dev"? known: dev, prod)'],
    [['failures', 'prodd'], 'error: no environment is named "prodd" (did you mean "prod"? known: dev, prod)'],
    [
      ['synth', 'nosuchenv'],
      'error: synth takes no argument: it synthesizes every environment file together (environments/, or MFA_HA_CONFIG), checked against each other, got "nosuchenv"',
    ],
    [['new-env', 'lab', '--from', 'prd'], expect.stringMatching(/^error: --from names no environment of .* \(did you mean "prod"\? known: dev, prod\)$/)],
  ])('refuses %j with one line on stderr, nothing on stdout, exit 1', async (argv, line) => {
    const run = await runMfaHa(argv, env);
    expect(run).toMatchObject({ stdout: '', errors: [line], exitCode: 1 });
    expect(
      run.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('[')),
    ).toEqual([line]);
  });

  test('dns writes only PowerShell on stdout, so that it can be redirected to a file', async () => {
    const run = await runMfaHa(['dns', 'prod'], env);
    expect([run.exitCode, run.stderr]).toEqual([undefined, '']);
    expect(run.stdout.startsWith(`# DNS records of prod (${path.join(dir, 'prod.json')}).\n`)).toBe(true);
  });

  test('the child processes of the command line make no update check (CHECKPOINT_DISABLE), unless the user set it', async () => {
    const saved = process.env.CHECKPOINT_DISABLE;
    delete process.env.CHECKPOINT_DISABLE;
    try {
      expect((await runMfaHa(['--help'])).checkpointDisable).toBe('1');
      expect((await runMfaHa(['--help'], { CHECKPOINT_DISABLE: '0' })).checkpointDisable).toBe('0');
    } finally {
      if (saved !== undefined) process.env.CHECKPOINT_DISABLE = saved;
    }
  });
});
