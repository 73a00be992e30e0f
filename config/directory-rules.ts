import { MAX_NETBIOS_DOMAIN_LENGTH } from './accounts';
import { computerName, type RuleViolation } from './rules';
import type { Environment } from './schema';
import { configuredTiers, tierSettingsOf } from './server-tiers';

/*
 * Active Directory names, as Windows and AD hold them
 * (learn.microsoft.com/troubleshoot/windows-server/active-directory/naming-conventions-for-computer-domain-site-ou):
 * - A NetBIOS domain name (the DOMAIN of DOMAIN\user) has at most 15 characters and none of \ / : * ? " < > |, and does
 *   not start with a period. A domain part with a period in it is read as the DNS domain name, which Windows also
 *   accepts there (contoso.com\user), and is not held to the NetBIOS limits.
 * - The account of DOMAIN\user is its sAMAccountName: "This attribute must be 20 characters or less to support earlier
 *   clients, and cannot contain any of these characters: "/ \ [ ] : ; | = , + * ? < >"
 *   (learn.microsoft.com/windows/win32/adschema/a-samaccountname).
 * - An account name ending in $ is a computer-class account: a computer, or a (group) managed service account, whose
 *   password Windows changes itself and no one reads (learn.microsoft.com/windows-server/identity/ad-ds/manage/group-managed-service-accounts/group-managed-service-accounts/group-managed-service-accounts-overview):
 *   it cannot be a credential whose password the toolkit reads from Key Vault.
 * - The domain join takes the OU as a distinguished name in the domain joined: "the string must contain a full path,
 *   for example, OU=testOU,DC=domain,DC=Domain,DC=com" (NetJoinDomain's lpMachineAccountOU,
 *   learn.microsoft.com/windows/win32/api/lmjoin/nf-lmjoin-netjoindomain; JsonADDomainExtension passes OUPath to it).
 * - A gMSA is a computer-class object whose sAMAccountName is its name and $, like a computer's; sAMAccountNames are
 *   unique in a domain, so a gMSA named like one of the toolkit's servers collides with that server's account.
 */

/** Characters of a user's sAMAccountName. */
export const MAX_USER_ACCOUNT_NAME_LENGTH = 20;

/** The credential fields whose password the toolkit reads from Key Vault, and where that password is. */
function credentials(env: Environment): { path: string; username: string; secretPath: string }[] {
  const all: [string, string | undefined, string][] = [
    ['domain.joinUsername', env.domain.joinUsername, 'domain.joinPasswordSecret'],
    ['adfs.farm.serviceAccount.username', env.adfs.farm?.serviceAccount?.username, 'adfs.farm.serviceAccount.passwordSecret'],
    ['adfs.farm.adminCredential.username', env.adfs.farm?.adminCredential.username, 'adfs.farm.adminCredential.passwordSecret'],
    ['wap.trustCredential.username', env.wap.trustCredential?.username, 'wap.trustCredential.passwordSecret'],
  ];
  return all.flatMap(([path, username, secretPath]) => (username === undefined ? [] : [{ path, username, secretPath }]));
}

/** The account and domain of `DOMAIN\user` or `user@domain` (the schema has checked the shape). */
function partsOf(username: string): { account: string; netbios?: string } {
  const slash = username.indexOf('\\');
  return slash >= 0 ? { account: username.slice(slash + 1), netbios: username.slice(0, slash) } : { account: username.slice(0, username.lastIndexOf('@')) };
}

/** The domain's NetBIOS name as Windows proposes it by default: the first DNS label, upper case, cut to 15. */
const defaultNetbios = (domain: string) => domain.split('.')[0].toUpperCase().slice(0, MAX_NETBIOS_DOMAIN_LENGTH);

/** The DC= components of a domain name: contoso.com → DC=contoso,DC=com. */
const dcPath = (domain: string) =>
  domain
    .split('.')
    .map((label) => `DC=${label}`)
    .join(',');

