import { main } from './stacks/synthesize';

// One TerraformStack per environments/*.json (or the file or directory named by MFA_HA_CONFIG).
main();
