/**
 * Where an environment with a local backend keeps its Terraform state: in the folder that holds the output
 * directory (the project root for `cdktf.out`), never inside the output directory, which synth rewrites.
 */

/** The state file's name: `terraform.<environment>.tfstate` (Terraform writes `<name>.backup` beside it). */
export const localStateFile = (environment: string) => `terraform.${environment}.tfstate`;

/**
 * The backend's path, from the stack's folder `<outdir>/stacks/<environment>` where Terraform runs (under
 * `npx cdktf` and by hand). Relative, so the synthesized JSON is the same on every machine.
 */
export const localStatePath = (environment: string) => `../../../${localStateFile(environment)}`;

/** Matches a state file (or its backup) as Terraform names them: how earlier versions left them in a stack folder. */
export const STATE_FILE = /^terraform\..+\.tfstate(\.backup)?$/;
