import * as path from 'path';
import { runTool } from '../tools/cli';
import { exitCodeOf, offlineDiff, renderOfflineDiff } from '../tools/offline-diff';

// npm run diff -- [<env>…] [--against <git ref>] [--fail-on-replace]: what Terraform would add, change, replace or
// destroy, offline. Exit code as `terraform plan -detailed-exitcode`: 0 no changes, 2 changes, 1 error; with
// --fail-on-replace, 3 when something would be replaced or destroyed, or refused (docs/offline-diff.md).
void runTool({
  name: 'diff',
  usage: 'npm run diff -- [<environment>…] [--against <git ref>] [--fail-on-replace]',
  options: { against: { type: 'string' }, 'fail-on-replace': { type: 'boolean' } },
  environments: 'any',
  run: ({ environments, values }, log) => {
    const subjects = offlineDiff({ names: environments, against: values.against as string | undefined, root: path.resolve(__dirname, '..'), log });
    process.stdout.write(`${renderOfflineDiff(subjects)}\n`);
    process.exitCode = exitCodeOf(subjects, { failOnReplace: values['fail-on-replace'] === true });
  },
});
