// The one config file, shared by the CLI and the ESLint rule. Found with cosmiconfig from the
// current folder up to the repository root (`mirra-scan.config.*`, `.mirrascanrc*`, or "mirraScan"
// in package.json), validated field by field: a bad file is a UsageError naming the file and field.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CosmiconfigResult, Loader, LoaderSync } from 'cosmiconfig';
import { maskKeyShaped } from '../detector/redact.js';
import { UsageError } from '../errors.js';
import { findRoot } from '../policy/repo-root.js';
import { validateConfig } from './validate.js';

export { validateConfig } from './validate.js';

export interface AllowedKey {
  /** SHA-256 (hex) of the exact key string: the key itself is never written in the config. */
  keySha256: string;
  /** Why this key-shaped string is not a leak (a documented test key, a revoked sample, …). */
  reason: string;
}

export interface VerifySettings {
  apiUrl?: string;
  timeoutMs?: number;
  concurrency?: number;
  cache?: boolean;
}

export interface MirraScanConfig {
  /** Gitignore-style patterns, relative to the repository root, that no scan looks at. */
  ignorePaths: string[];
  allowedKeys: AllowedKey[];
  /** The environment variable that hints and the rule's suggestions tell people to use. */
  envVar: string;
  verify: VerifySettings;
  /** Honour `mirra-scan:allow` comments; a security team sets false to see every key. */
  inlineAllow: boolean;
  /** The file the config came from (absolute), or null when none was found. */
  filepath: string | null;
}

export const DEFAULT_ENV_VAR = 'MIRRA_API_KEY';
export const PACKAGE_PROP = 'mirraScan';

/** Where a config is looked for in each folder, first match wins. */
export const CONFIG_SEARCH_PLACES = [
  'package.json',
  '.mirrascanrc',
  '.mirrascanrc.json',
  '.mirrascanrc.yaml',
  '.mirrascanrc.yml',
  '.mirrascanrc.js',
  '.mirrascanrc.cjs',
  '.mirrascanrc.mjs',
  'mirra-scan.config.js',
  'mirra-scan.config.cjs',
  'mirra-scan.config.mjs',
  'mirra-scan.config.json',
];

export function defaultConfig(): MirraScanConfig {
  return { ignorePaths: [], allowedKeys: [], envVar: DEFAULT_ENV_VAR, verify: {}, inlineAllow: true, filepath: null };
}

export interface LoadConfigOptions {
  cwd: string;
  /** `--config FILE`: this file and no search. */
  configPath?: string;
}

const MODULE = 'mirrascan';
const explorerOptions = { packageProp: PACKAGE_PROP, searchPlaces: CONFIG_SEARCH_PLACES, searchStrategy: 'none' as const, cache: true };

type Cosmiconfig = typeof import('cosmiconfig');
let asyncExplorer: ReturnType<Cosmiconfig['cosmiconfig']> | undefined;
let syncExplorer: ReturnType<Cosmiconfig['cosmiconfigSync']> | undefined;

/** cosmiconfig is loaded only when there is a config to read: most runs (and every hook) have none. */
const loadCosmiconfig = (): Cosmiconfig => createRequire(import.meta.url)('cosmiconfig') as Cosmiconfig;

/** Whether any folder holds a file cosmiconfig could take (a package.json only with a "mirraScan" key). */
function anyConfigIn(dirs: string[]): boolean {
  for (const dir of dirs) {
    for (const place of CONFIG_SEARCH_PLACES) {
      const file = path.join(dir, place);
      if (place !== 'package.json') {
        if (fs.existsSync(file)) return true;
        continue;
      }
      try {
        if (fs.readFileSync(file, 'utf8').includes(`"${PACKAGE_PROP}"`)) return true;
      } catch {
        // no package.json here
      }
    }
  }
  return false;
}

