import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installSynthesis } from '../stacks/output-directory';
import { main } from '../stacks/synthesize';
import { ROOT, workstationEnv } from './helpers';

describe('the output directory', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-outdir-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  const files = (sub: string): string[] =>
    (fs.readdirSync(path.join(dir, sub), { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).sort();

  function runMain(): { exitCode: number | string | undefined; stderr: string } {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    const saved = process.exitCode;
    process.exitCode = undefined;
    try {
      main({ MFA_HA_CONFIG: path.join(ROOT, 'environments', 'dev.json'), CDKTF_OUTDIR: path.join(dir, 'cdktf.out'), ...workstationEnv() });
      return { exitCode: process.exitCode, stderr: lines.join('') };
    } finally {
      process.exitCode = saved;
      spy.mockRestore();
    }
  }

  test('refuses, in one line, to synthesize while state sits where earlier versions kept it, and touches nothing', () => {
    // GIVEN a state file and its backup in a stack folder, as `cdktf deploy` left them before
    write('cdktf.out/stacks/dev/terraform.dev.tfstate', '{"serial": 3}');
    write('cdktf.out/stacks/dev/terraform.dev.tfstate.backup', '{"serial": 2}');
    write('cdktf.out/stacks/dev/cdk.tf.json', '{}');
    // WHEN the app runs
    const { exitCode, stderr } = runMain();
    // THEN it says how to move them beside cdktf.out, where the stack reads state now, and writes nothing
    const stack = path.join(dir, 'cdktf.out', 'stacks', 'dev');
    expect([exitCode, stderr]).toEqual([
      1,
      `error: ${stack}/terraform.dev.tfstate is Terraform state where earlier versions kept it, inside ${path.join(dir, 'cdktf.out')}, which synth rewrites; move it out first: mv ${stack}/terraform.dev.tfstate* ${dir}\n`,
    ]);
    expect(files('.')).toEqual([
      'cdktf.out',
      'cdktf.out/stacks',
      'cdktf.out/stacks/dev',
      'cdktf.out/stacks/dev/cdk.tf.json',
      'cdktf.out/stacks/dev/terraform.dev.tfstate',
      'cdktf.out/stacks/dev/terraform.dev.tfstate.backup',
    ]);
    expect(fs.readFileSync(path.join(stack, 'terraform.dev.tfstate'), 'utf8')).toBe('{"serial": 3}');
  });

  test('when a state file is in both places, says to keep the one with the higher serial', () => {
    write('cdktf.out/stacks/dev/terraform.dev.tfstate', '{"serial": 3}');
    write('terraform.dev.tfstate', '{"serial": 4}');
    const { exitCode, stderr } = runMain();
    expect(exitCode).toBe(1);
    expect(stderr).toContain(
      `, and ${dir}/terraform.dev.tfstate exists too: keep the one with the higher "serial", move it to ${dir}/terraform.dev.tfstate, delete the other\n`,
    );
    expect(stderr.split('\n')).toHaveLength(2);
  });

  test("replaces only what synth writes: Terraform's and the user's files stay, a stale synthesized file goes, the manifest is new", () => {
    // GIVEN an earlier synthesis in HCL, used by Terraform, and a new one in JSON
    write('cdktf.out/manifest.json', 'old manifest');
    write('cdktf.out/stacks/dev/cdk.tf', 'old hcl');
    write('cdktf.out/stacks/dev/metadata.json', 'old metadata');
    write('cdktf.out/stacks/dev/assets/a/file', 'old asset');
    write('cdktf.out/stacks/dev/.terraform/modules/modules.json', 'terraform');
    write('cdktf.out/stacks/dev/notes.txt', "the user's");
    write('staging/manifest.json', 'new manifest');
    write('staging/stacks/dev/cdk.tf.json', 'new json');
    write('staging/stacks/dev/assets/b/file', 'new asset');
    // WHEN installed
    expect(installSynthesis(path.join(dir, 'staging'), path.join(dir, 'cdktf.out'), false)).toEqual([]);
    // THEN
    expect(files('cdktf.out')).toEqual([
      'manifest.json',
      'stacks',
      'stacks/dev',
      'stacks/dev/.terraform',
      'stacks/dev/.terraform/modules',
      'stacks/dev/.terraform/modules/modules.json',
      'stacks/dev/assets',
      'stacks/dev/assets/b',
      'stacks/dev/assets/b/file',
      'stacks/dev/cdk.tf.json',
      'stacks/dev/notes.txt',
    ]);
    expect(fs.readFileSync(path.join(dir, 'cdktf.out/manifest.json'), 'utf8')).toBe('new manifest');
  });

  test('for the cdktf CLI, leaves an empty folder where a removed stack was: the CLI removes it, and fails when it is gone', () => {
    write('cdktf.out/stacks/old/cdk.tf.json', 'old');
    write('cdktf.out/stacks/used/cdk.tf.json', 'used');
    write('cdktf.out/stacks/used/.terraform.lock.hcl', 'lock');
    write('staging/manifest.json', 'new manifest');
    write('staging/stacks/dev/cdk.tf.json', 'new');
    const warnings = installSynthesis(path.join(dir, 'staging'), path.join(dir, 'cdktf.out'), true);
    expect(files('cdktf.out')).toEqual([
      'manifest.json',
      'orphaned',
      'orphaned/used',
      'orphaned/used/.terraform.lock.hcl',
      'orphaned/used/cdk.tf.json',
      'stacks',
      'stacks/dev',
      'stacks/dev/cdk.tf.json',
      'stacks/old',
      'stacks/used',
    ]);
    expect(warnings).toEqual([
      expect.stringMatching(/stacks\/used belongs to no environment file any more \(holds \.terraform\.lock\.hcl\): moved to .*orphaned\/used;/),
    ]);
  });

  test('calls a removed environment deployed only when its state shows resources; otherwise says nothing shows it was', () => {
    const state = (resources: number) =>
      JSON.stringify({
        version: 4,
        serial: 1,
        resources: Array.from({ length: resources }, (_, i) => ({
          mode: 'managed',
          type: 'azurerm_resource_group',
          name: `rg${i}`,
          instances: [{ attributes: {} }],
        })),
      });
    // GIVEN three removed environments that Terraform ran for: one deployed (its local state holds resources), one whose
    // state holds none (destroyed, or a failed first apply), one never applied (a plan, no state)
    for (const name of ['deployed', 'emptied', 'planned']) {
      write(`cdktf.out/stacks/${name}/cdk.tf.json`, JSON.stringify({ terraform: { backend: { local: { path: `../../../terraform.${name}.tfstate` } } } }));
      write(`cdktf.out/stacks/${name}/.terraform/terraform.tfstate`, '{}');
    }
    write('terraform.deployed.tfstate', state(2));
    write('terraform.emptied.tfstate', state(0));
    write('cdktf.out/stacks/planned/plan', 'a plan');
    // AND one with an azurerm backend, whose state the toolkit cannot read offline
    write('cdktf.out/stacks/remote/cdk.tf.json', JSON.stringify({ terraform: { backend: { azurerm: { key: 'remote.tfstate' } } } }));
    write('cdktf.out/stacks/remote/.terraform/terraform.tfstate', '{}');
    write('staging/manifest.json', 'new manifest');
    write('staging/stacks/dev/cdk.tf.json', 'new');
    // WHEN they are no longer synthesized
    const warnings = installSynthesis(path.join(dir, 'staging'), path.join(dir, 'cdktf.out'), false);
    // THEN only the deployed one is called deployed, with the way to destroy it
    const aside = (name: string) => path.join(dir, 'cdktf.out', 'orphaned', name);
    expect(warnings.map((w) => w.slice(w.indexOf('): ') + 3))).toEqual([
      `moved to ${aside('deployed')}; its state holds 2 resources: to destroy them, cd ${aside('deployed')} && terraform destroy`,
      `moved to ${aside('emptied')}; its state holds no resource, so nothing of it is deployed: delete the folder when you no longer need it`,
      `moved to ${aside('planned')}; no state shows it was ever deployed (${path.join(dir, 'terraform.planned.tfstate')} does not exist): delete the folder when you no longer need it`,
      `moved to ${aside('remote')}; its state is in the azurerm backend, which synth does not read: if it was deployed, cd ${aside('remote')} && terraform destroy`,
    ]);
  });
});
