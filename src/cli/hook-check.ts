// `mirra-scan install` runs the installed hook once to see that git would reach this bin: it names
// an empty file of its own in MIRRA_SCAN_HOOK_CHECK; a hook command writes its name there and ends.
// Only an empty file in a folder install made counts; anything else is ignored and the hook scans.

import fs from 'node:fs';
import path from 'node:path';

/** For a hook command under install's check: answers it and ends the process (exit 0). */
export function answerHookCheck(command: string | undefined): void {
  const hookCheck = process.env.MIRRA_SCAN_HOOK_CHECK;
  if (!hookCheck || !(command === 'staged' || command === 'commit-msg' || command === 'pre-push')) return;
  if (!/^mirra-hook-check-/.test(path.basename(path.dirname(hookCheck)))) return;
  const stat = fs.statSync(hookCheck, { throwIfNoEntry: false });
  if (stat?.isFile() && stat.size === 0) {
    fs.writeFileSync(hookCheck, command);
    process.exit(0);
  }
}
