import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { AdfsServiceAccount, createFarmScript, farmRestartScript, joinFarmScript } from './scripts/adfs';
import { IDENTITY_CLIENT_ID } from './scripts/key-vault-secret';
import { enrollProxyScript, mfaPortalApplications, publishApplicationsScript } from './scripts/wap';
import { grantSecretRead, runtimeSecretOf, SecretReference } from './secrets';
import { runScript } from './server-steps';
import { TimeSleep } from './time-sleep';
import { Server, WindowsServerPool } from './windows-server-pool';

/** A domain account and where its password is. */
export interface Credential {
  readonly username: string;
  readonly passwordSecret: SecretReference;
}

/** Props of the AD FS farm and proxy configuration. */
export interface FederationConfigurationProps {
  readonly federationServiceName: string;
  /** The user portal and mobile app web service name, published through the proxies. */
  readonly portalName: string;
  /** The AD domain: servers are addressed by their FQDN `<computer>.<domain>`. */
  readonly domainName: string;
  readonly adfs: WindowsServerPool;
  readonly wap: WindowsServerPool;
  /**
   * 0-based index of the WID primary: the server that creates the farm, that the others join, and through which
   * the proxies write into the farm. Changing it follows a promotion (Set-AdfsSyncProperties).
   * @default 0
   */
  readonly primaryIndex?: number;
  /** The account the AD FS service runs as: a gMSA, or a classic account with its password in Key Vault. */
  readonly serviceAccount: { readonly gmsa: string } | Credential;
  /** Domain administrator that creates the farm and joins the nodes. */
  readonly admin: Credential;
  /**
   * The account that registers the proxies: a local administrator of the AD FS servers and nothing in the domain.
   * Never the farm admin: the proxies face the Internet and are not domain members.
   */
  readonly proxyTrust: Credential;
  /** Publish the user portal and the mobile app web service through the proxies. */
  readonly publishMfaPortal: boolean;
  /**
   * The managed identities of the AD FS servers and of the proxies: each reads its tier's passwords from Key Vault at
   * run time, and is granted Key Vault Secrets User on exactly those secrets.
   */
  readonly identities: { readonly adfs: UserAssignedIdentity; readonly wap: UserAssignedIdentity };
  /** By server id: what must happen on a server before it is configured (its certificates installed). */
  readonly ready: ReadonlyMap<string, readonly ITerraformDependable[]>;
}

/** Long-running steps: farm creation and proxy registration take minutes, and a joining node waits for the primary. */
const FARM_TIMEOUT = '60m';

/**
 * How long after a farm script the wait for its restart starts: the script schedules the restart a minute ahead
 * (so that Run Command gets its result first); by then the server is restarting or back.
 */
export const FARM_RESTART_DELAY = '180s';

/**
 * The AD FS farm and the Web Application Proxies, configured in order: the WID primary creates the farm, each
 * other server joins it after the previous one; every AD FS server restarts after its configuration, and the
 * next step waits until it answers again (`adfs-restart`), so that one server at a time is away. Each proxy
 * registers after the primary is back (one after another), then the first proxy publishes the MFA user portal
 * and mobile app web service.
 * Passwords never travel through Terraform nor a command line: each script reads the ones it needs from Key Vault
 * at run time with its server's identity, which may read those secrets and no other (tier 0: the proxies' identity
 * reads the trust credential's password alone).
 */
export class FederationConfiguration extends Construct {
  /** By server id, the last configuration step of that server. */
  readonly steps = new Map<string, ITerraformDependable>();
  /** FQDN of the first AD FS server, the primary of the WID farm, where the proxies write into the farm. */
  readonly primaryComputer: string;

