/**
 * CLI failure modes. A UsageError is a mistake on the command line (unknown section id, bad
 * number): printed as one line, exit code 2. Library errors (ValidationError, FormatError) are
 * printed as one line with exit code 1; anything else also prints its stack.
 */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Thrown by `demo` after writing the report when some sections failed (exit code 1). */
export class SectionsFailedError extends Error {
  override readonly name = 'SectionsFailedError';
}
