import { z } from 'zod';
import { expect } from './fields';

/*
 * Account names Windows and Azure hold to limits of their own: the VMs' local administrator, and the AD FS
 * group managed service account.
 */

/**
 * The names Azure refuses as a VM's administrator: the full list of the `adminUsername` property's
 * "Disallowed values" (learn.microsoft.com/rest/api/compute/virtual-machines/create-or-update, OSProfile;
 * the same 32 names in azurerm 4.55's `admin_username` validation). Windows compares account names without
 * regard to case, and so does this list.
 */
export const RESERVED_ADMIN_USERNAMES = [
  'administrator',
  'admin',
  'user',
  'user1',
  'test',
  'user2',
  'test1',
  'user3',
  'admin1',
  '1',
  '123',
  'a',
  'actuser',
  'adm',
  'admin2',
  'aspnet',
  'backup',
  'console',
  'david',
  'guest',
  'john',
  'owner',
  'root',
  'server',
  'sql',
  'support',
  'support_388945a0',
  'sys',
  'test2',
  'test3',
  'user4',
  'user5',
] as const;

const reserved = new Set<string>(RESERVED_ADMIN_USERNAMES);

/** The local administrator of every VM: 1-20 characters (Windows), not ending with a period, not a reserved name. */
export const adminUsername = z
  .string(expect('a local administrator name'))
  .regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,19}$/, expect('1-20 letters, digits, underscores, periods and hyphens, starting with a letter'))
  .refine((name) => !name.endsWith('.'), expect('a name that does not end with a period (Azure refuses it)'))
  .refine(
    (name) => !reserved.has(name.toLowerCase()),
    expect(`a name Azure does not reserve (it refuses ${RESERVED_ADMIN_USERNAMES.length} names, such as admin, administrator, user1, test, guest and root)`),
  );

/**
 * Characters of a gMSA's name before its `$`. A gMSA is a computer-class object (msDS-GroupManagedServiceAccount
 * derives from computer), and a computer's sAMAccountName is its NetBIOS name of at most 15 characters and a `$`
 * (learn.microsoft.com/troubleshoot/windows-server/active-directory/naming-conventions-for-computer-domain-site-ou).
 */
export const MAX_GMSA_NAME_LENGTH = 15;
/** Characters of a NetBIOS domain name (the same naming conventions page). */
export const MAX_NETBIOS_DOMAIN_LENGTH = 15;

/** A group managed service account: `DOMAIN\name$`, held to the sAMAccountName limits. */
export const gmsa = z
  .string(expect('a group managed service account'))
  .regex(/^[^\\\s]+\\[^\\\s]+\$$/, expect('a group managed service account such as CONTOSO\\gmsa-adfs$ (with the trailing $)'))
  .refine(
    (s) => s.slice(s.indexOf('\\') + 1, -1).length <= MAX_GMSA_NAME_LENGTH,
    expect(`a group managed service account whose name is at most ${MAX_GMSA_NAME_LENGTH} characters before the $ (its sAMAccountName, like a computer's)`),
  )
  .refine(
    (s) => !/["/[\]:;|=,+*?<>@]/.test(s.slice(s.indexOf('\\') + 1, -1)),
    expect('a group managed service account whose name has none of " / [ ] : ; | = , + * ? < > @ (Active Directory refuses them in a sAMAccountName)'),
  )
  .refine(
    (s) => s.indexOf('\\') <= MAX_NETBIOS_DOMAIN_LENGTH,
    expect(`a group managed service account whose domain is a NetBIOS name of at most ${MAX_NETBIOS_DOMAIN_LENGTH} characters, such as CONTOSO`),
  );
