// `--format sarif`: SARIF 2.1.0 for GitHub code scanning. Fingerprints come from keySha256, so an
// alert follows its key across line moves; no plaintext key unless `--reveal`.

import type { Log, Result, ReportingDescriptor } from 'sarif';
import { FINDINGS_KEPT_PER_CONTENT, secretOf, type Finding, type ScanResult } from '../finding.js';
import { TOOL, docsUrl } from '../version.js';
import type { ReportOptions } from './options.js';
import { describeOrigin } from './origin.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const HELP_URI = docsUrl('README.md', 'what-to-do-about-a-finding');

export const MIRRA_KEY_RULE: ReportingDescriptor = {
  id: 'mirra-api-key',
  name: 'MirraApiKey',
  shortDescription: { text: 'Mirra API key in code or history' },
  fullDescription: {
    text: 'A Mirra API key (mirra_, mirra_script_, mirra_install_ or mirra_test_ followed by hex) was found. Anyone who can read it can act as its owner.',
  },
  helpUri: HELP_URI,
  help: {
    text: 'Revoke the key where it was issued (store.getmirra.app/developer/api-keys, or the Mirra app under Settings → Developer; a script key by publishing a new version of the script), make a new one, and load it from the MIRRA_API_KEY environment variable instead of writing it in code. If it was committed, remove it from history too. A false positive can be allowed with a `mirra-scan:allow` comment on its line or by its keySha256 in the config.',
    markdown:
      '**Revoke** the key where it was issued ([API keys](https://store.getmirra.app/developer/api-keys), or the Mirra app under *Settings → Developer*; a script key by publishing a new version of the script), make a new one, and load it from `MIRRA_API_KEY` instead of writing it in code. If it was committed, remove it from history too.\n\nA false positive can be allowed with a `mirra-scan:allow` comment on its line, or by its `keySha256` in the config.',
  },
  defaultConfiguration: { level: 'error' },
  properties: { tags: ['security', 'secret', 'external/cwe/cwe-798'], precision: 'high', 'security-severity': '9.0' },
};

const uriOf = (file: string) => file.split('/').map(encodeURIComponent).join('/');

function toResult(f: Finding, options: ReportOptions): Result {
  const keyText = options.reveal ? secretOf(f) : f.redacted;
  return {
    ruleId: MIRRA_KEY_RULE.id,
    ruleIndex: 0,
    level: 'error',
    message: { text: `Mirra ${f.keyType} key ${keyText} (${f.encoding})${originNote(f)}. ${f.hint}`.trim() },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uriOf(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
    partialFingerprints: { 'mirraKeySha256/v1': f.keySha256 },
    properties: {
      keyType: f.keyType,
      encoding: f.encoding,
      source: f.source,
      origin: f.origin,
      commit: f.commit,
      ...(f.mergedCommit !== undefined ? { mergedCommit: f.mergedCommit } : {}),
      ...(f.tag !== undefined ? { tag: f.tag } : {}),
      redacted: f.redacted,
      keySha256: f.keySha256,
      verification: { ...f.verification },
      hint: f.hint,
    },
  };
}

function originNote(f: Finding): string {
  const origin = describeOrigin(f);
  return origin ? `, ${origin}` : '';
}

export function buildSarif(result: ScanResult, options: ReportOptions): Log {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL.name, version: TOOL.version, informationUri: HELP_URI, rules: [MIRRA_KEY_RULE] } },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root' } } },
        results: result.findings.map((f) => toResult(f, options)),
        invocations: [
          {
            executionSuccessful: !result.incomplete,
            toolExecutionNotifications: [
              ...result.errors.map((e) => ({
                level: 'warning' as const,
                message: { text: `${e.file}: ${e.message}` },
                locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(e.file), uriBaseId: '%SRCROOT%' } } }],
              })),
              ...(result.unlisted ?? []).map((u) => ({
                level: 'error' as const,
                message: { text: `${u.file}: ${u.count} more Mirra keys found and not listed (only the first ${FINDINGS_KEPT_PER_CONTENT} of a file are kept)` },
                locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(u.file), uriBaseId: '%SRCROOT%' } } }],
              })),
            ],
          },
        ],
      },
    ],
  };
}

export function renderSarif(result: ScanResult, options: ReportOptions): string {
  return JSON.stringify(buildSarif(result, options), null, 2) + '\n';
}
