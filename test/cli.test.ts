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

  test('reports every mistake of a copied file in one run, one line each, and writes nothing', () => {
    const before = fs.readFileSync(path.join(outdir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8');
    fs.writeFileSync(
      path.join(dir, 'copy.json'),
      JSON.stringify(
        variant('prod', (c) => {
          c.name = 'staging1';
          c.location = 'westeurop';
          c.network.subnets.wap = '10.30.0.128/26';
          c.vmAdmin = { username: 'admin1' };
          c.domain.joinUsername = 'svc-domainjoin';
        }),
      ),
    );
    const run = runApp(dir, 'copy.json');
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n')).toEqual([
      'error: copy.json: name must be 2-7 lowercase letters or digits, starting with a letter (it prefixes Windows computer names), got "staging1"',
      'error: copy.json: location must be an Azure region listed in config/azure-regions.json (did you mean "westeurope"?), got "westeurop"',
      'error: copy.json: domain.joinUsername must be a domain account with its domain, such as CONTOSO\\adfs-admin or adfs-admin@contoso.com, got "svc-domainjoin"',
      'error: copy.json: vmAdmin.username must be a name Azure does not reserve (it refuses 32 names, such as admin, administrator, user1, test, guest and root), got "admin1"',
      'error: copy.json: network.subnets.wap must not overlap network.subnets.adfs (10.30.0.128/26), got "10.30.0.128/26"',
      '',
    ]);
    expect(fs.readFileSync(path.join(outdir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8')).toBe(before);
  });
});
