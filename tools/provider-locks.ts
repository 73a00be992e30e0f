import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../stacks/user-error';

/*
 * Provider lock files, one per environment, committed in locks/ (locks/README.md): what `terraform init
 * -lockfile=readonly` holds the pipelines' plan and apply to (scripts/pipeline/plan.sh, apply.sh).
 */

/** Where an environment's committed lock file lives. */
export const lockFileOf = (root: string, environment: string) => path.join(root, 'locks', `${environment}.terraform.lock.hcl`);

/** The platforms a lock file records: the pipelines' runners and agents, Windows and macOS workstations. */
export const LOCK_PLATFORMS = ['linux_amd64', 'windows_amd64', 'darwin_amd64', 'darwin_arm64'] as const;

/**
 * `npm run lock -- <env>`: `terraform providers lock` in the synthesized stack for every platform of LOCK_PLATFORMS,
 * then the stack's lock file copied to locks/. Needs Terraform on the PATH (TERRAFORM_BINARY_NAME names another, such
 * as tofu) and the registry.
 */
export function lockProviders(root: string, outdir: string, environment: string, terraform = process.env.TERRAFORM_BINARY_NAME ?? 'terraform'): string {
  const stack = path.join(outdir, 'stacks', environment);
  if (!fs.existsSync(path.join(stack, 'cdk.tf.json'))) throw new UserError(`${stack} holds no synthesized stack: run npm run synth first`);
  const run = spawnSync(terraform, ['providers', 'lock', ...LOCK_PLATFORMS.map((p) => `-platform=${p}`)], { cwd: stack, encoding: 'utf8' });
  if (run.error)
    throw new UserError(
      `${terraform} could not be run (${(run.error as NodeJS.ErrnoException).code}): install Terraform (or set TERRAFORM_BINARY_NAME) to lock the providers`,
    );
  if (run.status !== 0) throw new UserError(`${terraform} providers lock failed: ${(run.stderr || run.stdout).trim().split('\n').pop()}`);
  const target = lockFileOf(root, environment);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(stack, '.terraform.lock.hcl'), target);
  return target;
}
