import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { STAGE_NAMES } from '../constructs/migration-stages';
import { ROOT } from './helpers';

/*
 * The scripts the pipelines' protected jobs run (scripts/pipeline/), run here with stand-ins for `terraform` and `az`
 * that keep state: a blob store folder, the plan file terraform wrote, the commands each was given. The tests
 * compare what ends up where (the bytes applied, the blob uploaded), not the command text alone.
 */

const PIPELINE = path.join(ROOT, 'scripts', 'pipeline');

/** A scratch workspace with a synthesized stack and stand-in terraform and az that record what they do. */
function workspace(stage?: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-scripts-'));
  const bin = path.join(dir, 'bin');
  const blobs = path.join(dir, 'blobs');
  fs.mkdirSync(bin);
  fs.mkdirSync(blobs);
  fs.mkdirSync(path.join(dir, 'cdktf.out/stacks/prod'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'cdktf.out/stacks/prod/cdk.tf.json'),
    JSON.stringify({
      terraform: { backend: { azurerm: { storage_account_name: 'sttfstate', container_name: 'tfstate', key: 'mfa-ha/prod.tfstate' } } },
      ...(stage ? { output: { migration_stage: { value: stage } } } : {}),
    }),
  );
  // terraform: `plan -out=tfplan` writes a plan file of known bytes; `apply tfplan` records the bytes it applied.
  fs.writeFileSync(
    path.join(bin, 'terraform'),
    `#!/usr/bin/env bash
echo "terraform $*" >> "${dir}/log"
chdir="\${1#-chdir=}"; shift
case "$1" in
  init) cp "$chdir/.terraform.lock.hcl" "${dir}/lock-at-init" ;;
  state) [ -z "\${FAKE_STATE:-}" ] || echo "azurerm_resource_group.resource-group" ;;
  output) [ -n "\${FAKE_APPLIED_STAGE:-}" ] || { echo 'Error: Output "migration_stage" not found' >&2; exit 1; }; printf '%s' "$FAKE_APPLIED_STAGE" ;;
  plan) echo "the reviewed plan" > "$chdir/tfplan"; exit \${FAKE_PLAN_STATUS:-2} ;;
  show) echo "Plan: 1 to add, 0 to change, 0 to destroy." ;;
  apply) cp "$chdir/\${@: -1}" "${dir}/applied" ;;
esac
`,
    { mode: 0o755 },
  );
  // az: a blob store in a folder, keyed by account/container/name.
  fs.writeFileSync(
    path.join(bin, 'az'),
    `#!/usr/bin/env bash
echo "az $*" >> "${dir}/log"
while [ $# -gt 0 ]; do case "$1" in --account-name) a="$2";; --container-name) c="$2";; --name) n="$2";; --file) f="$2";; esac; shift; done
key="${blobs}/$a/$c/$n"
case "$*" in *) ;; esac
if grep -q "storage blob upload" <<< "$(tail -n 1 "${dir}/log")"; then mkdir -p "$(dirname "$key")"; cp "$f" "$key"; else cp "$key" "$f"; fi
`,
    { mode: 0o755 },
  );
  // The committed provider lock file (locks/README.md) the scripts hold terraform init to.
  fs.mkdirSync(path.join(dir, 'locks'));
  fs.writeFileSync(path.join(dir, 'locks', 'prod.terraform.lock.hcl'), '# the committed lock\n');
  const run = (script: string, env: Record<string, string> = {}) =>
    spawnSync('bash', [path.join(PIPELINE, script), 'prod'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, PLAN_ID: '4242', ...env },
    });
  const read = (file: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), 'utf8') : undefined);
  return { dir, blobs, run, read, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe('scripts/pipeline: plan, approval, apply of exactly that plan', () => {
  test('plan.sh plans without a lock, uploads the plan file beside the state and records its SHA-256; apply.sh applies those bytes', () => {
    const w = workspace();
    try {
      const plan = w.run('plan.sh');
      expect([plan.status, plan.stderr.includes('the reviewed plan')]).toEqual([0, false]);
      expect(plan.stdout).toContain('Plan: 1 to add');
      const uploaded = path.join(w.blobs, 'sttfstate/tfplans/prod/4242.tfplan');
      expect(fs.readFileSync(uploaded, 'utf8')).toBe('the reviewed plan\n');
      expect(w.read('plan/prod.sha256')).toMatch(/^[0-9a-f]{64}\n$/);
      // The plan file holds secret values: it leaves the job only for the blob container, and not on the disk.
      expect(fs.existsSync(path.join(w.dir, 'cdktf.out/stacks/prod/tfplan'))).toBe(false);
      expect(w.read('log')).toMatch(/terraform -chdir=cdktf\.out\/stacks\/prod plan -input=false -no-color -lock=false -detailed-exitcode -out=tfplan/);
      // Terraform initializes against the committed lock file, read-only: no other provider build is accepted.
      expect(w.read('log')).toMatch(/terraform -chdir=cdktf\.out\/stacks\/prod init -input=false -no-color -lockfile=readonly\n/);
      expect(w.read('lock-at-init')).toBe('# the committed lock\n');

      const apply = w.run('apply.sh');
      expect(apply.status).toBe(0);
      expect(w.read('applied')).toBe('the reviewed plan\n');
      expect(w.read('log')).toMatch(/terraform -chdir=cdktf\.out\/stacks\/prod apply -input=false -no-color tfplan\n$/);
    } finally {
      w.cleanup();
    }
  });

  test('apply.sh refuses a plan file that is not the reviewed one, and applies nothing', () => {
    const w = workspace();
    try {
      expect(w.run('plan.sh').status).toBe(0);
      fs.writeFileSync(path.join(w.blobs, 'sttfstate/tfplans/prod/4242.tfplan'), 'another plan\n');
      const apply = w.run('apply.sh');
      expect(apply.status).toBe(1);
      expect(apply.stderr).toContain('prod/4242.tfplan is not the plan that was reviewed');
      expect(w.read('applied')).toBeUndefined();
      expect(w.read('log')).not.toMatch(/ apply /);
    } finally {
      w.cleanup();
    }
  });

  test.each(['plan.sh', 'apply.sh'])('%s refuses to run without the committed provider lock file, and runs no terraform', (script) => {
    const w = workspace();
    try {
      fs.rmSync(path.join(w.dir, 'locks', 'prod.terraform.lock.hcl'));
      // The apply has its reviewed plan's checksum: only the lock file is missing.
      fs.mkdirSync(path.join(w.dir, 'plan'));
      fs.writeFileSync(path.join(w.dir, 'plan', 'prod.sha256'), `${'0'.repeat(64)}\n`);
      const run = w.run(script);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`${script}: locks/prod.terraform.lock.hcl is missing: create it with npm run lock -- prod`);
      expect(w.read('log')).toBeUndefined();
    } finally {
      w.cleanup();
    }
  });

  test('plan.sh refuses a migration stage more than one step from the one the state holds, and plans nothing', () => {
    const w = workspace('decommissioned');
    try {
      const skip = w.run('plan.sh', { FAKE_STATE: '1', FAKE_APPLIED_STAGE: 'entra' });
      expect(skip.status).toBe(1);
      expect(skip.stderr.trimEnd().split('\n').pop()).toBe(
        'plan.sh: migration.stage must move one stage at a time: the state of prod has "entra", got "decommissioned"',
      );
      expect(w.read('log')).not.toMatch(/ plan /);
      expect(fs.readdirSync(w.blobs)).toEqual([]);
      // One step forward, one step back, or no output at all (mfa-server) to parallel: planned.
      expect(w.run('plan.sh', { FAKE_STATE: '1', FAKE_APPLIED_STAGE: 'retiring' }).status).toBe(0);
    } finally {
      w.cleanup();
    }
    const back = workspace('parallel');
    try {
      expect(back.run('plan.sh', { FAKE_STATE: '1', FAKE_APPLIED_STAGE: 'entra' }).status).toBe(0);
      expect(back.run('plan.sh', { FAKE_STATE: '1' }).status).toBe(0);
      // A state that holds nothing was never deployed: any stage may come first.
      expect(workspace('entra').run('plan.sh').status).toBe(0);
      expect(back.run('plan.sh', { FAKE_STATE: '1', FAKE_APPLIED_STAGE: 'retiring' }).status).toBe(1);
    } finally {
      back.cleanup();
    }
  });

  test("plan.sh knows the stages in the stage table's order", () => {
    const declared = /^stages=\(([^)]*)\)$/m.exec(fs.readFileSync(path.join(PIPELINE, 'plan.sh'), 'utf8'))![1].split(' ');
    expect(declared).toEqual([...STAGE_NAMES]);
  });

  test('plan.sh fails on a failed plan (terraform exit 1), and uploads nothing', () => {
    const w = workspace();
    try {
      const plan = w.run('plan.sh', { FAKE_PLAN_STATUS: '1' });
      expect(plan.status).toBe(1);
      expect(fs.readdirSync(w.blobs)).toEqual([]);
    } finally {
      w.cleanup();
    }
  });
});

