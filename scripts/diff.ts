import * as path from 'path';
import { runTool } from '../tools/cli';
import { offlineDiff, renderOfflineDiff } from '../tools/offline-diff';

// npm run diff -- [<env>…] [--against <git ref>]: what Terraform would add, change, replace or destroy, offline.
void runTool({
  name: 'diff',
  usage: 'npm run diff -- [<environment>…] [--against <git ref>]',
  options: { against: { type: 'string' } },
  environments: 'any',
  run: ({ environments, values }, log) => {
    const subjects = offlineDiff({ names: environments, against: values.against as string | undefined, root: path.resolve(__dirname, '..'), log });
    process.stdout.write(`${renderOfflineDiff(subjects)}\n`);
  },
});
