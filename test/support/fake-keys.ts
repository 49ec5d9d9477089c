// Fake Mirra keys for tests (the one generator lives in scripts/fake-keys.js, shared with the
// fixture scripts and the benchmarks).

export { fakeKey } from '../../scripts/fake-keys.js';
