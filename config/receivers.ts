import type { RuleViolation } from './rules';
import type { Environment } from './schema';

/*
 * The alert e-mail receivers of the action group. Each is named after its address, so that adding or removing
 * one leaves the others as they are; the names must then be unique within the group.
 */

/** Characters of a receiver name the toolkit derives (azurerm requires a non-empty one; kept to the toolkit's identifier rule). */
export const MAX_RECEIVER_NAME_LENGTH = 64;
/** Characters of an e-mail address: a forward-path is at most 256 octets, angle brackets included (RFC 5321 section 4.5.3.1.3). */
export const MAX_EMAIL_LENGTH = 254;
/** E-mail actions in one action group (learn.microsoft.com/azure/azure-monitor/fundamentals/service-limits#action-groups). */
export const MAX_EMAIL_RECEIVERS = 1000;

/** A receiver name from an e-mail address: its letters and digits, joined by hyphens, at most 64 characters. */
export const receiverName = (email: string) => `email-${email.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`.slice(0, MAX_RECEIVER_NAME_LENGTH);

/** Too many, too long, repeated addresses, and addresses whose receiver names collide. */
export function* receiverViolations(env: Environment): Generator<RuleViolation> {
  const emails = env.monitoring.receivers.emails;
  if (emails.length > MAX_EMAIL_RECEIVERS) {
    yield { path: 'monitoring.receivers.emails', expected: `must list at most ${MAX_EMAIL_RECEIVERS} addresses (Azure's limit of e-mail actions per action group)`, got: `${emails.length} addresses` };
  }
  const addresses = new Map<string, number>();
  const names = new Map<string, number>();
  for (const [i, email] of emails.entries()) {
    const path = `monitoring.receivers.emails[${i}]`;
    if (email.length > MAX_EMAIL_LENGTH) {
      yield { path, expected: `must be at most ${MAX_EMAIL_LENGTH} characters (RFC 5321's limit for an address)`, got: `${email.length} characters` };
      continue;
    }
    // Domains ignore case (RFC 5321 section 2.4); a local part differing only in case reaches, in practice, one mailbox.
    const same = addresses.get(email.toLowerCase());
    if (same !== undefined) {
      yield { path, expected: `must not repeat monitoring.receivers.emails[${same}] (addresses are compared without regard to case)`, got: email };
      continue;
    }
    addresses.set(email.toLowerCase(), i);
    const name = receiverName(email);
    const clash = names.get(name);
    if (clash !== undefined) {
      yield { path, expected: `must differ from monitoring.receivers.emails[${clash}] by more than punctuation: both become the receiver name "${name}", and receiver names are unique in an action group`, got: email };
    }
    names.set(name, i);
  }
}
