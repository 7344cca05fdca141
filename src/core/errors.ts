/**
 * Error types of the library. Every error raised at the public boundary is one of these, so callers
 * can tell bad input (ValidationError) from misuse (NotFittedError) and from numerical trouble
 * (ConvergenceError) without parsing messages.
 */

/** Bad input data or an impossible option. The message names the argument and the problem. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}

/** A fitted attribute or method was used before `fit`. Message: "KMeans is not fitted". */
export class NotFittedError extends Error {
  override readonly name = 'NotFittedError';
  constructor(estimator: string) {
    super(`${estimator} is not fitted; call fit() first`);
  }
}

/** A numerical procedure failed (non-finite loss, matrix not positive definite, ...). */
export class NumericalError extends Error {
  override readonly name = 'NumericalError';
}

/** A run was stopped through an AbortSignal. The partial result, if any, is kept by the estimator. */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  constructor(message = 'the operation was aborted') {
    super(message);
  }
}

/** A file (IDX, NPY, CSV, saved model) is truncated, malformed or too large. */
export class FormatError extends Error {
  override readonly name = 'FormatError';
}
