import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/*
 * What `cdktf diff` and `cdktf deploy` need besides the synth, checked when the cdktf CLI runs the app: Terraform on
 * the PATH (the CLI reports its absence as "execvp(3) failed") and an Azure login for the azurerm provider. Each
 * missing one is a line saying what to install or run; the synth itself goes on (`cdktf synth` needs neither).
 */

/** True when `name` is an executable file in a directory of `PATH` (with `PATHEXT` on Windows). */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  const extensions = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  return (env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) =>
      extensions.some((ext) => {
        try {
          return fs.statSync(path.join(dir, name + ext)).isFile();
        } catch {
          return false;
        }
      }),
    );
}

/**
 * True when the azurerm provider has credentials besides the Azure CLI's (a service principal, a managed identity or
 * workload identity federation, learn.microsoft.com/azure/developer/terraform/authenticate-to-azure), or the Azure
 * CLI's profile lists a subscription (`az login` writes it: AZURE_CONFIG_DIR, default ~/.azure/azureProfile.json).
 */
export function hasAzureLogin(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): boolean {
  if (env.ARM_CLIENT_ID || env.ARM_USE_MSI === 'true' || env.ARM_USE_OIDC === 'true') return true;
  try {
    const profile = JSON.parse(
      fs.readFileSync(path.join(env.AZURE_CONFIG_DIR ?? path.join(home, '.azure'), 'azureProfile.json'), 'utf8').replace(/^\uFEFF/, ''),
    );
    return Array.isArray(profile.subscriptions) && profile.subscriptions.length > 0;
  } catch {
    return false;
  }
}

/** One line per thing `cdktf diff` and `cdktf deploy` will miss, saying what to install or run; none when all is there. */
export function preflight(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string[] {
  const terraform = env.TERRAFORM_BINARY_NAME ?? 'terraform';
  return [
    ...(onPath(terraform, env)
      ? []
      : [
          `${terraform} is not on the PATH: cdktf diff and deploy run it (cdktf synth does not); install Terraform >= 1.5 (developer.hashicorp.com/terraform/install), or OpenTofu with TERRAFORM_BINARY_NAME=tofu`,
        ]),
    ...(hasAzureLogin(env, home)
      ? []
      : ['no Azure login found: cdktf diff and deploy need one (cdktf synth does not); run az login, or set ARM_CLIENT_ID and its credential']),
  ];
}
