import { VirtualMachineExtension } from '@cdktf/provider-azurerm/lib/virtual-machine-extension';
import { Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { domainJoinRestartScript, domainJoinScript } from './scripts/domain-join';
import { RESTART_DELAY_SECONDS } from './scripts/hardening';
import { IDENTITY_CLIENT_ID } from './scripts/key-vault-secret';
import { grantSecretRead, runtimeSecretOf, SecretReference } from './secrets';
import { runScript, ServerRef } from './server-steps';
import { TimeSleep } from './time-sleep';
import { TierName } from './values';

/** The domain and account every join of an environment shares. */
interface DomainJoinTarget {
  /** DNS name of the Active Directory domain, e.g. `contoso.com`. */
  readonly domainName: string;
  /** Distinguished name of the OU the computer accounts go into. @default the domain's Computers container */
  readonly ouPath?: string;
  /** The account that joins the servers, `user@domain` or `DOMAIN\\user`. */
  readonly username: string;
}

/** Joining with `JsonADDomainExtension`: the password is in its protected settings, read by Terraform at plan time. */
export interface ExtensionDomainJoin extends DomainJoinTarget {
  /** `JsonADDomainExtension`. */
  readonly method: 'extension';
  /** A reference to the password (a Key Vault secret's value), never a literal. */
  readonly password: string;
}

/** Joining by Run Command: the script reads the password from Key Vault at run time with the tier's identity. */
export interface RunCommandDomainJoin extends DomainJoinTarget {
  /** A generated Run Command script. */
  readonly method: 'run-command';
  /** The Key Vault secret holding the join account's password. */
  readonly passwordSecret: SecretReference;
  /** The user-assigned identity of the tier's servers, given Key Vault Secrets User on that secret alone. */
  readonly identity: { readonly principalId: string; readonly clientId: string };
}

/** How the servers of a tier join Active Directory (domain.join). */
export type DomainJoin = ExtensionDomainJoin | RunCommandDomainJoin;

/**
 * How long Terraform waits between the join and the check of its restart: more than the minute the restart is
 * scheduled ahead, so that the check never runs on the boot that is about to end (a Run Command is not run again once
 * it started, even if the server restarts under it; constructs/server-hardening.ts RESTART_WAIT).
 */
export const JOIN_RESTART_DELAY = `${RESTART_DELAY_SECONDS * 3}s`;

/**
 * What joins each server of a tier to the domain, called once per server as it is built: returns the step the
 * server's configuration waits for. By extension, `JsonADDomainExtension` (Options 3: join and create the computer
 * account; Restart true). By Run Command, once per tier the role `<tier>-reads-domain-join-password` (Key Vault Secrets
 * User on the join secret, for the tier's identity), then per server `domain-join`, a wait, and `domain-join-restart`.
 */
export function domainJoiner(pool: Construct, tier: TierName, join: DomainJoin): (server: ServerRef) => ITerraformDependable {
  if (join.method === 'extension') {
    return (server) =>
      new VirtualMachineExtension(server.scope, 'domain-join', {
        name: 'domain-join',
        virtualMachineId: server.vm.id,
        publisher: 'Microsoft.Compute',
        type: 'JsonADDomainExtension',
        typeHandlerVersion: '1.3',
        autoUpgradeMinorVersion: true,
        settings: JSON.stringify({ Name: join.domainName, OUPath: join.ouPath ?? '', User: join.username, Restart: 'true', Options: '3' }),
        protectedSettings: Fn.jsonencode({ Password: join.password }),
      });
  }
  const reads = grantSecretRead(
    pool,
    `${tier}-reads-domain-join-password`,
    join.passwordSecret,
    join.identity.principalId,
    `The ${tier} servers read the password of ${join.username} at run time, to join the domain.`,
  );
  const script = domainJoinScript({
    domainName: join.domainName,
    ouPath: join.ouPath,
    username: join.username,
    passwordSecret: runtimeSecretOf(join.passwordSecret),
  });
  const check = domainJoinRestartScript({ domainName: join.domainName, ouPath: join.ouPath });
  return (server: ServerRef) => {
    const joined = runScript(server, script, { values: { [IDENTITY_CLIENT_ID]: join.identity.clientId }, dependsOn: [reads] });
    const delay = new TimeSleep(server.scope, 'domain-join-restart-delay', {
      createDuration: JOIN_RESTART_DELAY,
      triggers: { join: joined.id },
      dependsOn: [joined],
    });
    return runScript(server, check, { dependsOn: [delay] });
  };
}
