import { closest, distance } from 'fastest-levenshtein';

/** An error a user can fix: printed as its one-line message (one line per mistake), without a stack trace. */
export class UserError extends Error {}

/**
 * The known name a mistyped one most likely means: within two edits, or a third of its length for a long name (as
 * config/field-hints.ts judges a misspelt field); undefined when none is that close.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const guess = closest(name, [...known]);
  return distance(name, guess) <= Math.max(2, Math.floor(name.length / 3)) && guess.length > 2 ? guess : undefined;
}

/** ` (did you mean "x"? known: a, b)`: the hint and the known names, for a name that names nothing. */
export function knownNamesHint(name: string, known: readonly string[]): string {
  const meant = closestName(name, known);
  return ` (${meant ? `did you mean "${meant}"? ` : ''}known: ${known.join(', ')})`;
}

/** The one line for an environment name that names none: the closest known name when it is a likely typo, and the known names. */
export function noEnvironmentNamed(name: string, known: readonly string[], where = ''): UserError {
  return new UserError(`no environment is named "${name}"${where}${knownNamesHint(name, known)}`);
}
