// Runs after tsc: makes the CLI entry executable.
import fs from 'node:fs';
fs.chmodSync(new URL('../dist/src/cli/main.js', import.meta.url), 0o755);
