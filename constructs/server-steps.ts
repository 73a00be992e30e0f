import { VirtualMachineExtension } from '@cdktf/provider-azurerm/lib/virtual-machine-extension';
import { VirtualMachineRunCommand } from '@cdktf/provider-azurerm/lib/virtual-machine-run-command';
import { Fn, ITerraformDependable } from 'cdktf';
import { RenderedScript, terraformLiteral } from './scripts/powershell';
import { Server } from './windows-server-pool';

/*
 * Configuration steps added to a server after its roles are installed. Azure allows one
 * CustomScriptExtension per VM, and the servers use theirs for the roles, so every later step is a
 * managed Run Command: up to 25 per VM, each with its own protected parameters, each waiting for its
 * script and failing the deployment when the script fails, ordered with `dependsOn`.
 */

/** Where the Key Vault extension asks for managed identity tokens (the instance metadata service). */
const MSI_ENDPOINT = 'http://169.254.169.254/metadata/identity/oauth2/token';

/** How often the Key Vault extension looks for renewed certificates, in seconds. */
export const CERTIFICATE_POLLING_SECONDS = 3600;

/**
 * The Key Vault VM extension for Windows (version 3.0): installs each certificate with its private key into
 * LocalMachine\My, polls for renewals, links each renewal to the certificate it replaces so that bindings
 * follow (`linkOnRenewal`), and reports success only once every certificate is installed
 * (`requireInitialSync`). Version 4.0 drops both settings and refuses server certificates whose root
 * is not yet trusted, such as the labs' self-signed ones, so the major version is pinned.
 */
export function installCertificates(
  server: Server,
  props: {
    readonly secretUrls: readonly string[];
    readonly identityClientId: string;
    readonly dependsOn: readonly ITerraformDependable[];
    /** Accounts given read access to the private keys ("accounts"; Administrators and SYSTEM have full control). @default none */
    readonly accounts?: readonly string[];
  },
): VirtualMachineExtension {
  return new VirtualMachineExtension(server.scope, 'key-vault-certificates', {
    name: 'key-vault-certificates',
    virtualMachineId: server.vm.id,
    publisher: 'Microsoft.Azure.KeyVault',
    type: 'KeyVaultForWindows',
    typeHandlerVersion: '3.0',
    autoUpgradeMinorVersion: true,
    settings: Fn.jsonencode({
      secretsManagementSettings: {
        pollingIntervalInS: String(CERTIFICATE_POLLING_SECONDS),
        linkOnRenewal: true,
        requireInitialSync: true,
        observedCertificates: props.secretUrls.map((url) => ({
          url,
          certificateStoreName: 'MY',
          certificateStoreLocation: 'LocalMachine',
          ...(props.accounts && { accounts: [...props.accounts] }),
        })),
      },
      authenticationSettings: { msiEndpoint: MSI_ENDPOINT, msiClientId: props.identityClientId },
    }),
    dependsOn: [server.setup, ...props.dependsOn],
  });
}

/** The parts of a server a Run Command needs: what the domain join has before the rest of the server exists. */
export type ServerRef = Pick<Server, 'id' | 'scope' | 'vm'>;

/** What a script needs to run on a server. */
export interface RunScriptOptions {
  /** Value of every script parameter, by name: secrets are references, passed as protected parameters. */
  readonly values?: Readonly<Record<string, string>>;
  readonly dependsOn: readonly ITerraformDependable[];
  /** How long Azure may run the script (the Terraform create and update timeout). @default 30m */
  readonly timeout?: string;
}

/**
 * Runs a rendered script on a server as a managed Run Command named after the script. Parameters marked
 * secret go in `protected_parameter` (never returned by the API nor shown in the portal), base64-encoded, the
 * others in `parameter`; every parameter needs a value and no value may lack its parameter.
 */
export function runScript(server: ServerRef, script: RenderedScript, options: RunScriptOptions): VirtualMachineRunCommand {
  const values = options.values ?? {};
  const declared = new Set(script.parameters.map((p) => p.name));
  const missing = script.parameters.filter((p) => !(p.name in values)).map((p) => p.name);
  const unknown = Object.keys(values).filter((name) => !declared.has(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(`${server.id}/${script.name}: parameters without a value: [${missing.join(', ')}], values without a parameter: [${unknown.join(', ')}]`);
  }
  // Secrets travel base64-encoded, so that no character of a password means something on the command line.
  const entries = (secret: boolean) =>
    script.parameters.filter((p) => p.secret === secret).map((p) => ({ name: p.name, value: secret ? Fn.base64encode(values[p.name]) : values[p.name] }));
  const parameters = entries(false);
  const secrets = entries(true);
  const timeout = options.timeout ?? '30m';
  return new VirtualMachineRunCommand(server.scope, script.name, {
    name: script.name,
    location: server.vm.location,
    virtualMachineId: server.vm.id,
    source: { script: terraformLiteral(script.text) },
    parameter: parameters.length > 0 ? parameters : undefined,
    protectedParameter: secrets.length > 0 ? secrets : undefined,
    timeouts: { create: timeout, update: timeout },
    dependsOn: [...options.dependsOn],
  });
}
