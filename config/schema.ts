import { z } from 'zod';
import { adminUsername } from './accounts';
import { azureName, cidr, domainAccount, expect, integer, ipv4, keyVaultSecretRef, port, serverCount, vmSize } from './fields';
import { ddosProtectionEnabled, extranetLockoutSchema, hardeningSchema } from './hardening-schema';
import { maintenanceSchema } from './maintenance-schema';
import { migrationSchema, npsSchema } from './migration-schema';
import { AZURE_REGIONS, closestRegion, isAzureRegion } from './regions';
import { certificatesSchema, chaosSchema, dnsNamesSchema, egressSchema, farmSchema, monitoringSchema, proxyFields } from './services-schema';

/*
 * The environment file format: one definition gives the TypeScript types, the validation and the
 * JSON Schema that editors use (`npm run schema` writes environments/environment.schema.json).
 * Every object is strict: an unknown field is an error, so a typo never passes silently.
 * Field types live in ./fields.ts; whole-topology rules (overlaps, ranges, indexes) in ./rules.ts.
 */

/** A Marketplace image. */
const imageSchema = z
  .strictObject({
    publisher: z.string(),
    offer: z.string(),
    sku: z.string(),
    version: z.string(),
  })
  .describe('A Windows Server Marketplace image (Generation 2: every server boots with Trusted Launch).');

/** The image of every server whose tier names none: today's, so that a file without images replaces no server. */
export const DEFAULT_IMAGE = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition', version: 'latest' } as const;

const tierImage = imageSchema.optional().describe("Image of the tier's servers; default: image. Changing it replaces the tier's servers.");

const tier = {
  count: serverCount.default(2).describe('Number of servers (≥ 2).'),
  vmSize: vmSize.default('Standard_D2s_v5').describe('Azure VM size of every server of the tier.'),
  frontendIp: ipv4.optional().describe("Static private IP of the tier's internal load balancer; default: the subnet's last assignable address."),
  image: tierImage,
};

const subnetsSchema = z.strictObject({
  mfa: cidr.describe('MFA application servers (master and subordinates).'),
  portal: cidr.describe('User portal and mobile app web service servers.'),
  adfs: cidr.describe('AD FS farm.'),
  wap: cidr.describe('Perimeter subnet of the Web Application Proxy servers.'),
  bastion: cidr.optional().describe('AzureBastionSubnet (≥ /26); when given, an Azure Bastion host is deployed for RDP.'),
  nps: cidr.optional().describe('NPS servers (RADIUS with the NPS extension for Microsoft Entra MFA); required with the nps block.'),
});

