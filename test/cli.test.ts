import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, variant } from './helpers';

/** Runs the app as `npm run synth` does, in a scratch directory. */
function runApp(cwd: string, config: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, MFA_HA_CONFIG: config, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') };
  delete env.CDKTF_OUTDIR;
  return spawnSync(process.execPath, ['-r', require.resolve('ts-node/register'), path.join(ROOT, 'main.ts')], { cwd, encoding: 'utf8', env });
}

describe('the app', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-cli-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const outdir = path.join(dir, 'cdktf.out');

  test('synthesizes one stack per environment into cdktf.out', () => {
    fs.writeFileSync(path.join(dir, 'dev.json'), JSON.stringify(variant('dev')));
    const run = runApp(dir, 'dev.json');
    expect(run.status).toBe(0);
    expect(fs.readdirSync(path.join(outdir, 'stacks'))).toEqual(['dev']);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).stacks.dev.synthesizedStackPath).toBe('stacks/dev/cdk.tf.json');
  });

  test('answers a bad config with one line, exit 1, and leaves the earlier cdktf.out untouched', () => {
    const before = fs.readFileSync(path.join(outdir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8');
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(variant('dev', (c) => (c.mfa.count = 1))));
    const run = runApp(dir, 'bad.json');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('error: bad.json: mfa.count must be an integer from 2 to 20 (high availability needs at least 2 servers), got 1\n');
    expect(fs.readFileSync(path.join(outdir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(dir).sort()).toEqual(['bad.json', 'cdktf.out', 'dev.json']);
  });
});
