/** Errors a person can act on (a wrong argument, a missing choice): printed as one clear message, never as a stack trace. */
export class UsageError extends Error {}