/** The config for a run: `configPath` if given, else the nearest one from `cwd` up to the repository root. */
export async function loadConfig(options: LoadConfigOptions): Promise<MirraScanConfig> {
  const dirs = options.configPath ? [] : searchDirs(options.cwd);
  if (!options.configPath && !anyConfigIn(dirs)) return defaultConfig();
  // Making the explorer already reads package.json in the current folder, so it can fail like a load.
  const explorer = (asyncExplorer ??= await attempt(options.cwd, options.cwd, async () => {
    const { cosmiconfig, defaultLoaders } = loadCosmiconfig();
    return cosmiconfig(MODULE, {
      ...explorerOptions,
      loaders: { ...defaultLoaders, noExt: defaultLoaders['.json'], '.js': importModule, '.cjs': importModule, '.mjs': importModule },
    });
  }));
  if (options.configPath) {
    const file = path.resolve(options.cwd, options.configPath);
    return toConfig(await attempt(file, options.cwd, () => explorer.load(file)), options.cwd);
  }
  for (const dir of dirs) {
    const found = await attempt(dir, options.cwd, () => explorer.search(dir));
    if (found) return toConfig(found, options.cwd);
  }
  return defaultConfig();
}

/**
 * The same config, read synchronously, for the ESLint rule (rules cannot await). ES module configs
 * (`.mjs`, or `.js` in a `"type": "module"` package) are read with `require`, which Node 20.19+ allows.
 */
export function loadConfigSync(cwd: string, configPath?: string): MirraScanConfig {
  // The rule asks once per linted file: answer repeat questions from memory (clearConfigCache forgets).
  const id = `${cwd}\0${configPath ?? ''}`;
  const known = syncResults.get(id);
  if (known) return known;
  const config = loadConfigSyncUncached(cwd, configPath);
  syncResults.set(id, config);
  return config;
}

const syncResults = new Map<string, MirraScanConfig>();

function loadConfigSyncUncached(cwd: string, configPath?: string): MirraScanConfig {
  const dirs = configPath ? [] : searchDirs(cwd);
  if (!configPath && !anyConfigIn(dirs)) return defaultConfig();
  const explorer = (syncExplorer ??= attemptSync(cwd, cwd, () => {
    const { cosmiconfigSync, defaultLoadersSync } = loadCosmiconfig();
    return cosmiconfigSync(MODULE, {
      ...explorerOptions,
      loaders: { ...defaultLoadersSync, noExt: defaultLoadersSync['.json'], '.js': requireModule, '.cjs': requireModule, '.mjs': requireModule },
    });
  }));
  if (configPath) {
    const file = path.resolve(cwd, configPath);
    return toConfig(attemptSync(file, cwd, () => explorer.load(file)), cwd);
  }
  for (const dir of dirs) {
    const found = attemptSync(dir, cwd, () => explorer.search(dir));
    if (found) return toConfig(found, cwd);
  }
  return defaultConfig();
}

/** Forgets cached configs (a long-lived process, e.g. an editor's ESLint server, after a config edit). */
export function clearConfigCache(): void {
  syncResults.clear();
  asyncExplorer?.clearCaches();
  syncExplorer?.clearCaches();
}

const requireFrom = createRequire(import.meta.url);

const requireModule: LoaderSync = (filepath) =>
  exportedConfig(filepath, () => {
    const resolved = requireFrom.resolve(filepath);
    delete requireFrom.cache[resolved];
    const mod = requireFrom(resolved) as { __esModule?: boolean; default?: unknown } | null;
    // An ES module comes back as its namespace (or a transpiled one marks itself): the config is its default export.
    const isNamespace = Object.prototype.toString.call(mod) === '[object Module]' || mod?.__esModule === true;
    return isNamespace && mod && 'default' in mod ? mod.default : mod;
  });

/** The async loader of JS configs: `import()` (a CommonJS file's default is its module.exports). */
const importModule: Loader = async (filepath) => {
  let mod: { default?: unknown };
  try {
    mod = (await import(`${pathToFileURL(filepath).href}?t=${Date.now()}`)) as { default?: unknown };
  } catch (e) {
    return exportedConfig(filepath, () => {
      throw e;
    });
  }
  return exportedConfig(filepath, () => mod.default);
};

/** A config module that cannot be used, in words: cosmiconfig names the file. */
class ConfigModuleProblem extends Error {}

