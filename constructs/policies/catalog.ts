import { backupProtection } from './backup-protection';
import { bootDiagnostics } from './boot-diagnostics';
import { certificateSource } from './certificate-source';
import { deletionProtection } from './deletion-protection';
import { egressPath } from './egress-path';
import { encryptionAtHost } from './encryption-at-host';
import { maintenanceAssignment } from './maintenance-assignment';
import { mfaSdkStickySessions } from './mfa-sdk-sticky-sessions';
import { noInternetInbound } from './no-internet-inbound';
import { noInternetManagement } from './no-internet-management';
import { noPublicIpOnNic } from './no-public-ip-on-nic';
import { noSecretLiterals } from './no-secret-literals';
import { perimeterSecrets } from './perimeter-secrets';
import { oneServerPerTierInWindow } from './one-server-per-tier-in-window';
import { portalStickySessions } from './portal-sticky-sessions';
import { protectedRunCommandParameters } from './protected-run-command-parameters';
import { renewalTask } from './renewal-task';
import type { Rule } from './rule';
import { subnetDenyAllInbound } from './subnet-deny-all-inbound';
import { subnetEgressClosed } from './subnet-egress-closed';
import { tierSpread } from './tier-spread';

/** A rule of the pack: its id, what it demands, why, and the check. */
export interface PolicyRule {
  /** Stable id, used in findings and suppressions: `MFAHA-NET-01`. */
  readonly id: string;
  /** What must hold, in one line. */
  readonly message: string;
  /** Why it must hold. */
  readonly explanation: string;
  readonly rule: Rule;
}

