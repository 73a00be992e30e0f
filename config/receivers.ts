import { createHash } from 'crypto';
import type { RuleViolation } from './rules';
import type { Environment } from './schema';

/*
 * The alert e-mail receivers of the action group. Each is named after its address, so that adding or removing
 * one leaves the others as they are. Receiver names are unique within a group, and the readable name (the
 * address's letters and digits) does not tell every pair of addresses apart: a.b@ and a_b@ make one, and so do two
 * addresses that differ only past the name's 64th character. Those addresses, and only those, get the readable name
 * cut short and a hash of the whole address: distinct addresses always get distinct names, and an address keeps its
 * name as long as no other address of the list shares its readable one.
 */

/** Characters of a receiver name the toolkit derives (azurerm requires a non-empty one; kept to the toolkit's identifier rule). */
export const MAX_RECEIVER_NAME_LENGTH = 64;
/** Characters of an e-mail address: "The character limit in an e-mail address is 64" (Azure Monitor's action group limits). */
export const MAX_EMAIL_LENGTH = 64;
/** E-mail actions in one action group (learn.microsoft.com/azure/azure-monitor/fundamentals/service-limits#action-groups). */
export const MAX_EMAIL_RECEIVERS = 1000;

/** Hex characters of the hash that sets apart addresses whose readable names are equal. */
const HASH_LENGTH = 8;

/** The readable receiver name of an address: its letters and digits, joined by hyphens, at most 64 characters. */
const readableName = (email: string) =>
  `email-${email
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`.slice(0, MAX_RECEIVER_NAME_LENGTH);

/** The readable name cut short, and a hash of the address in lower case (addresses differing in case are one, see below). */
function hashedName(email: string, length = HASH_LENGTH): string {
  const hash = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, length);
  return `${readableName(email)
    .slice(0, MAX_RECEIVER_NAME_LENGTH - length - 1)
    .replace(/-$/, '')}-${hash}`;
}

/**
 * The receiver name of each address, in order: the readable name, unless another address of the list has the same
 * one; then the readable name cut short and a hash of the address. Addresses are distinct without regard to case
 * (the rule below refuses repeats).
 */
export function receiverNames(emails: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const email of emails) counts.set(readableName(email), (counts.get(readableName(email)) ?? 0) + 1);
  const names = emails.map((email) => (counts.get(readableName(email))! > 1 ? hashedName(email) : readableName(email)));
  // Two hashes of distinct addresses agreeing in 8 hex characters is unlikely, not impossible: lengthen them.
  for (let length = HASH_LENGTH + 4; new Set(names).size < names.length && length <= 32; length += 4) {
    names.forEach((name, i) => {
      if (names.indexOf(name) !== names.lastIndexOf(name)) names[i] = hashedName(emails[i], length);
    });
  }
  return names;
}

/** Too many, too long and repeated addresses. */
export function* receiverViolations(env: Environment): Generator<RuleViolation> {
  const emails = env.monitoring.receivers.emails;
  if (emails.length > MAX_EMAIL_RECEIVERS) {
    yield {
      path: 'monitoring.receivers.emails',
      expected: `must list at most ${MAX_EMAIL_RECEIVERS} addresses (Azure's limit of e-mail actions per action group)`,
      got: `${emails.length} addresses`,
    };
  }
  const addresses = new Map<string, number>();
  for (const [i, email] of emails.entries()) {
    const path = `monitoring.receivers.emails[${i}]`;
    if (email.length > MAX_EMAIL_LENGTH) {
      yield {
        path,
        expected: `must be at most ${MAX_EMAIL_LENGTH} characters (Azure Monitor's limit for an e-mail address in an action group)`,
        got: `${email.length} characters`,
      };
      continue;
    }
    // Domains ignore case (RFC 5321 section 2.4); a local part differing only in case reaches, in practice, one mailbox.
    const same = addresses.get(email.toLowerCase());
    if (same !== undefined) {
      yield { path, expected: `must not repeat monitoring.receivers.emails[${same}] (addresses are compared without regard to case)`, got: email };
      continue;
    }
    addresses.set(email.toLowerCase(), i);
  }
}
