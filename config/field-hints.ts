import { closest, distance } from 'fastest-levenshtein';
import { environmentSchema } from './schema';

/*
 * "Did you mean": the known field closest to a misspelt one, among the fields of the same object. The fields
 * are read from the schema itself, so the hint knows every field the schema does.
 */

/** Wrappers around an object schema that keep its fields. */
const WRAPPERS = ['default', 'optional', 'nullable', 'prefault'];

/** The field names of the object at `path` in the environment schema; undefined where that is no object. */
export function knownFields(path: readonly PropertyKey[]): string[] | undefined {
  // zod exposes a schema's definition as `_zod.def`: its type, and an object's shape.
  type Node = { _zod: { def: { type: string; innerType?: Node; shape?: Record<string, Node> } } } | undefined;
  let node = environmentSchema as unknown as Node;
  const unwrap = () => {
    while (node !== undefined && WRAPPERS.includes(node._zod.def.type)) node = node._zod.def.innerType;
  };
  for (const part of path) {
    unwrap();
    if (node?._zod.def.type !== 'object' || typeof part !== 'string') return undefined;
    node = node._zod.def.shape![part];
  }
  unwrap();
  return node?._zod.def.type === 'object' ? Object.keys(node._zod.def.shape!) : undefined;
}

/** The known field a misspelt `key` most likely means: within a third of its length in edits, ignoring case. */
export function closestField(path: readonly PropertyKey[], key: string): string | undefined {
  const fields = knownFields(path);
  if (!fields || fields.length === 0) return undefined;
  const byLower = new Map(fields.map((f) => [f.toLowerCase(), f]));
  const guess = closest(key.toLowerCase(), [...byLower.keys()]);
  return distance(key.toLowerCase(), guess) <= Math.max(1, Math.floor(key.length / 3)) ? byLower.get(guess) : undefined;
}