/** The relative names of a distinguished name, split at unescaped commas; undefined when it is not one. */
function parseDn(dn: string): { type: string; value: string }[] | undefined {
  const parts = dn.split(/(?<!\\),/).map((rdn) => /^\s*(OU|CN|DC)\s*=\s*(\S(?:.*\S)?)\s*$/i.exec(rdn));
  if (parts.some((m) => m === null)) return undefined;
  const rdns = parts.map((m) => ({ type: m![1].toUpperCase(), value: m![2] }));
  const firstDc = rdns.findIndex((r) => r.type === 'DC');
  // At least one OU or container, then the domain's DC= components and nothing after them.
  if (firstDc < 1 || rdns.slice(firstDc).some((r) => r.type !== 'DC')) return undefined;
  return rdns;
}

/** NetBIOS domains, account names, managed accounts used as credentials, the OU path and the gMSA's name. */
export function* directoryViolations(env: Environment): Generator<RuleViolation> {
  const domain = env.domain.name.toLowerCase();
  const ouPath = env.domain.ouPath;
  if (ouPath !== undefined) {
    const rdns = parseDn(ouPath);
    const example = `OU=Servers,${dcPath(domain)}`;
    if (rdns === undefined) {
      yield { path: 'domain.ouPath', expected: `must be the distinguished name of an OU of domain.name ${domain}, such as ${example}`, got: ouPath };
    } else {
      const dcs = rdns
        .filter((r) => r.type === 'DC')
        .map((r) => r.value.toLowerCase())
        .join('.');
      if (dcs !== domain) {
        const meant = [...rdns.filter((r) => r.type !== 'DC').map((r) => `${r.type}=${r.value}`), dcPath(domain)].join(',');
        yield {
          path: 'domain.ouPath',
          expected: `must lie in the domain joined, domain.name ${domain} (${dcPath(domain)}) (did you mean "${meant}"?)`,
          got: ouPath,
        };
      }
    }
  }

  for (const { path, username, secretPath } of credentials(env)) {
    const { account, netbios } = partsOf(username);
    if (account.endsWith('$')) {
      yield {
        path,
        expected: `must be a user account whose password ${secretPath} holds: an account name ending in $ is a managed service account or a computer, whose password Windows manages and no one can read${path.startsWith('adfs.farm.serviceAccount') ? ' (for a gMSA, give adfs.farm.groupManagedServiceAccount instead)' : ''}`,
        got: username,
      };
      continue;
    }
    if (netbios !== undefined && !netbios.includes('.')) {
      const wrong =
        netbios.length > MAX_NETBIOS_DOMAIN_LENGTH
          ? `of at most ${MAX_NETBIOS_DOMAIN_LENGTH} characters`
          : /[/:*?"<>|]/.test(netbios)
            ? 'without / : * ? " < > |'
            : undefined;
      if (wrong !== undefined) {
        yield {
          path,
          expected: `must name a NetBIOS domain ${wrong} before the \\ (did you mean "${defaultNetbios(domain)}\\${account}", after domain.name?)`,
          got: username,
        };
      }
    }
    if (netbios !== undefined) {
      if (account.length > MAX_USER_ACCOUNT_NAME_LENGTH || /["/[\]:;|=,+*?<>]/.test(account)) {
        yield {
          path,
          expected: `must have an account name (its sAMAccountName) of at most ${MAX_USER_ACCOUNT_NAME_LENGTH} characters, none of " / \\ [ ] : ; | = , + * ? < >`,
          got: username,
        };
      }
    }
  }

  const gmsa = env.adfs.farm?.groupManagedServiceAccount;
  if (gmsa !== undefined) {
    const name = gmsa.slice(gmsa.indexOf('\\') + 1, -1).toLowerCase();
    const server = configuredTiers(env)
      .flatMap((tier) => Array.from({ length: tierSettingsOf(env, tier).count }, (_, i) => computerName(env, tier, i + 1)))
      .find((s) => s.toLowerCase() === name);
    if (server !== undefined) {
      yield {
        path: 'adfs.farm.groupManagedServiceAccount',
        expected: `must be named unlike the toolkit's servers: ${server} is one of them, and a gMSA's account (${name}$) is a computer-class account like the server's, whose names are unique in the domain`,
        got: gmsa,
      };
    }
  }
}
