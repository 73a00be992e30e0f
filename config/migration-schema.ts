import { z } from 'zod';
import { STAGE_NAMES } from '../constructs/migration-stages';
import { azureName, cidr, expect, flag, integer, ipv4, keyVaultSecretRef, port, serverCount, vmSize } from './fields';

/*
 * The way off MFA Server: the `migration` block (which stage the environment is at, the tenant, the groups AD FS
 * sends to Microsoft Entra MFA first) and the NPS tier that takes RADIUS over from MFA Server. Both are optional:
 * an environment file written before them stays at stage mfa-server and synthesizes unchanged.
 */

/**
 * The SID of an on-premises AD domain group: S-1-5-21-<three sub-authorities of the domain>-<RID>. AD FS claim rules
 * match the `groupsid` claim, which carries these ("Claims rules require on-premises security group", Get-ADGroup
 * gives its SID: https://learn.microsoft.com/entra/identity/authentication/how-to-migrate-mfa-server-to-mfa-with-federation).
 */
export const domainGroupSid = z
  .string(expect('the SID of an on-premises AD group, such as S-1-5-21-1004336348-1177238915-682003330-1107 ((Get-ADGroup <name>).SID)'))
  .regex(
    /^S-1-5-21-\d{1,10}-\d{1,10}-\d{1,10}-\d{1,10}$/,
    expect('the SID of an on-premises AD group, such as S-1-5-21-1004336348-1177238915-682003330-1107 ((Get-ADGroup <name>).SID)'),
  );

/** The `migration` block. */
export const migrationSchema = z
  .strictObject({
    stage: z
      .enum(STAGE_NAMES, expect(`one of ${STAGE_NAMES.map((s) => `"${s}"`).join(', ')}`))
      .default('mfa-server')
      .describe('Where the environment is on the way off MFA Server; it moves one stage at a time (README, "Getting off MFA Server").'),
    tenantId: z
      .guid(expect('a Microsoft Entra tenant id (GUID)'))
      .optional()
      .describe('The Microsoft Entra tenant AD FS and the NPS extension send MFA to; required from stage parallel.'),
    groupSids: z
      .array(domainGroupSid, expect('a list of on-premises AD group SIDs'))
      .max(100, expect('at most 100 group SIDs'))
      .default([])
      .describe('On-premises AD groups whose members AD FS sends to Microsoft Entra MFA at stage parallel; everyone else stays on MFA Server.'),
    adfsCertificateGeneration: integer(1, 1000)
      .default(1)
      .describe(
        "Generation of the AD FS servers' Microsoft Entra MFA tenant certificates (valid two years): raise it by one to renew them before they expire, when the certificate alert says so; the previous generation stays registered until the next raise (docs/entra-mfa-adfs.md).",
      ),
  })
  .optional()
  .describe('The way off MFA Server, stage by stage; omit to stay at mfa-server.');

/** One RADIUS client of the NPS servers. */
const radiusClient = z
  .strictObject({
    name: z
      .string(expect('a RADIUS client name'))
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, expect('a RADIUS client name: 1-64 letters, digits, spaces, dots, dashes or underscores')),
    address: z.union([ipv4, cidr], expect('an IPv4 address or CIDR')).describe('The client (VPN server, RD Gateway…) as NPS sees it: an address or a range.'),
    sharedSecret: keyVaultSecretRef.describe('Key Vault secret holding the RADIUS shared secret; the NPS servers read it at run time.'),
  })
  .describe('A RADIUS client of the NPS servers.');

/** The NPS tier: RADIUS with the NPS extension for Microsoft Entra MFA. */
export const npsSchema = z
  .strictObject({
    count: serverCount.default(2).describe('Number of NPS servers (≥ 2).'),
    vmSize: vmSize.default('Standard_D2s_v5').describe('Azure VM size of every NPS server.'),
    image: z
      .strictObject({ publisher: z.string(), offer: z.string(), sku: z.string(), version: z.string() })
      .optional()
      .describe('Image of the NPS servers; default: image.'),
    frontendIp: ipv4.optional().describe("Static private IP of the NPS servers' own RADIUS frontend; default: the subnet's last assignable address."),
    authenticationPort: port.default(1812),
    accountingPort: port.default(1813),
    radiusClients: z
      .array(radiusClient, expect('a list of RADIUS clients'))
      .min(1, expect('a list of at least one RADIUS client: an NPS tier without clients serves nobody'))
      .describe('The RADIUS clients the NPS servers answer, each with its shared secret in Key Vault.'),
    serviceEgressCidrs: z
      .array(cidr, expect('a list of CIDRs'))
      .default([])
      .describe(
        'Restrict egress to Microsoft Entra ID and the MFA service (login.microsoftonline.com, credentials.azure.com, strongauthenticationservice.auth.microsoft.com, adnotifications.windowsazure.com) to these ranges; empty: Internet on TCP 443.',
      ),
    keyVaultName: azureName('a globally unique Key Vault name', 'azurerm_key_vault')
      .optional()
      .describe(
        "The vault the toolkit creates for the NPS servers' client certificates, read by the NPS servers only; required unless certificates.selfSigned (then the lab vault holds them).",
      ),
    extensionInstalled: flag()
      .default(false)
      .describe(
        'Set once the NPS extension for Microsoft Entra MFA is installed on every NPS server (a manual step: Microsoft documents no unattended installation); then its certificate and settings are configured.',
      ),
    overrideNumberMatchingWithOtp: flag()
      .optional()
      .describe(
        "OVERRIDE_NUMBER_MATCHING_WITH_OTP: false falls back to Approve/Deny for clients that cannot send a one-time code (non-PAP protocols, RD Gateway); omit to leave the extension's default.",
      ),
  })
  .optional()
  .describe('NPS servers with the NPS extension for Microsoft Entra MFA: RADIUS from stage parallel on.');
