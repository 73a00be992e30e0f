import { runCli, Tool } from '../cli';
import { DIAGRAM_TOOL } from './diagram';
import { DIFF_TOOL } from './diff';
import { DNS_TOOL } from './dns';
import { DOCS_TOOL } from './docs';
import { FLOWS_TOOL } from './flows';
import { LOCK_TOOL } from './lock';
import { NEW_ENV_TOOL } from './new-env';
import { SCHEMA_TOOL } from './schema';
import { SYNTH_TOOL } from './synth';
import { FAILURES_TOOL } from '../failures/cli';
import { MIGRATION_TOOL } from '../migration/cli';

/** Every command of `mfa-ha`, in the order of its --help. Each loads what it needs when it runs, so --help is quick. */
export const COMMANDS: readonly Tool[] = [
  SYNTH_TOOL,
  DIFF_TOOL,
  NEW_ENV_TOOL,
  DNS_TOOL,
  FLOWS_TOOL,
  DIAGRAM_TOOL,
  FAILURES_TOOL,
  MIGRATION_TOOL,
  LOCK_TOOL,
  SCHEMA_TOOL,
  DOCS_TOOL,
];

/** What `mfa-ha --help` says first. */
export const DESCRIPTION = 'Azure MFA Server high availability as CDK for Terraform: synthesize, review and operate environments (README.md)';

/**
 * `mfa-ha …argv` in this process (bin/mfa-ha.js). The cdktf CLI's update check (a request to checkpoint-api.hashicorp.com,
 * printed as [ERROR] lines when offline) is off in every child process it starts, unless the user set it.
 */
export function main(argv: readonly string[]): Promise<void> {
  process.env.CHECKPOINT_DISABLE ??= '1';
  return runCli(COMMANDS, argv, 'mfa-ha', DESCRIPTION);
}
