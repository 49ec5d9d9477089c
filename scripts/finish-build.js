// Runs after tsc:
// - bundles this package's own code into dist/cli/: the full command line (main.js), the ESLint
//   plugin, the programmatic API (eslint-plugin-mirra/scanner), the GitHub Action's entry and the API
//   client, as entries sharing chunks;
// - bundles the `mirra-scan` bin (which only picks the path and starts git or a worker early) and the
//   hooks' fast path (src/cli/hook-fast-path.ts, with everything it runs) as two files of their own,
//   no chunks;
// - bundles the scan path (src/cli/scan-main.ts: the command line with `scan` alone, what every plain
//   scan runs) and the file-scanning worker as one file each, no chunks (bench/scan/README.md,
//   "Start-up": a scan through main.js and its ~30 chunks cost 40 ms more of CPU); and
// - writes dist/index.cjs and dist/scanner.cjs, the CommonJS entries (ESLint 8 and eslintrc configs
//   load the plugin with require(); Node 20.19+ can require() ES modules without top-level await).
//
// Why bundle: a pre-commit hook runs the CLI on every commit, and loading ~90 separate modules through
// Node's ES module loader cost about 45 ms of a ~160 ms run; one bundle loads in a fraction of that
// (`npm run bench:hook`). Code splitting keeps each command's code in its own chunk, loaded only when
// that command runs. A hook's call loads only the bin: one file, no command-line parser, where the
// chunks cost a file read and a module each (about 20 for `staged`). The libraries are bundled too (commander, p-limit, picocolors are dev
// dependencies), except the three loaded only when needed (cosmiconfig and ignore with createRequire,
// simple-git with import()): those are the package's only runtime dependencies, so nothing is both
// bundled and installed. The
// package ships the bundles and the .d.ts files; dist/src's .js files (tsc's output, used by this
// repository's tests and benchmarks) are not in the tarball (package.json "files").
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = new URL('../dist/', import.meta.url);

// Commander requires node:child_process when it loads, for subcommands that are programs of their own
// (mirra-scan has none); Node then loads child_process, net, dgram and the streams, about 2 ms of every
// run. It is required on first use instead. Another commander, without that line, is bundled as it is
// (and test/cli/start-up.test.ts, which counts the modules a scan loads, says so).
const commanderLoadsChildProcessLazily = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager)) return undefined;
      const lazy = "const childProcess = { spawn: (...spawnArgs) => require('node:child_process').spawn(...spawnArgs) };";
      return { contents: text.replace(eager, lazy), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

const outdir = fileURLToPath(new URL('cli/', dist));
fs.rmSync(outdir, { recursive: true, force: true }); // chunk names change with their content: no stale ones
const common = {
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Loaded only when needed (a config file to read, ignore rules to apply, a git plumbing question),
  // so not bundled: the package's three runtime dependencies. Everything else is in the bundle.
  external: ['cosmiconfig', 'ignore', 'simple-git'],
  // The CommonJS packages bundled in (commander) call require() for Node's own modules.
  banner: { js: "import { createRequire as __mirraCreateRequire } from 'node:module'; const require = __mirraCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [commanderLoadsChildProcessLazily],
};
await build({
  ...common,
  entryPoints: {
    main: fileURLToPath(new URL('src/cli/main.js', dist)),
    plugin: fileURLToPath(new URL('src/index.js', dist)),
    scanner: fileURLToPath(new URL('src/scanner/index.js', dist)),
    action: fileURLToPath(new URL('src/action/run.js', dist)),
    // The API client, by name: the hooks' fast path and the scan path below import it from here (only
    // with --verify).
    verify: fileURLToPath(new URL('src/verify/index.js', dist)),
  },
  splitting: true,
});
await build({
  ...common,
  entryPoints: {
    'mirra-scan': fileURLToPath(new URL('src/cli/bin.js', dist)),
    'hook-fast-path': fileURLToPath(new URL('src/cli/hook-fast-path.js', dist)),
  },
  plugins: [
    ...common.plugins,
    {
      name: 'hook-bin',
      setup(b) {
        // The bin only decides, and starts git: the full command line (the shared build's main.js) and
        // the fast path are imported at run time from beside it, so git starts before either loads.
        b.onResolve({ filter: /^\.\/(main|hook-fast-path|scan-main)\.js$/ }, (args) => ({ path: args.path, external: true }));
        // The API client is the shared build's too: without --verify it is never loaded, and the fast
        // path then loads none of its code or Node modules.
        b.onResolve({ filter: /^\.\.\/verify\/index\.js$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './verify.js', external: true } : undefined));
        // Commander does nothing when loaded: marked so, it is left out of the bin when nothing on the
        // fast path calls it (the command modules import it only to declare their flags).
        b.onResolve({ filter: /^commander$/ }, async (args) => {
          if (args.pluginData === 'resolved') return undefined; // the lookup below, done the usual way
          const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolved' });
          return { ...found, sideEffects: false };
        });
      },
    },
  ],
});
await build({
  ...common,
  entryPoints: {
    // The scan path (every call that runs `scan`): one file with all it runs, the API client included
    // (loaded only with --verify), so that a scan loads no chunk and one copy of each module.
    'scan-main': fileURLToPath(new URL('src/cli/scan-main.js', dist)),
  },
});
// The scan's worker thread: files/worker-start.js starts it from beside itself (new URL('./file-worker.cjs',
// import.meta.url)). A worker thread loads its modules anew: one file boots it faster than the chunks it
// would share, and a CommonJS file faster than an ES module (no ES module loader to set up in the new
// thread: a big file's second thread starts scanning sooner; the 200 MiB file 0.98x wall, 15 pairs).
await build({
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // (Its modules are ES modules: `import.meta.url` is this file's URL, `require` CommonJS's own.)
  define: { 'import.meta.url': '__mirraModuleUrl' },
  banner: { js: "'use strict';\nconst __mirraModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  entryPoints: { 'file-worker': fileURLToPath(new URL('src/sources/files/file-worker.js', dist)) },
});
// The same worker beside tsc's own output (dist/src/sources/files/), which the tests that import the
// built modules run: their worker-start.js looks for it beside itself, as the bundles' does.
fs.copyFileSync(new URL('cli/file-worker.cjs', dist), new URL('src/sources/files/file-worker.cjs', dist));
fs.chmodSync(new URL('cli/mirra-scan.js', dist), 0o755);

const cjsEntry = `'use strict';
// Generated by scripts/finish-build.js: the plugin for require() (eslintrc configs).
module.exports = require('./cli/plugin.js').default;
`;
fs.writeFileSync(new URL('index.cjs', dist), cjsEntry);

// The programmatic API for require(): its ES module namespace (named exports: scanPaths, detectKeys, ...).
const scannerCjs = `'use strict';
// Generated by scripts/finish-build.js: eslint-plugin-mirra/scanner for require().
module.exports = require('./cli/scanner.js');
`;
fs.writeFileSync(new URL('scanner.cjs', dist), scannerCjs);
