/**
 * The public entry of `mfa-ha-cdktf` (package.json `exports["."]`): what a project may import to use the
 * constructs inside its own CDK for Terraform stacks. Everything else in this repository is internal and may change
 * in any release. The list is docs/library.md's "Public API"; test/library.test.ts fails when the two differ, so
 * that adding or removing an export is a deliberate change (docs/library.md, "Versions").
 *
 * Explicit named exports only: an `export *` would make public whatever a module happens to export.
 */

// The whole design as one stack, from a validated environment.
export { MfaHaStack } from './stacks/mfa-ha-stack';
export { validateEnvironment } from './config/load';
export type { Environment, EnvironmentInput } from './config/schema';
export { ConfigError, ConfigErrors } from './config/errors';

// The tiers, to place in a stack and network of one's own.
export { MfaAppTier } from './constructs/mfa-app-tier';
export type { MfaAppTierProps } from './constructs/mfa-app-tier';
export { PortalTier } from './constructs/portal-tier';
export type { PortalTierProps } from './constructs/portal-tier';
export { AdfsFarm } from './constructs/adfs-farm';
export type { AdfsFarmProps } from './constructs/adfs-farm';
export { WapProxyTier } from './constructs/wap-proxy-tier';
export type { WapProxyTierProps } from './constructs/wap-proxy-tier';
export { NpsTier } from './constructs/nps-tier';
export type { NpsTierProps } from './constructs/nps-tier';

// What every tier takes, and what it gives back (the types of its public members).
export type { DomainJoin, ExtensionDomainJoin, RunCommandDomainJoin } from './constructs/domain-join';
export type { ImageReference, PoolMembership, Server, ServerDefaults, TierProps, WindowsServerPool } from './constructs/windows-server-pool';
export type { LoadBalancer } from './constructs/load-balancer';
export type { TierName } from './constructs/values';
export type { Network } from './constructs/network';

// The passwords the servers need, generated or read from Key Vault: references only, never literals.
export { Secrets } from './constructs/secrets';
export type { SecretReference, SecretsProps } from './constructs/secrets';

// The hashicorp/time provider, for the `time_sleep` that waits for Key Vault role assignments to propagate (Secrets).
export { TimeProvider } from './constructs/time-sleep';
