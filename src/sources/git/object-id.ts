// How git names an object: 40 hex digits (SHA-1) or 64 (SHA-256). The all-zero name stands for "no
// object" in hook input and CI variables (a ref created or deleted) and in a patch's `index` line.

/** A full object name, SHA-1 or SHA-256. */
export const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Git's name for no object (a new or deleted ref, an added or deleted file). */
export const ZERO_ID = /^0+$/;
