import { z } from 'zod';
import { isAligned, parseCidr, parseIp } from './cidr';
import { nameProblem, nameRule } from './names';

/*
 * The field types environment files are made of. Each `error` text says what is expected; the loader
 * adds the file, the field path and what it got.
 */

/** A zod error option: the text that completes "<field> must be …". */
export const expect = (text: string) => ({ error: text });

// Fields without a message of their own still say what they expected.
z.config({
  customError: (iss) => {
    if (iss.code === 'invalid_type') return `${/^[aeiou]/.test(iss.expected) ? 'an' : 'a'} ${iss.expected}`;
    if (iss.code === 'too_small') return `at least ${String(iss.minimum)}${iss.origin === 'string' ? ' characters' : ''}`;
    return undefined;
  },
});

/** An integer within bounds. */
export const integer = (min: number, max: number, text = `an integer from ${min} to ${max}`) =>
  z.number(expect(text)).int(expect(text)).min(min, expect(text)).max(max, expect(text));

/** A switch. */
export const flag = () => z.boolean(expect('true or false'));

/** An aligned IPv4 range. */
export const cidr = z
  .string(expect('an IPv4 CIDR such as 10.0.1.0/24'))
  .refine((s) => parseCidr(s) !== undefined, expect('an IPv4 CIDR such as 10.0.1.0/24'))
  .refine((s) => {
    const c = parseCidr(s);
    return c === undefined || isAligned(c);
  }, expect('a CIDR whose address is its network address (no host bits set)'));

/** An IPv4 address. */
export const ipv4 = z.string(expect('an IPv4 address such as 10.0.1.10')).refine((s) => parseIp(s) !== undefined, expect('an IPv4 address such as 10.0.1.10'));

/** A name the user gives an Azure resource, held to Azure's rule for it (./names.ts). */
export const azureName = (what: string, type: string, attribute = 'name') => {
  const rule = nameRule(type, attribute);
  const text = expect(`${what}: ${rule.text}`);
  return z.string(text).min(rule.min, text).max(rule.max, text).regex(rule.pattern, text);
};

/** A TCP or UDP port. */
export const port = integer(1, 65535, 'a port number from 1 to 65535');

/** Count of servers in a tier: the HA design needs at least two of each. */
export const serverCount = integer(2, 20, 'an integer from 2 to 20 (high availability needs at least 2 servers)');

/** An Azure VM size. */
export const vmSize = z
  .string(expect('an Azure VM size such as Standard_D2s_v5'))
  .regex(/^Standard_[A-Za-z0-9_]+$/, expect('an Azure VM size such as Standard_D2s_v5'));

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * The full resource id of an existing resource: `/subscriptions/<guid>/resourceGroups/<rg>/providers/<type>/<name>`,
 * the resource group and the resource's name held to Azure's rules for them (./names.ts), so that a name
 * Azure cannot hold is refused here, not by a failed read at deploy time.
 */
export const resourceId = (what: string, providerType: string, nameType: string) => {
  const shape = `a ${what} resource id: /subscriptions/<uuid>/resourceGroups/<rg>/providers/${providerType}/<name>`;
  const provider = providerType.replace(/\./g, '\\.');
  // The shape, for editors (the JSON Schema) and the first check; the parts' rules come next.
  const shapePattern = new RegExp(`^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/${provider}/[^/]+$`);
  const pattern = new RegExp(`^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/${provider}/([^/]+)$`);
  return z
    .string(expect(shape))
    .regex(shapePattern, { error: shape, abort: true })
    .check((ctx) => {
      const m = pattern.exec(ctx.value);
      const group = nameRule('azurerm_resource_group');
      const rule = nameRule(nameType);
      const problem = !m
        ? shape
        : !GUID.test(m[1])
          ? `${shape}, with a subscription id that is a GUID`
          : nameProblem(group, m[2])
            ? `${shape}, with a resource group name of ${group.text}`
            : nameProblem(rule, m[3])
              ? `${shape}, with a name of ${rule.text}`
              : undefined;
      if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    });
};

/** The full resource id of a Key Vault. */
export const keyVaultResourceId = resourceId('Key Vault', 'Microsoft.KeyVault/vaults', 'azurerm_key_vault');

/** The vault name of a Key Vault resource id, lower case (vault names are case-insensitive DNS labels). */
export const vaultNameOf = (id: string) => id.slice(id.lastIndexOf('/') + 1).toLowerCase();

/** The name of a Key Vault object (secret or certificate). */
export const keyVaultObjectName = (what: string) =>
  z.string(expect(`a Key Vault ${what} name`)).regex(/^[0-9a-zA-Z-]{1,127}$/, expect(`a Key Vault ${what} name (1-127 letters, digits, dashes)`));

/** A secret that already exists in a Key Vault the deployment can read. */
export const keyVaultSecretRef = z
  .strictObject({
    keyVaultResourceId,
    secretName: keyVaultObjectName('secret'),
  })
  .describe('A secret that already exists in a Key Vault: its vault resource id and name.');

/**
 * A fully qualified DNS name, in any letter case: DNS compares names without regard to case (RFC 4343), so
 * the name is kept in lower case, and everything written from it (records, scripts, certificates) is.
 */
export const fqdn = z
  .string(expect('a fully qualified DNS name'))
  .toLowerCase()
  .regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, expect('a fully qualified DNS name such as mfaapp.contoso.com'));

/** A domain account: `DOMAIN\user` or `user@domain`. */
export const domainAccount = z
  .string(expect('a domain account'))
  .regex(
    /^([^\\@\s]+\\[^\\@\s]+|[^\\@\s]+@[^\\@\s]+\.[^\\@\s]+)$/,
    expect('a domain account with its domain, such as CONTOSO\\adfs-admin or adfs-admin@contoso.com'),
  );

/** A domain account and the Key Vault secret holding its password. */
export const credential = z
  .strictObject({
    username: domainAccount,
    passwordSecret: keyVaultSecretRef.describe('Key Vault secret holding the password.'),
  })
  .describe('A domain account and the Key Vault secret holding its password.');