  constructor(scope: Construct, id: string, props: FederationConfigurationProps) {
    super(scope, id);
    const fqdn = (server: Server) => `${server.computerName}.${props.domainName}`.toLowerCase();
    const ready = (server: Server) => [...(props.ready.get(server.id) ?? [server.setup])];
    const adfsReads = [
      grantSecretRead(
        this,
        'adfs-reads-admin-password',
        props.admin.passwordSecret,
        props.identities.adfs.principalId,
        `The AD FS servers read the password of ${props.admin.username} at run time.`,
      ),
    ];
    let serviceAccount: AdfsServiceAccount;
    if ('gmsa' in props.serviceAccount) {
      serviceAccount = { gmsa: props.serviceAccount.gmsa };
    } else {
      serviceAccount = { username: props.serviceAccount.username, passwordSecret: runtimeSecretOf(props.serviceAccount.passwordSecret) };
      adfsReads.push(
        grantSecretRead(
          this,
          'adfs-reads-service-account-password',
          props.serviceAccount.passwordSecret,
          props.identities.adfs.principalId,
          `The AD FS servers read the password of ${props.serviceAccount.username} at run time.`,
        ),
      );
    }
    const farmValues: Record<string, string> = { [IDENTITY_CLIENT_ID]: props.identities.adfs.clientId };
    const farm = {
      federationServiceName: props.federationServiceName,
      serviceAccount,
      adminUsername: props.admin.username,
      adminPasswordSecret: runtimeSecretOf(props.admin.passwordSecret),
    };

    const primaryIndex = props.primaryIndex ?? 0;
    const primary = props.adfs.servers[primaryIndex];
    if (!primary) throw new Error(`FederationConfiguration: no AD FS server at index ${primaryIndex}`);
    const secondaries = props.adfs.servers.filter((s) => s !== primary);
    this.primaryComputer = fqdn(primary);
    // The tier's computer names without their number (`prod-adfs`): how the primary finds the others in AD.
    const computerNamePrefix = primary.computerName.replace(/\d+$/, '');
    const restart = farmRestartScript();
    /** A farm script, then the wait for the restart it asks for: the next step follows the server's return. */
    const configure = (server: Server, script: ReturnType<typeof createFarmScript>, after: readonly ITerraformDependable[]) => {
      const farmStep = runScript(server, script, { values: farmValues, dependsOn: [...after, ...adfsReads], timeout: FARM_TIMEOUT });
      const delay = new TimeSleep(server.scope, 'adfs-farm-restart-delay', {
        createDuration: FARM_RESTART_DELAY,
        triggers: { farm: farmStep.id },
        dependsOn: [farmStep],
      });
      const back = runScript(server, restart, { dependsOn: [delay], timeout: FARM_TIMEOUT });
      this.steps.set(server.id, back);
      return back;
    };
    const created = configure(primary, createFarmScript({ ...farm, computerNamePrefix }), ready(primary));
    let previous: ITerraformDependable = created;
    for (const server of secondaries) {
      previous = configure(server, joinFarmScript({ ...farm, primaryComputer: this.primaryComputer }), [...ready(server), previous]);
    }

    const trust = props.proxyTrust;
    const wapReads = grantSecretRead(
      this,
      'wap-reads-trust-password',
      trust.passwordSecret,
      props.identities.wap.principalId,
      `The proxies read the password of ${trust.username} at run time, and no other secret.`,
    );
    const enrollment = enrollProxyScript({
      federationServiceName: props.federationServiceName,
      primaryComputer: this.primaryComputer,
      trustUsername: trust.username,
      trustPasswordSecret: runtimeSecretOf(trust.passwordSecret),
    });
    let lastProxy: ITerraformDependable = created;
    for (const server of props.wap.servers) {
      lastProxy = runScript(server, enrollment, {
        values: { [IDENTITY_CLIENT_ID]: props.identities.wap.clientId },
        dependsOn: [...ready(server), lastProxy, wapReads],
        timeout: FARM_TIMEOUT,
      });
      this.steps.set(server.id, lastProxy);
    }

    if (props.publishMfaPortal) {
      const publisher = props.wap.servers[0];
      const publishing = publishApplicationsScript({
        federationServiceName: props.federationServiceName,
        primaryComputer: this.primaryComputer,
        certificateName: props.portalName,
        applications: mfaPortalApplications(props.portalName),
      });
      // After the last AD FS server joined: publishing writes into the farm, which is settled by then.
      this.steps.set(publisher.id, runScript(publisher, publishing, { dependsOn: [this.steps.get(publisher.id)!, previous] }));
    }
  }
}
