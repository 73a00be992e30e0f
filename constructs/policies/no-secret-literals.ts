import { nonCompliant, Rule } from './rule';

// Attribute names that hold secrets, in snake case: admin_password, client_secret, access_key, sas_token…
const SECRET_NAME =
  /(^|_)(password|passwd|pwd|secret|token|access_key|account_key|shared_key|private_key|primary_key|secondary_key|connection_string|protected_settings)s?$|password|secret/;
// …but not what merely names, points at or configures one: key_vault_secret_id, secret_permissions, password_length.
const NOT_A_SECRET = /_(id|ids|name|names|permissions|type|version|enabled|url|uri|length|count|policy|path|expiration_date)$/;

const snakeCase = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** True when a string is one Terraform expression, `${…}`, with no literal text around it. */
export function isReference(text: string): boolean {
  if (!text.startsWith('${')) return false;
  let depth = 0;
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i === text.length - 1;
  }
  return false;
}

function parsedJson(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The path of the first secret-named attribute that holds a literal, looking into JSON-encoded strings too. */
function firstLiteralSecret(value: unknown, path: string, isSecret: (key: string) => boolean): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = firstLiteralSecret(item, `${path}[${i}]`, isSecret);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    // Tags label resources for people; a tag named "password-policy" is not a secret.
    if (key === 'tags') continue;
    const where = path ? `${path}.${key}` : key;
    if (typeof item === 'string') {
      if (isSecret(key) && item !== '' && !isReference(item)) return where;
      const found = firstLiteralSecret(parsedJson(item), where, isSecret);
      if (found) return found;
    } else {
      const found = firstLiteralSecret(item, where, isSecret);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * No secret is written into the configuration: every password-, secret- or key-like attribute (and the
 * `value` of a secret resource) is a reference such as `${random_password.x.result}`, never a literal.
 */
export const noSecretLiterals: Rule = (resource) => {
  const holdsSecretValue = resource.kind === 'resource' && /secret/.test(resource.type);
  const isSecret = (key: string) => {
    const name = snakeCase(key);
    return (SECRET_NAME.test(name) && !NOT_A_SECRET.test(name)) || (holdsSecretValue && name === 'value');
  };
  const found = firstLiteralSecret(resource.body, '', isSecret);
  return found ? nonCompliant(`${found} holds a literal; use a reference to a generated or Key Vault secret`) : 'compliant';
};
