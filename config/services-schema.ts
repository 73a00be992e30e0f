import { z } from 'zod';
import { gmsa } from './accounts';
import { azureName, cidr, credential, expect, flag, fqdn, integer, ipv4, keyVaultResourceId, keyVaultSecretRef, resourceId } from './fields';

/*
 * The blocks that make a deployment work on day one: how each subnet reaches the Internet, the DNS names
 * of the design, the TLS certificates, the AD FS farm and WAP configuration, and monitoring. Each block
 * is optional or defaulted, so that an environment file written before it existed still validates.
 */

/** How the workload subnets reach what lies outside the virtual network. */
const zoneRedundant = z
  .boolean(expect('true or false'))
  .optional()
  .describe(
    'Replace the NAT gateway (zonal or without a zone: azurerm 4.55 has no zone-redundant one) by outbound rules of a Standard load balancer on a zone-redundant public IP, so that no single zone takes the egress down. Replaces no server; the egress address changes. Default: false; new environments (npm run new-env) get true.',
  );

export const egressSchema = z
  .discriminatedUnion(
    'mode',
    [
      z.strictObject({ mode: z.literal('natGateway'), zoneRedundant }).describe('A NAT gateway on every subnet with outbound flows.'),
      z
        .strictObject({
          mode: z.literal('virtualAppliance'),
          nextHopIp: ipv4.describe('Private IP of the hub firewall (network virtual appliance) that routes 0.0.0.0/0.'),
          zoneRedundant,
        })
        .describe('A route table sending 0.0.0.0/0 to a hub firewall (hub and spoke); the perimeter subnet keeps a NAT gateway.'),
    ],
    expect('"natGateway" or "virtualAppliance"'),
  )
  .default({ mode: 'natGateway' })
  .describe('Egress path of the workload subnets.');

/** The names clients use for each load-balanced service. */
export const dnsNamesSchema = z
  .strictObject({
    mfaApp: fqdn.optional().describe('Name of the mfaapp load balancer (Web Service SDK, replication); default: mfaapp.<domain.name>.'),
    portal: fqdn.optional().describe('Name of the user portal and mobile app web service, inside and outside; default: mfa.<domain.name>.'),
    federationService: fqdn.optional().describe('AD FS federation service name, inside and outside; default: sts.<domain.name>.'),
  })
  .default({})
  .describe('DNS names of the design; scripts, settings and certificates use them, never addresses.');

const certificateName = azureName('a Key Vault certificate name', 'azurerm_key_vault_certificate');

/** The TLS certificates of the HTTPS endpoints, delivered from Key Vault. */
export const certificatesSchema = z
  .strictObject({
    keyVaultResourceId: keyVaultResourceId
      .optional()
      .describe('Existing vault (RBAC mode, holding nothing but these certificates) with the CA-issued certificates.'),
    selfSigned: flag().default(false).describe('Create self-signed certificates in a vault of their own (labs only; servers trust them).'),
    keyVaultName: azureName('a globally unique Key Vault name', 'azurerm_key_vault')
      .optional()
      .describe('With selfSigned: the vault the toolkit creates for the certificates (not keyVault.name, which holds the admin passwords).'),
    federationService: certificateName.default('federation-service').describe('Key Vault certificate of the federation service (AD FS and WAP).'),
    portal: certificateName.default('mfa-user-portal').describe('Key Vault certificate of the user portal and mobile app web service (portal and WAP).'),
    webServiceSdk: certificateName.default('mfa-web-service-sdk').describe('Key Vault certificate of the Web Service SDK (MFA servers).'),
    revocationCheckCidrs: z
      .array(cidr, expect('a list of CIDRs'))
      .default([])
      .describe("Where the CAs' CRL and OCSP endpoints are (TCP 80); empty: the Internet. Unused with self-signed certificates."),
  })
  .optional()
  .describe('TLS certificates installed from Key Vault into LocalMachine\\My; omit for none.');

