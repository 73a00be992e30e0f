/*
 * JSON.parse keeps a key named `__proto__` as an ordinary property, but JavaScript objects built from it
 * do not: zod's record drops it without a word, so `"tags": { "__proto__": "x" }` would vanish from every
 * resource. The loader refuses such a key wherever it stands, before validation.
 */

/** Keys that do not survive as data in a JavaScript object. */
export const RESERVED_KEYS: readonly string[] = ['__proto__'];

/** The path to the first reserved key in a parsed JSON value, or undefined. */
export function reservedKeyPath(value: unknown, path: readonly PropertyKey[] = []): PropertyKey[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entries: [PropertyKey, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, child] of entries) {
    if (typeof key === 'string' && RESERVED_KEYS.includes(key)) return [...path, key];
    const found = reservedKeyPath(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