/**
 * What a JS config exports, or a clear reason why there is none: a syntax error (with its line),
 * something thrown that is not an Error (a string, `{}`), `module.exports = null` (which cosmiconfig
 * would take for "no config here" and go on searching).
 */
function exportedConfig(filepath: string, load: () => unknown): unknown {
  let config: unknown;
  try {
    config = load();
  } catch (e) {
    if (e instanceof SyntaxError) throw new ConfigModuleProblem(`syntax error${syntaxErrorLine(filepath)}: ${e.message}`);
    if (e instanceof Error) throw e;
    throw new ConfigModuleProblem(`it threw ${describeThrown(e)}, not an Error`);
  }
  if (config === null || config === undefined) {
    throw new ConfigModuleProblem(`it exports ${config === null ? 'null' : 'nothing'}: export an object (for example { ignorePaths: [] })`);
  }
  return config;
}

/** ` at line N` for a JS file Node cannot parse (asked of `node --check`, on this error path only). */
function syntaxErrorLine(filepath: string): string {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const check = spawnSync(process.execPath, ['--check', filepath], { encoding: 'utf8', timeout: 10_000 });
  const line = /:(\d+)\s*$/m.exec(check.stderr?.split('\n')[0] ?? '');
  return line ? ` at line ${line[1]}` : '';
}

function describeThrown(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value)}`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** From `cwd` up to the repository root (only `cwd` outside a repository). */
function searchDirs(cwd: string): string[] {
  const start = path.resolve(cwd);
  const root = findRoot(start);
  const dirs = [start];
  for (let dir = start; dir !== root && path.dirname(dir) !== dir; ) {
    dir = path.dirname(dir);
    dirs.push(dir);
  }
  return dirs;
}

/** A path as the user would write it: relative to the current folder when inside it. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

async function attempt<T>(where: string, cwd: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    throw loadError(e, where, cwd);
  }
}

function attemptSync<T>(where: string, cwd: string, load: () => T): T {
  try {
    return load();
  } catch (e) {
    throw loadError(e, where, cwd);
  }
}

function loadError(e: unknown, where: string, cwd: string): UsageError {
  const err = e as NodeJS.ErrnoException & { filepath?: string };
  // cosmiconfig's parse errors start "JSON Error in /abs/file:" or "YAML Error in /abs/file:".
  // The rest of their message quotes the file's lines, which may hold a key: keep only the reason.
  const named = /^(JSON|YAML) Error in (.+?): ?\n([\s\S]*)$/.exec(err.message ?? '');
  if (named) {
    const reason = named[3].split('\n').find((l) => l.trim() && !/^\s*(>?\s*\d+\s*\||\|)/.test(l)) ?? 'parse error';
    // JSON.parse quotes the text it was reading ("while parsing '…'"): that text may be part of a key.
    const said = reason.trim().replace(/ while parsing .*$/, '');
    return new UsageError(`config ${displayPath(named[2], cwd)}: not valid ${named[1]}: ${maskKeyShaped(said)}`);
  }
  if (err.code === 'ENOENT') return new UsageError(`config ${displayPath(err.path ?? where, cwd)}: no such file`);
  if (err.code === 'EACCES' || err.code === 'EPERM') return new UsageError(`config ${displayPath(err.path ?? where, cwd)}: permission denied`);
  const first = (err.message ?? String(e)).split('\n').find((l) => l.trim()) ?? 'cannot be loaded';
  return new UsageError(`config ${displayPath(err.filepath ?? where, cwd)}: cannot be loaded: ${maskKeyShaped(first.trim())}`);
}

function toConfig(found: CosmiconfigResult, cwd: string): MirraScanConfig {
  if (!found) return defaultConfig();
  const shown = displayPath(found.filepath, cwd);
  const raw: unknown = found.isEmpty ? {} : found.config;
  const fieldPrefix = path.basename(found.filepath) === 'package.json' ? PACKAGE_PROP : '';
  try {
    return { ...validateConfig(raw, shown, fieldPrefix), filepath: found.filepath };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // A getter that throws, a Proxy: reading the exported object failed.
    throw new UsageError(`config ${shown}: reading it failed: ${e instanceof Error ? e.message : describeThrown(e)}`);
  }
}
