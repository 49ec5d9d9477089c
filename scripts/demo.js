// `npm run demo`: scans the bundled demo app. Findings are the point of the demo, so exit code 1
// (keys found) counts as success here; 2 (the scan could not be done) does not.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli/mirra-scan.js', import.meta.url));
const demo = fileURLToPath(new URL('../fixtures/demo-app', import.meta.url));
const r = spawnSync(process.execPath, [cli, 'scan', demo, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status === 1 ? 0 : (r.status ?? 2));