describe('scripts/pipeline/install-terraform.sh: a release is installed only when HashiCorp signed its checksums', () => {
  /** A local "releases" folder with a fake 1.12.2 release, its SHA256SUMS signed by a throw-away key. */
  function release() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'releases-'));
    const rel = path.join(dir, 'terraform', '1.12.2');
    fs.mkdirSync(rel, { recursive: true });
    const gnupg = path.join(dir, 'gnupg');
    fs.mkdirSync(gnupg, { mode: 0o700 });
    const sh = (script: string) => {
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: rel, encoding: 'utf8', env: { ...process.env, GNUPGHOME: gnupg } });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    sh(`printf 'terraform binary' > terraform && zip -q terraform_1.12.2_linux_amd64.zip terraform && rm terraform
        sha256sum terraform_1.12.2_linux_amd64.zip > terraform_1.12.2_SHA256SUMS
        gpg --batch --quiet --passphrase '' --quick-gen-key 'Test Releases <test@example.invalid>' rsa2048 sign never
        gpg --batch --quiet --detach-sign --output terraform_1.12.2_SHA256SUMS.sig terraform_1.12.2_SHA256SUMS
        gpg --batch --quiet --armor --export test@example.invalid > ${dir}/test-key.asc`);
    const install = (env: Record<string, string> = {}) =>
      spawnSync('bash', [path.join(PIPELINE, 'install-terraform.sh'), '1.12.2', path.join(dir, 'bin')], {
        encoding: 'utf8',
        env: { ...process.env, RELEASES_URL: `file://${dir}`, ...env },
      });
    return { dir, rel, install, testKey: path.join(dir, 'test-key.asc'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  test('installs a release signed by the key it trusts', () => {
    const r = release();
    try {
      const run = r.install({ RELEASE_KEY: r.testKey });
      expect([run.status, run.stderr]).toEqual([0, expect.stringContaining('OK')]);
      expect(fs.readFileSync(path.join(r.dir, 'bin', 'terraform'), 'utf8')).toBe('terraform binary');
    } finally {
      r.cleanup();
    }
  });

  test("refuses checksums that HashiCorp's key did not sign (the committed key, against the test signature)", () => {
    const r = release();
    try {
      const run = r.install();
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("is not signed by HashiCorp's release key");
      expect(fs.existsSync(path.join(r.dir, 'bin'))).toBe(false);
    } finally {
      r.cleanup();
    }
  });

  test('refuses a zip that does not match its signed checksum', () => {
    const r = release();
    try {
      fs.appendFileSync(path.join(r.rel, 'terraform_1.12.2_linux_amd64.zip'), 'tampered');
      const run = r.install({ RELEASE_KEY: r.testKey });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('does not match its signed checksum');
      expect(fs.existsSync(path.join(r.dir, 'bin'))).toBe(false);
    } finally {
      r.cleanup();
    }
  });
});
