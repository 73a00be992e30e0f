import { z } from 'zod';
import { expect, flag, integer } from './fields';

/*
 * The hardening the toolkit owns on the servers and the public IP (issue 29, item 5): AD FS extranet smart lockout,
 * TLS 1.0/1.1 and weak cipher suites off, Windows LAPS for the local administrator, DDoS IP Protection. Every block
 * is defaulted, so that an environment file written before it still validates; what each default does to a
 * deployed environment is in docs/upgrading.md.
 */

/** The Extranet Smart Lockout modes of Set-AdfsProperties -ExtranetLockoutMode, by the names the file uses. */
export const EXTRANET_LOCKOUT_MODES = { logOnly: 'ADFSSmartLockoutLogOnly', enforce: 'ADFSSmartLockoutEnforce' } as const;

/**
 * AD FS extranet smart lockout ("AD FS Extranet Lockout and Extranet Smart Lockout", learn.microsoft.com/windows-server/
 * identity/ad-fs/operations/configure-ad-fs-extranet-smart-lockout-protection). The defaults are that page's: log-only
 * first (3-7 days, so that AD FS learns each user's familiar locations before it enforces), a 30-minute observation
 * window, and a threshold below the domain's own account lockout threshold (5 is half Microsoft's security baseline's 10).
 */
export const extranetLockoutSchema = z
  .strictObject({
    enabled: flag().default(true).describe('Extranet lockout on the farm (with adfs.farm); false turns it off again.'),
    mode: z
      .enum(['logOnly', 'enforce'], expect('"logOnly" or "enforce"'))
      .default('logOnly')
      .describe('logOnly: AD FS learns familiar locations and logs, blocking nothing (Microsoft: 3-7 days first); enforce: it locks out unfamiliar locations.'),
    threshold: integer(1, 999, 'an integer from 1 to 999 (AD account lockout thresholds go to 999)')
      .default(5)
      .describe(
        "Bad passwords from an unfamiliar location before AD FS stops trying them against AD (ExtranetLockoutThreshold); keep it below the domain's account lockout threshold.",
      ),
    observationWindowMinutes: integer(1, 1440, 'an integer from 1 to 1440 (minutes, up to a day)')
      .default(30)
      .describe('How long a locked-out account stays locked for unfamiliar locations (ExtranetObservationWindow).'),
  })
  .default({ enabled: true, mode: 'logOnly', threshold: 5, observationWindowMinutes: 30 })
  .describe('AD FS extranet smart lockout, set on the WID primary when the toolkit configures the farm.');

/** Windows LAPS for the built-in local administrator of the domain-joined servers. */
export const lapsSchema = z
  .strictObject({
    enabled: flag()
      .default(true)
      .describe('Windows LAPS backs the local administrator password up to AD and rotates it, once a domain admin has met its preconditions.'),
    passwordAgeDays: integer(1, 365, 'an integer from 1 to 365 (Windows LAPS PasswordAgeDays)').default(30).describe('Windows LAPS PasswordAgeDays.'),
    passwordLength: integer(8, 64, 'an integer from 8 to 64 (Windows LAPS PasswordLength)').default(14).describe('Windows LAPS PasswordLength.'),
  })
  .default({ enabled: true, passwordAgeDays: 30, passwordLength: 14 })
  .describe('Windows LAPS on the domain-joined servers (not the proxies, which are not domain members).');

/** What the toolkit hardens on every server. */
export const hardeningSchema = z
  .strictObject({
    tlsHardeningEnabled: flag()
      .default(true)
      .describe(
        'SSL 2.0 and 3.0, TLS 1.0 and 1.1 and weak cipher suites off on the AD FS, WAP, MFA and portal servers; each restarts once, one server of a tier at a time.',
      ),
    laps: lapsSchema,
  })
  .default({ tlsHardeningEnabled: true, laps: { enabled: true, passwordAgeDays: 30, passwordLength: 14 } })
  .describe('Server hardening the toolkit owns (docs/hardening.md).');

/** DDoS IP Protection on the proxies' public IP: Azure bills it per protected IP (docs/hardening.md). */
export const ddosProtectionEnabled = flag()
  .default(false)
  .describe("DDoS IP Protection on the proxies' public IP (ddos_protection_mode Enabled); billed per protected IP per month, see docs/hardening.md.");
