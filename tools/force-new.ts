import { resourceFacts } from './provider-rules-data';
import { isRecord } from '../constructs/policies/stack-view';

/*
 * The azurerm provider's ForceNew facts (data/azurerm-4.55.0-validation.json, read from its source) applied to
 * the attributes of a change: which of them replace the resource, and which may, under a condition the
 * provider checks at plan time.
 */

/** `ip_configuration[0].subnet_id` → `ip_configuration.subnet_id`: the provider's path of an attribute. */
export const schemaPath = (path: string) => path.replace(/\[\d+\]/g, '');

/** Every leaf path of a value under `path` (a scalar is its own leaf). */
function leaves(value: unknown, path: string): { path: string; value: unknown }[] {
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => (k === '//' ? [] : leaves(v, path ? `${path}.${k}` : k)));
  if (Array.isArray(value) && value.some((v) => isRecord(v) || Array.isArray(v))) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  return [{ path, value }];
}

/** True when the provider marks `path` of `type`, or a block that holds it, ForceNew. */
export function isForceNew(type: string, path: string): boolean {
  const facts = resourceFacts(type);
  if (!facts) return false;
  const parts = schemaPath(path).split('.');
  return parts.some((_, i) => facts[parts.slice(0, i + 1).join('.')]?.forceNew === true);
}

/** The provider's plan-time replacement conditions on `path` of `type` (custom diffs), in its own words. */
export function replacementConditions(type: string, path: string): string[] {
  const facts = resourceFacts(type)?.[schemaPath(path)];
  return (facts?.rules ?? []).flatMap((r) => (r.kind === 'text' && /forces? replacement/.test(r.text) ? [r.text] : []));
}

/**
 * The ForceNew attribute paths a difference touches. A whole block that appears, disappears or changes length
 * is compared leaf by leaf (element by element): only the leaves that differ count. A type the provider facts
 * do not cover: every leaf that differs (a change may replace it).
 */
export function forceNewLeaves(type: string, d: { readonly path: string; readonly before: unknown; readonly after: unknown }): string[] {
  const side = (v: unknown) => new Map(leaves(v, d.path).map((l) => [l.path, JSON.stringify(l.value)]));
  const [was, is] = [side(d.before), side(d.after)];
  const differing = [...new Set([...was.keys(), ...is.keys()])].filter((p) => was.get(p) !== is.get(p));
  const covered = resourceFacts(type) !== undefined;
  return [...new Set(differing.map(schemaPath))].filter((p) => !covered || isForceNew(type, p)).sort();
}
