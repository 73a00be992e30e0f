import { keepTokenStackTracesCheap } from './stacks/stack-traces';
import { main } from './stacks/synthesize';

keepTokenStackTracesCheap();
// One TerraformStack per environments/*.json (or the file or directory named by MFA_HA_CONFIG).
main();
