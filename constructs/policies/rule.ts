import type { SecretReference } from '../secrets';
import type { TierName } from '../values';
import type { ResourceView, StackView } from './stack-view';

/** What a rule found: it holds, it is broken (and why), or it does not concern the resource. */
export type Verdict = 'compliant' | 'n/a' | NonCompliant;

/** A broken rule and the reason, in words a reader of the resource understands. */
export interface NonCompliant {
  readonly verdict: 'non-compliant';
  readonly reason: string;
}

/** A non-compliant verdict with its reason. */
export const nonCompliant = (reason: string): NonCompliant => ({ verdict: 'non-compliant', reason });

/** True when a verdict reports a broken rule. */
export const isNonCompliant = (verdict: Verdict): verdict is NonCompliant => typeof verdict === 'object';

/**
 * What the rules know about the environment besides the synthesized Terraform. Tiers are told apart
 * by their subnets' address ranges, which the synthesized Terraform carries as literals.
 */
export interface PolicyInputs {
  /** Address range of each tier's subnet. */
  readonly subnets: Readonly<Partial<Record<TierName, string>>>;
  /** TCP 49443 is published to the Internet for AD FS certificate authentication. */
  readonly certificateAuthenticationEnabled: boolean;
  /** One-way SMS OTP is in use: the MFA Web Service SDK rule must keep a client on one server. */
  readonly smsOtpEnabled: boolean;
  /** The MFA and AD FS servers must carry prevent_destroy, and CanNotDelete locks on their OS disks and NICs. */
  readonly deletionProtectionEnabled: boolean;
  /** The tiers whose servers hold data and must be protected: the MFA and AD FS servers, AD FS alone once the MFA servers retire. */
  readonly protectedTiers: readonly TierName[];
  /** The MFA and AD FS servers must be protected by Azure Backup. */
  readonly backupEnabled: boolean;
  /** TLS certificates come from Key Vault: every HTTPS listener's servers must install theirs. */
  readonly certificatesEnabled: boolean;
  /** The servers are patched in rings by Azure Update Manager: each needs its maintenance assignment. */
  readonly maintenanceEnabled: boolean;
  /**
   * Secrets of the internal tiers (the farm admin's, the AD FS service account's, the domain join's): none may
   * reach a perimeter server.
   */
  readonly internalSecrets: readonly SecretReference[];
}

/** What a rule may read besides the resource it judges. */
export interface PolicyContext {
  readonly stack: StackView;
  readonly inputs: PolicyInputs;
}

/** One check of one resource of the synthesized Terraform. */
export type Rule = (resource: ResourceView, context: PolicyContext) => Verdict;