/** The schema of one environment file. */
export const environmentSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path to the JSON Schema, for editors.'),
    name: z
      .string(expect('an environment name'))
      .regex(/^[a-z][a-z0-9]{1,6}$/, expect('2-7 lowercase letters or digits, starting with a letter (it prefixes Windows computer names)'))
      .describe('Environment name: stack name, resource name prefix and state key.'),
    purpose: z
      .enum(['production', 'lab'], expect('"production" or "lab"'))
      .default('production')
      .describe(
        'production (the default) holds its admin networks to private ranges no broader than network.managementCidrMinPrefix; a lab may share Key Vault secrets with other lab files, which production files never do.',
      ),
    location: z
      .string(expect('an Azure region name'))
      .check((ctx) => {
        if (isAzureRegion(ctx.value)) return;
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `an Azure region listed in config/azure-regions.json (did you mean "${closestRegion(ctx.value)}"?)`,
        });
      })
      .meta({ enum: [...AZURE_REGIONS] })
      .describe('Azure region (programmatic name, such as westeurope; the list is config/azure-regions.json).'),
    subscriptionId: z.guid(expect('a subscription id (GUID)')).optional().describe('Target subscription; default: ARM_SUBSCRIPTION_ID from the environment.'),
    resourceGroupName: azureName('a resource group name', 'azurerm_resource_group').optional().describe('Resource group to create; default: rg-mfaha-<name>.'),
    tags: z
      .record(z.string(), z.string(expect('a string tag value')))
      .default({})
      .describe('Tags on every resource.'),
    zones: z
      .array(z.enum(['1', '2', '3'], expect('one of "1", "2", "3"')), expect('a list of availability zones'))
      .max(3, expect('at most 3 zones'))
      .default([])
      .describe('Availability zones to spread servers across; empty: one availability set per tier.'),
    network: z.strictObject({
      addressSpace: cidr.describe('Address space of the VNet.'),
      subnets: subnetsSchema,
      dnsServers: z
        .array(ipv4, expect('a list of domain controller IP addresses'))
        .min(1, expect('a list of at least one domain controller IP address'))
        .describe('Domain controllers, used as the VNet DNS servers.'),
      managementCidrs: z.array(cidr, expect('a list of CIDRs')).default([]).describe('Admin networks allowed to RDP to the servers (never the Internet).'),
      managementCidrMinPrefix: integer(8, 32, 'an integer from 8 to 32 (a prefix length)')
        .default(24)
        .describe('In a production environment, each admin network is a private range of this prefix length or narrower (default /24).'),
      egress: egressSchema,
    }),
    domain: z.strictObject({
      name: z
        .string(expect('an AD DNS domain name'))
        .regex(/^(?=.{1,253}$)([a-zA-Z0-9-]{1,63}\.)+[a-zA-Z]{2,63}$/, expect('an AD DNS domain name such as contoso.com'))
        .describe('Active Directory domain to join.'),
      ouPath: z.string(expect('an OU distinguished name')).optional().describe('OU for the computer accounts.'),
      joinUsername: domainAccount.describe('Account that joins computers to the domain (user@domain or DOMAIN\\user).'),
      joinPasswordSecret: keyVaultSecretRef.describe('Key Vault secret holding the domain-join password.'),
      join: z
        .enum(['run-command', 'extension'], expect('"run-command" or "extension"'))
        .default('extension')
        .describe(
          'How the servers join the domain. "extension" (the default): JsonADDomainExtension, whose protected settings carry the password Terraform reads from Key Vault at plan time, so it is in the plan and the state. "run-command": a Run Command whose script reads the password from Key Vault at run time with its tier\'s managed identity (Key Vault Secrets User on that secret alone), joins with Add-Computer and restarts once: the password never reaches Terraform.',
        ),
    }),
    vmAdmin: z
      .strictObject({
        username: adminUsername.default('mfaadmin'),
        passwordSecret: keyVaultSecretRef
          .optional()
          .describe('Existing secret with the local admin password; default: a generated password per tier, stored in the Key Vault.'),
      })
      .default({ username: 'mfaadmin' }),
    keyVault: z.strictObject({
      name: azureName('a globally unique Key Vault name', 'azurerm_key_vault').describe('Key Vault created for the generated admin passwords.'),
      allowedIpRanges: z
        .array(cidr, expect('a list of CIDRs'))
        .default([])
        .describe('Public ranges allowed through the Key Vault firewall (where Terraform runs).'),
    }),
    image: imageSchema.default(DEFAULT_IMAGE).describe('Windows Server image of every server whose tier names no image of its own.'),
    osDiskType: z
      .enum(['Standard_LRS', 'StandardSSD_LRS', 'StandardSSD_ZRS', 'Premium_LRS', 'Premium_ZRS'], expect('an Azure managed disk type such as Premium_LRS'))
      .default('Premium_LRS'),
    mfa: z.strictObject({
      ...tier,
      masterIndex: integer(0, 19, 'an integer ≥ 0 (index of the master in the tier)')
        .default(0)
        .describe('Which server is the master (0-based). Changing it is the promotion of a subordinate.'),
      serverInstalled: z
        .boolean(expect('true or false'))
        .default(true)
        .describe(
          'MFA Server and its web components are installed (the post-deployment steps). Until then (false), the alerts on what only they answer stay disabled, so that a new environment raises no false Sev 0 alert; a file without the field keeps its alerts.',
        ),
      replicationPort: port.default(4443).describe('Static RPC port of PhoneFactor.pfdata replication (Pfsvc_ncan_ip_tcp_port).'),
      smsOtpEnabled: z
        .boolean(expect('true or false'))
        .default(false)
        .describe('One-way SMS OTP in use: the load balancer must then keep a client on one server (SourceIP).'),
      serviceEgressCidrs: z
        .array(cidr, expect('a list of CIDRs'))
        .default([])
        .describe('Restrict egress to the Azure MFA service to these ranges; empty: Internet on TCP 443.'),
      radius: z
        .strictObject({
          enabled: z.boolean(expect('true or false')).default(false),
          authenticationPort: port.default(1812),
          accountingPort: port.default(1813),
          clientCidrs: z.array(cidr, expect('a list of CIDRs')).default([]).describe('RADIUS clients allowed to reach the servers.'),
        })
        .default({ enabled: false, authenticationPort: 1812, accountingPort: 1813, clientCidrs: [] })
        .describe('Load-balanced RADIUS on the MFA servers.'),
    }),
    portal: z.strictObject(tier),
    adfs: z.strictObject({
      ...tier,
      certificateAuthenticationEnabled: z.boolean(expect('true or false')).default(false).describe('Publish TCP 49443 for certificate authentication.'),
      intranetClientCidrs: z
        .array(cidr, expect('a list of CIDRs'))
        .default([])
        .describe(
          'Intranet client ranges outside the virtual network (on-premises, through the hub) that sign in directly at the AD FS load balancer, which the internal DNS record of the federation service points them at: the AD FS subnet admits them on TCP 443 (and 49443 with certificate authentication). Empty: sign-in from the intranet is not offered, and an intranet user resolving the name through the domain controllers is refused.',
        ),
      primaryIndex: integer(0, 19, 'an integer ≥ 0 (index of the WID primary in the tier)')
        .default(0)
        .describe('Which AD FS server is the primary of the WID farm (0-based). Changing it follows a promotion (Set-AdfsSyncProperties).'),
      farm: farmSchema,
      extranetLockout: extranetLockoutSchema,
    }),
    wap: z.strictObject({
      count: tier.count,
      vmSize: tier.vmSize,
      image: tierImage,
      publicDnsLabel: azureName('a DNS label', 'azurerm_public_ip', 'domain_name_label')
        .optional()
        .describe('DNS label of the public IP (<label>.<region>.cloudapp.azure.com).'),
      ddosProtectionEnabled,
      ...proxyFields,
    }),
    nps: npsSchema,
    migration: migrationSchema,
    dns: dnsNamesSchema,
    certificates: certificatesSchema,
    monitoring: monitoringSchema,
    maintenance: maintenanceSchema,
    hardening: hardeningSchema,
    chaos: chaosSchema,
    dataProtection: z
      .strictObject({
        deletionProtectionEnabled: z
          .boolean(expect('true or false'))
          .default(true)
          .describe('prevent_destroy and a CanNotDelete lock on the MFA and AD FS servers. Turn off only for disposable environments.'),
        backup: z
          .strictObject({
            enabled: z.boolean(expect('true or false')).default(true),
            retentionDays: integer(7, 9999).default(30),
            time: z
              .string(expect('a time of day'))
              .regex(/^([01]\d|2[0-3]):(00|30)$/, expect('a UTC time on the hour or half hour, such as 02:00'))
              .default('02:00'),
          })
          .default({ enabled: true, retentionDays: 30, time: '02:00' })
          .describe('Daily Azure Backup of the MFA and AD FS servers.'),
      })
      .default({ deletionProtectionEnabled: true, backup: { enabled: true, retentionDays: 30, time: '02:00' } }),
    backend: z
      .discriminatedUnion(
        'type',
        [
          z.strictObject({ type: z.literal('local') }),
          z.strictObject({
            type: z.literal('azurerm'),
            resourceGroupName: azureName('a resource group name', 'azurerm_resource_group'),
            storageAccountName: azureName('a storage account name', 'azurerm_storage_account'),
            containerName: azureName('a blob container name', 'azurerm_storage_container'),
            key: z.string(expect('a state blob name')).min(1).optional().describe('Default: mfa-ha/<name>.tfstate.'),
          }),
        ],
        expect('"local" or "azurerm"'),
      )
      .default({ type: 'local' })
      .describe('Where Terraform keeps state.'),
  })
  .describe('One environment of the Azure MFA Server high-availability topology.');

/** The tiers of servers. */
/** The tiers of Windows servers, in deployment order. */
export const SERVER_TIERS = ['mfa', 'portal', 'adfs', 'wap'] as const;
export type ServerTier = (typeof SERVER_TIERS)[number];

/** The image a tier's servers boot: the tier's own, else the environment's. */
export const imageOf = (env: Pick<Environment, 'image' | ServerTier>, tier: ServerTier): Environment['image'] => env[tier].image ?? env.image;

/** An environment file as written by a user. */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** A validated environment, defaults filled in. */
export type Environment = z.output<typeof environmentSchema>;
