/** An error a user can fix: printed as its one-line message (one line per mistake), without a stack trace. */
export class UserError extends Error {}