/** The AD FS farm the toolkit creates (first server) and joins (the others). */
export const farmSchema = z
  .strictObject({
    groupManagedServiceAccount: gmsa.optional().describe('gMSA the AD FS service runs as (needs the KDS root key); or give serviceAccount.'),
    serviceAccount: credential.optional().describe('Classic domain account the AD FS service runs as; or give groupManagedServiceAccount.'),
    adminCredential: credential.describe('Domain administrator that creates the farm and joins the nodes (Install-AdfsFarm -Credential).'),
  })
  .optional()
  .describe('Configure the AD FS farm (WID); omit to install the role only.');

/** What the Web Application Proxy servers are configured with when the farm is. */
export const proxyFields = {
  trustCredential: credential
    .optional()
    .describe(
      'Required with adfs.farm: the account that registers each proxy, a local administrator of the AD FS servers and nothing in the domain (never the farm admin: the proxies face the Internet).',
    ),
  publishMfaPortalEnabled: flag()
    .default(false)
    .describe(
      'Publish the user portal and the mobile app web service to the Internet through the proxies (pass-through preauthentication) when the farm is configured. Off unless asked for: the portal is retired with MFA Server.',
    ),
};

const workspaceResourceId = resourceId('Log Analytics workspace', 'Microsoft.OperationalInsights/workspaces', 'azurerm_log_analytics_workspace');

/** Health alerts from the load balancers' probes, and the servers' logs. */
export const monitoringSchema = z
  .strictObject({
    enabled: flag().default(false).describe('Alerts, the Azure Monitor Agent and a data collection rule on every server.'),
    receivers: z
      .strictObject({
        emails: z.array(z.email(expect('an e-mail address')), expect('a list of e-mail addresses')).default([]),
        webhookUrlSecret: keyVaultSecretRef.optional().describe('Key Vault secret holding the webhook URL (it may carry a token).'),
        webhookAadAuth: z
          .strictObject({
            objectId: z.guid(expect('the object id (GUID) of the Microsoft Entra application that protects the webhook')),
            identifierUri: z
              .string(expect('an application ID URI such as api://alerts-webhook'))
              .regex(/^(api|https):\/\/[^\s/]+/, expect('an application ID URI such as api://alerts-webhook'))
              .optional(),
            tenantId: z.guid(expect('a Microsoft Entra tenant id (GUID)')).optional(),
          })
          .optional()
          .describe(
            "The webhook's receiver accepts only calls carrying a Microsoft Entra token of this application (action group 'secure webhook'): then the URL, which anyone who can read the action group sees, is no longer enough to post alerts.",
          ),
      })
      .default({ emails: [] })
      .describe('Who hears the alerts; none: the alerts show in the portal only.'),
    workspace: z
      .strictObject({
        resourceId: workspaceResourceId.optional().describe('Existing Log Analytics workspace; default: one is created.'),
        retentionDays: integer(30, 730).optional().describe('Retention of the created workspace (30-730 days); default 90.'),
      })
      .default({})
      .describe('Where the server logs go.'),
    mfaServerLogsEnabled: flag().default(true).describe("Also collect MFA Server's MultiFactorAuthSvc.log from the MFA servers into a custom table."),
  })
  .default({ enabled: false, receivers: { emails: [] }, workspace: {}, mfaServerLogsEnabled: true })
  .describe('Azure Monitor: probe-health alerts (master down, degraded, down) and server logs.');

/** Azure Chaos Studio experiments that replay the failure model's failures in Azure (docs/availability.md). */
export const chaosSchema = z
  .strictObject({
    enabled: flag()
      .default(false)
      .describe(
        'Azure Chaos Studio experiments for the failure classes of the failure model (the master, one server of each tier, each zone, each egress path), each with its predicted outcome; none starts on its own. Needs the Microsoft.Chaos resource provider registered.',
      ),
  })
  .optional()
  .describe('Azure Chaos Studio experiments (opt-in).');
