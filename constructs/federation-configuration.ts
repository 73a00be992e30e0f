import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AdfsServiceAccount, ADMIN_PASSWORD, createFarmScript, joinFarmScript, SERVICE_ACCOUNT_PASSWORD } from './scripts/adfs';
import { enrollProxyScript, mfaPortalApplications, publishApplicationsScript, TRUST_PASSWORD } from './scripts/wap';
import { readSecret, SecretReference } from './secrets';
import { runScript } from './server-steps';
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
  /** By server id: what must happen on a server before it is configured (its certificates installed). */
  readonly ready: ReadonlyMap<string, readonly ITerraformDependable[]>;
}

/** Long-running steps: farm creation and proxy registration take minutes, and a joining node waits for the primary. */
const FARM_TIMEOUT = '60m';

/**
 * The AD FS farm and the Web Application Proxies, configured in order: the first AD FS server creates the
 * WID farm, each other server joins it after the previous one, each proxy registers after the farm exists
 * (one after another), then the first proxy publishes the MFA user portal and mobile app web service.
 * Passwords are read from Key Vault at plan time and reach the servers only as protected parameters.
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
    const adminPassword = readSecret(this, 'admin-password', props.admin.passwordSecret);
    const serviceAccount: AdfsServiceAccount = 'gmsa' in props.serviceAccount ? { gmsa: props.serviceAccount.gmsa } : { username: props.serviceAccount.username };
    const farmValues: Record<string, string> = { [ADMIN_PASSWORD]: adminPassword };
    if (!('gmsa' in props.serviceAccount)) farmValues[SERVICE_ACCOUNT_PASSWORD] = readSecret(this, 'service-account-password', props.serviceAccount.passwordSecret);
    const farm = { federationServiceName: props.federationServiceName, serviceAccount, adminUsername: props.admin.username };

    const [primary, ...secondaries] = props.adfs.servers;
    this.primaryComputer = fqdn(primary);
    // The tier's computer names without their number (`prod-adfs`): how the first server finds the others in AD.
    const computerNamePrefix = primary.computerName.replace(/\d+$/, '');
    const created = runScript(primary, createFarmScript({ ...farm, computerNamePrefix }), {
      values: farmValues,
      dependsOn: ready(primary),
      timeout: FARM_TIMEOUT,
    });
    this.steps.set(primary.id, created);
    let previous: ITerraformDependable = created;
    for (const server of secondaries) {
      previous = runScript(server, joinFarmScript({ ...farm, primaryComputer: this.primaryComputer }), {
        values: farmValues,
        dependsOn: [...ready(server), previous],
        timeout: FARM_TIMEOUT,
      });
      this.steps.set(server.id, previous);
    }

    const trust = props.proxyTrust;
    const trustPassword = readSecret(this, 'proxy-trust-password', trust.passwordSecret);
    const enrollment = enrollProxyScript({ federationServiceName: props.federationServiceName, primaryComputer: this.primaryComputer, trustUsername: trust.username });
    let lastProxy: ITerraformDependable = created;
    for (const server of props.wap.servers) {
      lastProxy = runScript(server, enrollment, { values: { [TRUST_PASSWORD]: trustPassword }, dependsOn: [...ready(server), lastProxy], timeout: FARM_TIMEOUT });
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
