import type { RuleViolation } from './rules';

/*
 * Azure's tag limits (learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations,
 * and the tagNames row of learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources):
 * at most 50 tag name-value pairs per resource; a name of at most 512 characters without < > % & \ ? / or
 * control characters; a value of at most 256 characters. Tag names are case-insensitive, values are not.
 */

/** Tags per resource. */
export const MAX_TAGS_PER_RESOURCE = 50;
/** Characters of a tag name. */
export const MAX_TAG_NAME_LENGTH = 512;
/** Characters of a tag value. */
export const MAX_TAG_VALUE_LENGTH = 256;
/** Characters Azure refuses in a tag name, besides control characters. */
export const FORBIDDEN_TAG_NAME_CHARACTERS = ['<', '>', '%', '&', '\\', '?', '/'] as const;

/**
 * Tags the toolkit itself puts on resources: `environment` and `workload` on every resource (stacks/mfa-ha-stack.ts),
 * `tier` and `role` on every server (constructs/windows-server-pool.ts). A test checks that the synthesized
 * Terraform carries no other tag name of the toolkit's.
 */
export const TOOLKIT_TAG_NAMES = ['environment', 'workload', 'tier', 'role'] as const;

const characters = (text: string) => [...text].length;
// eslint-disable-next-line no-control-regex -- matches the control characters a tag name or value must not hold
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * What is wrong with the user's tags, field by field, in file order. `path` names the tags object
 * (`tags`); `toolkitTagNames` are the names the toolkit adds to the same resources.
 */
export function* tagViolations(
  tags: Readonly<Record<string, string>>,
  path = 'tags',
  toolkitTagNames: readonly string[] = TOOLKIT_TAG_NAMES,
): Generator<RuleViolation> {
  const names = Object.keys(tags);
  const maxUserTags = MAX_TAGS_PER_RESOURCE - toolkitTagNames.length;
  if (names.length > maxUserTags) {
    yield {
      path,
      expected: `must hold at most ${maxUserTags} tags (Azure allows ${MAX_TAGS_PER_RESOURCE} per resource and the toolkit adds ${toolkitTagNames.join(', ')})`,
      got: `${names.length} tags`,
    };
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    const where = `${path}.${name}`;
    const lower = name.toLowerCase();
    const forbidden = FORBIDDEN_TAG_NAME_CHARACTERS.find((c) => name.includes(c));
    if (name.trim() === '') {
      yield { path: where, expected: 'must have a tag name that is not empty or blank', got: name };
    } else if (forbidden !== undefined || CONTROL.test(name)) {
      yield {
        path: where,
        expected: `must have a tag name without control characters or any of ${FORBIDDEN_TAG_NAME_CHARACTERS.join(' ')} (Azure refuses them)`,
        got: name,
      };
    } else if (characters(name) > MAX_TAG_NAME_LENGTH) {
      yield { path, expected: `must have tag names of at most ${MAX_TAG_NAME_LENGTH} characters`, got: `a name of ${characters(name)} characters` };
    } else if (toolkitTagNames.includes(lower)) {
      yield {
        path: where,
        expected: `must not be set: the toolkit sets "${lower}" itself, and Azure compares tag names without regard to case`,
        got: tags[name],
      };
    } else if (seen.has(lower)) {
      yield {
        path: where,
        expected: `must differ from ${path}.${seen.get(lower)} by more than letter case (Azure compares tag names without regard to case)`,
        got: name,
      };
    } else if (characters(tags[name]) > MAX_TAG_VALUE_LENGTH) {
      yield {
        path: where,
        expected: `must be at most ${MAX_TAG_VALUE_LENGTH} characters (Azure's limit for a tag value)`,
        got: `${characters(tags[name])} characters`,
      };
    }
    seen.set(lower, name);
  }
}
