// One measured ESLint run over a folder of plain JavaScript, in a process of its own:
// `node lint-folder.js <folder> with|without`. "with" adds mirra/no-hardcoded-api-key to the same
// configuration. Prints {"ms": ESLint#lintFiles wall time, "rssMb": peak RSS of the process, "problems": n}.

import path from 'node:path';
import { ESLint } from 'eslint';
import mirra from '../../dist/src/index.js';

const [folder, variant] = process.argv.slice(2);
const base = { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs', ecmaVersion: 'latest' }, rules: { 'no-unused-vars': 'error' } };
const config = variant === 'with' ? [base, mirra.configs.recommended] : [base];
const eslint = new ESLint({ cwd: path.resolve(folder), overrideConfigFile: true, overrideConfig: config, cache: false });
const t0 = performance.now();
const results = await eslint.lintFiles(['.']);
const ms = performance.now() - t0;
const problems = results.reduce((n, r) => n + r.messages.length, 0);
console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, problems }));
