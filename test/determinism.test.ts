import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { loadEnvironments } from '../config/load';
import { synthesizeEnvironments } from '../stacks/synthesize';
import { ROOT, stackOf, variant } from './helpers';

/** Every file under `dir`, by path relative to it, with its bytes. */
function tree(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else files[rel] = fs.readFileSync(path.join(dir, rel));
    }
  };
  walk('');
  return files;
}

const ENVIRONMENTS = path.join(ROOT, 'environments');

describe('synthesis is deterministic', () => {
  let scratch = '';
  beforeAll(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-determinism-'))));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test.each(['dev', 'prod'] as const)('two separate apps synthesize %s to identical JSON, metadata included', (name) => {
    const [first, second] = [stackOf(variant(name)), stackOf(variant(name))];
    expect(Testing.synth(second)).toBe(Testing.synth(first));
    expect(JSON.stringify(second.toTerraform())).toBe(JSON.stringify(first.toTerraform()));
  });

  test('two runs of synthesizeEnvironments write byte-identical files for every shipped environment', () => {
    const [a, b] = ['a', 'b'].map((run) => path.join(scratch, run, 'cdktf.out'));
    synthesizeEnvironments(loadEnvironments(ENVIRONMENTS), a);
    synthesizeEnvironments(loadEnvironments(ENVIRONMENTS), b);
    const [first, second] = [tree(a), tree(b)];
    const shipped = fs.readdirSync(ENVIRONMENTS).filter((f) => f.endsWith('.json') && f !== 'environment.schema.json');
    expect(Object.keys(first).filter((f) => f.endsWith('cdk.tf.json'))).toHaveLength(shipped.length);
    expect(Object.keys(second)).toEqual(Object.keys(first));
    for (const file of Object.keys(first)) expect([file, second[file].equals(first[file])]).toEqual([file, true]);
  });

  test('the command line, in another directory, time zone and locale, writes the same bytes', () => {
    // GIVEN the in-process synth of the previous test, and the app run as a separate process
    const reference = path.join(scratch, 'a', 'cdktf.out');
    if (!fs.existsSync(reference)) synthesizeEnvironments(loadEnvironments(ENVIRONMENTS), reference);
    const outdir = path.join(scratch, 'cli', 'cdktf.out');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MFA_HA_CONFIG: ENVIRONMENTS,
      CDKTF_OUTDIR: outdir,
      TZ: 'Pacific/Kiritimati',
      LANG: 'tr_TR.UTF-8',
      LC_ALL: 'tr_TR.UTF-8',
      TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
    };
    const run = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register'), path.join(ROOT, 'main.ts')], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
      env,
    });
    expect(run.status).toBe(0);
    // THEN the files are the same, byte for byte
    const [first, second] = [tree(reference), tree(outdir)];
    expect(Object.keys(second)).toEqual(Object.keys(first));
    for (const file of Object.keys(first)) expect([file, second[file].equals(first[file])]).toEqual([file, true]);
  });
});
