import { runTool } from '../tools/cli';
import { MIGRATION_TOOL } from '../tools/migration/cli';

// npm run migration -- <env> [--markdown]: the runbook of the environment's migration stage (tools/migration/).
void runTool(MIGRATION_TOOL);
