// Errors that end a run with exit code 2 and a one-line reason, never a stack trace.

/** The scan could not be done as asked: a bad flag, a bad URL, a missing path. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The scan could not be done: not a git repository, a shallow clone, git failing. Exit code 2. */
export class ScanFailure extends Error {
  override name = 'ScanFailure';
}
