import type { Tool } from '../cli';

/**
 * `mfa-ha diff [<env>…] [--against <git ref>] [--fail-on-replace]`: what Terraform would add, change, replace or
 * destroy, offline. Exit code as `terraform plan -detailed-exitcode`: 0 no changes, 2 changes, 1 error; with
 * --fail-on-replace, 3 when something would be replaced or destroyed, or refused (docs/offline-diff.md).
 */
export const DIFF_TOOL: Tool = {
  name: 'diff',
  description: 'what Terraform would add, change, replace or destroy, offline (no Azure, no Terraform)',
  options: {
    against: { type: 'string', value: 'git ref', description: 'compare with the synth of a commit rather than with the last synth and the state' },
    'fail-on-replace': { type: 'boolean', description: 'exit 3 when something would be replaced or destroyed' },
  },
  environments: 'any',
  help: 'Exit codes (as terraform plan -detailed-exitcode): 0 no changes; 2 changes; 1 a mistake; 3 with --fail-on-replace, something replaced or destroyed.',
  run: async ({ environments, values }, log) => {
    const path = await import('path');
    const { exitCodeOf, offlineDiff, renderOfflineDiff } = await import('../offline-diff');
    const subjects = offlineDiff({ names: environments, against: values.against as string | undefined, root: path.resolve(__dirname, '..', '..'), log });
    process.stdout.write(`${renderOfflineDiff(subjects)}\n`);
    process.exitCode = exitCodeOf(subjects, { failOnReplace: values['fail-on-replace'] === true });
  },
};
