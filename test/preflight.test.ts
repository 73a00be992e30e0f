import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hasAzureLogin, onPath, preflight } from '../stacks/preflight';
import { main } from '../stacks/synthesize';
import { fixtureEnvironments } from './helpers';

describe('what cdktf diff and deploy need, said before the cdktf CLI runs Terraform', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-preflight-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'terraform'), '#!/bin/sh\n', { mode: 0o755 });
  const azure = path.join(dir, 'azure');
  fs.mkdirSync(azure);

  test('finds Terraform (or what TERRAFORM_BINARY_NAME names) on the PATH', () => {
    expect(onPath('terraform', { PATH: bin })).toBe(true);
    expect(onPath('terraform', { PATH: dir })).toBe(false);
    expect(onPath('tofu', { PATH: bin })).toBe(false);
  });

  test('finds a login: az login (a profile with a subscription, BOM and all), or the provider credentials of a pipeline', () => {
    expect(hasAzureLogin({ AZURE_CONFIG_DIR: azure }, dir)).toBe(false);
    fs.writeFileSync(path.join(azure, 'azureProfile.json'), '\uFEFF{"subscriptions": []}');
    expect(hasAzureLogin({ AZURE_CONFIG_DIR: azure }, dir)).toBe(false);
    fs.writeFileSync(path.join(azure, 'azureProfile.json'), '\uFEFF{"subscriptions": [{"id": "00000000-0000-0000-0000-000000000000", "isDefault": true}]}');
    expect(hasAzureLogin({ AZURE_CONFIG_DIR: azure }, dir)).toBe(true);
    expect(hasAzureLogin({ ARM_USE_OIDC: 'true' }, dir)).toBe(true);
  });

  test('under the cdktf CLI, says in one line each what to install or run, on the stream cdktf shows, and synthesizes all the same', () => {
    const config = fixtureEnvironments(['dev.json']);
    const out: string[] = [];
    const err: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
    const saved = process.exitCode;
    try {
      main({ MFA_HA_CONFIG: config, CDKTF_OUTDIR: path.join(dir, 'cdktf.out'), PATH: dir, AZURE_CONFIG_DIR: path.join(dir, 'none') });
      expect([process.exitCode, err.join('')]).toEqual([saved, '']);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      process.exitCode = saved;
      fs.rmSync(path.dirname(config), { recursive: true, force: true });
    }
    expect(out.join('').split('\n').filter(Boolean)).toEqual([
      'warning: terraform is not on the PATH: cdktf diff and deploy run it (cdktf synth does not); install Terraform >= 1.5 (developer.hashicorp.com/terraform/install), or OpenTofu with TERRAFORM_BINARY_NAME=tofu',
      'warning: no Azure login found: cdktf diff and deploy need one (cdktf synth does not); run az login, or set ARM_CLIENT_ID and its credential',
    ]);
    expect(fs.existsSync(path.join(dir, 'cdktf.out', 'stacks', 'dev', 'cdk.tf.json'))).toBe(true);
    expect(preflight({ PATH: bin, ARM_CLIENT_ID: 'x' }, dir)).toEqual([]);
  });
});