/** The policy pack of the MFA Server HA topology. */
export const POLICY_RULES: readonly PolicyRule[] = [
  {
    id: 'MFAHA-NET-01',
    message: 'only the WAP listeners take connections from the Internet',
    explanation:
      'The HA design publishes AD FS, the user portal and the mobile app web service through WAP in the perimeter network; every other tier is internal.',
    rule: noInternetInbound,
  },
  {
    id: 'MFAHA-NET-02',
    message: 'no public IP on a network interface',
    explanation: 'A server with its own public IP bypasses the WAP load balancer and the perimeter network.',
    rule: noPublicIpOnNic,
  },
  {
    id: 'MFAHA-NET-03',
    message: 'no RDP, SSH or WinRM from the Internet',
    explanation: 'Management ports open to the Internet are scanned and brute-forced within minutes; administer through Bastion or the admin networks.',
    rule: noInternetManagement,
  },
  {
    id: 'MFAHA-NET-04',
    message: 'every workload subnet has an NSG ending in deny-all inbound',
    explanation: 'The allowed-flow table is the only way in only when the last inbound rule denies everything else.',
    rule: subnetDenyAllInbound,
  },
  {
    id: 'MFAHA-NET-05',
    message: 'every subnet with outbound flows has an egress path',
    explanation:
      "New subnets have no default outbound access: without a NAT gateway, a default route to a firewall or a load balancer's outbound rules, allowed egress such as activation and updates goes nowhere.",
    rule: egressPath,
  },
  {
    id: 'MFAHA-NET-06',
    message: 'every workload subnet has an NSG whose egress ends by denying the rest of the virtual network and the Internet',
    explanation:
      'Tier 0: a server reaches only the flows of the table. Without the deny, Azure lets every subnet reach the whole virtual network, the peered hub, the domain controllers and on-premises on any port: a compromised proxy could talk to LDAP, SMB or RPC on a domain controller.',
    rule: subnetEgressClosed,
  },
  {
    id: 'MFAHA-VM-01',
    message: 'every VM encrypts at host or with a disk encryption set',
    explanation: 'The MFA servers hold user phone numbers and the AD FS servers token-signing material; temp disks and caches must be encrypted too.',
    rule: encryptionAtHost,
  },
  {
    id: 'MFAHA-VM-02',
    message: 'every VM has boot diagnostics',
    explanation: 'The serial log and screenshot are the only view of a server that does not boot or join the domain.',
    rule: bootDiagnostics,
  },
  {
    id: 'MFAHA-HA-01',
    message: 'every load-balanced tier has at least 2 servers across 2 zones or in an availability set',
    explanation: 'High availability needs a second server outside the failure domain of the first.',
    rule: tierSpread,
  },
  {
    id: 'MFAHA-LB-01',
    message: 'the user portal load balancer is sticky (SourceIP)',
    explanation: 'The HA doc: the load-balanced user portal and mobile app web service require sticky sessions.',
    rule: portalStickySessions,
  },
  {
    id: 'MFAHA-LB-02',
    message: 'with one-way SMS OTP, the mfaapp Web Service SDK rule is sticky (SourceIP)',
    explanation: 'The HA doc: one-way SMS OTP needs the answer to reach the server that sent the code.',
    rule: mfaSdkStickySessions,
  },
  {
    id: 'MFAHA-SEC-01',
    message: 'no secret literal in the configuration',
    explanation: 'Synthesized Terraform is committed and logged; passwords and keys must be references to generated or Key Vault secrets.',
    rule: noSecretLiterals,
  },
  {
    id: 'MFAHA-SEC-02',
    message: 'run commands carry no credential: scripts read their secrets from Key Vault at run time',
    explanation:
      'Public Run Command parameters are returned by the API and shown in the portal; a literal lands in the committed configuration; a protected parameter reaches the script on its command line, which process auditing and EDR record.',
    rule: protectedRunCommandParameters,
  },
  {
    id: 'MFAHA-SEC-03',
    message: 'no perimeter server receives, or may read, a secret of the internal tiers',
    explanation:
      'The proxies face the Internet and are not domain members: the farm admin, AD FS service account or domain-join password on one of them turns admin rights on a proxy into Domain Admin. A proxy registers with its own trust credential, a local administrator of the AD FS servers and nothing in the domain; its identity may read that secret in Key Vault, and no internal one.',
    rule: perimeterSecrets,
  },
  {
    id: 'MFAHA-TLS-01',
    message: 'with certificates configured, every server behind an HTTPS listener gets its certificate from Key Vault',
    explanation: 'A listener whose servers have no certificate source serves no or the wrong certificate; renewals must reach every server.',
    rule: certificateSource,
  },
  {
    id: 'MFAHA-TLS-02',
    message: 'every AD FS and WAP server has the certificate renewal task',
    explanation:
      'AD FS and WAP keep the thumbprint they were configured with: without the task, a certificate Key Vault renewed never reaches them, and the federation service stops the day the old one expires.',
    rule: renewalTask,
  },
  {
    id: 'MFAHA-DP-01',
    message: 'with deletion protection on, every MFA and AD FS server has prevent_destroy and CanNotDelete locks on its OS disk and NIC, none on the VM',
    explanation:
      'The MFA master holds PhoneFactor.pfdata and the AD FS servers the farm configuration; a replacement loses them. A lock on the VM would also lock its extension resources, which the toolkit must be able to remove.',
    rule: deletionProtection,
  },
  {
    id: 'MFAHA-DP-02',
    message: 'with backup on, every MFA and AD FS server is backed up',
    explanation: 'A restore point is the way back from a corrupted PhoneFactor.pfdata or a broken farm.',
    rule: backupProtection,
  },
  {
    id: 'MFAHA-MNT-01',
    message: 'with patching in rings, every server is patched by the platform and has exactly one maintenance assignment',
    explanation: 'A server without its assignment is patched when Windows or Azure decides, possibly together with the other servers of its tier.',
    rule: maintenanceAssignment,
  },
  {
    id: 'MFAHA-MNT-02',
    message: 'no maintenance window holds two servers of one tier',
    explanation:
      'Two servers of a tier restarting for updates at the same time take a two-server tier down: within a tier, windows never share a server or overlap.',
    rule: oneServerPerTierInWindow,
  },
];
