import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LOCK_PLATFORMS, lockFileOf, lockProviders } from '../../tools/provider-locks';

describe('npm run lock: the committed provider lock file of an environment', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-lock-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A synthesized stack and a stand-in terraform that writes the lock file `providers lock` would, recording its arguments. */
  function setUp(status = 0): string {
    fs.mkdirSync(path.join(dir, 'cdktf.out', 'stacks', 'prod'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'), '{}');
    const terraform = path.join(dir, 'terraform');
    fs.writeFileSync(
      terraform,
      `#!/bin/sh\necho "$*" > "${dir}/args"\n[ ${status} -eq 0 ] || { echo "Error: could not query the registry" >&2; exit ${status}; }\necho 'provider "registry.terraform.io/hashicorp/azurerm" {}' > .terraform.lock.hcl\n`,
      { mode: 0o755 },
    );
    return terraform;
  }

  test('locks every platform in the stack folder and copies the lock file to locks/<env>', () => {
    const terraform = setUp();
    const written = lockProviders(dir, path.join(dir, 'cdktf.out'), 'prod', terraform);
    expect(written).toBe(lockFileOf(dir, 'prod'));
    expect(fs.readFileSync(written, 'utf8')).toContain('hashicorp/azurerm');
    expect(fs.readFileSync(path.join(dir, 'args'), 'utf8').trim()).toBe(`providers lock ${LOCK_PLATFORMS.map((p) => `-platform=${p}`).join(' ')}`);
  });

  test('says in one line what failed: no synth, no terraform, no registry', () => {
    expect(() => lockProviders(dir, path.join(dir, 'cdktf.out'), 'prod', 'terraform')).toThrow(/holds no synthesized stack: run npm run synth first/);
    setUp(1);
    expect(() => lockProviders(dir, path.join(dir, 'cdktf.out'), 'prod', path.join(dir, 'no-such-terraform'))).toThrow(
      /could not be run \(ENOENT\): install Terraform/,
    );
    expect(() => lockProviders(dir, path.join(dir, 'cdktf.out'), 'prod', path.join(dir, 'terraform'))).toThrow(
      'terraform providers lock failed: Error: could not query the registry'.replace(/^terraform/, path.join(dir, 'terraform')),
    );
    expect(fs.existsSync(lockFileOf(dir, 'prod'))).toBe(false);
  });
});
