// The scan path: mirra-scan's command line (./command-line.ts) with `scan` alone, the command every
// call runs that names no other command and asks for no help (./command-names.ts runsScanOnly). The
// build makes it one file with everything it runs, so a scan starts without loading the other
// commands or the chunks they share (see scripts/finish-build.js).

import { runCommandLine } from './command-line.js';
import { registerScanCommand } from './commands/scan.js';

await runCommandLine({ scan: async () => registerScanCommand });
