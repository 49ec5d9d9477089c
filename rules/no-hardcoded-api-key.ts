// `mirra/no-hardcoded-api-key`: a Mirra API key written into the code, found while it is typed.
// Every key is found by the one detector; this rule only decides which text to hand it (each
// literal, comment and JSX text as the engine reads it, and the strings the code composes from
// pieces) and where to report what the detector returns.

import path from 'node:path';
import type { Rule } from 'eslint';
import type { TSESTree } from '@typescript-eslint/types';
import { detectKeys, hasKeyTrace, InlineAllow, hasSplitStemTrace, keySha256, maskSecrets, MIN_KEY_LENGTH, redactKey, scanContent, type KeyMatch } from '../src/detector/index.js';
import type { Encoding, KeyType } from '../src/finding.js';
import { buildHint } from '../src/hints/index.js';
import { loadConfigSync, type MirraScanConfig } from '../src/config/index.js';
import { policyFor, type Policy } from '../src/policy/index.js';
import { enclosingComposition, isComposition, isStringRawTag, isWrapper, StringComposer, unwrap, type Composed, type ScopeLike } from './util/compose.js';
import { createRule } from './util/create-rule.js';
import { withMarkup, type Listeners } from './util/markup.js';
import { checkOptions, OPTIONS_SCHEMA, type RuleOptions } from './util/options.js';
import {
  cook,
  normalizeLineBreaks,
  templateTextOf,
  templateTextOfStringBody,
  verbatim,
  wholeSpan,
  type MappedText,
} from './util/js-text.js';

type Node = TSESTree.Node;

export const RULE_NAME = 'no-hardcoded-api-key';

export type { RuleOptions } from './util/options.js';

/** A word that may be an identifier in JS or TS source. */
const IDENTIFIER = /[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/gu;

/** Whether an initializer can be a string the composer reads: a literal, a template, a composition, an array to join or another `const`. */
function mayBeString(init: Node): boolean {
  const n = unwrap(init);
  return (n.type === 'Literal' && typeof n.value === 'string') || n.type === 'TemplateLiteral' || n.type === 'Identifier' || n.type === 'ArrayExpression' || isComposition(n);
}

/** Any character some ESLint language ends a line with (CSS counts a form feed too). */
const LINE_BREAK = /[\r\n\f\u2028\u2029]/;

/** Lookups of a place in a non-JavaScript file (counted, so an attack can show they stay one per line). */
export const WHOLE_TEXT_WORK = { locLookups: 0 };

export type MessageId = 'hardcodedKey' | 'composedKey' | 'useEnvVar' | 'badConfig' | 'badOptions';

// No default envVar here: without the option, the shared config's `envVar` (itself MIRRA_API_KEY by default) applies.
const DEFAULT_OPTIONS: RuleOptions = { reportTestKeys: true, allowedKeySha256: [] };

const KEY_KIND: Record<KeyType, string> = { script: 'script key', install: 'install key', test: 'test key', untyped: 'key' };

const ENCODING_NOTE: Partial<Record<Encoding, string>> = {
  base64: ' (base64-encoded)',
  url: ' (URL-encoded)',
  escape: ' (written with escape sequences)',
  utf16: ' (UTF-16)',
  'html-entity': ' (written with character references)',
  'quoted-printable': ' (quoted-printable)',
  uppercase: ' (in upper case)',
  concatenation: ' (written in pieces)',
};

/** A replacement the user may apply: the source range and the text that takes its place. */
interface Replacement {
  range: readonly [number, number];
  text: string;
}

/** Where a piece of text sits, and how the code around a key in it could read the key from the environment instead. */
interface TextSite {
  mapped: MappedText;
  /** For a key at `[start, end)` of `mapped.text`, the suggested replacement; null for none. */
  suggest(start: number, end: number): Replacement | null;
}

const noSuggestion = (): null => null;

/**
 * Is `node` used as a value that `process.env.X` could stand in for? Not in a type, an import
 * source, a property name, an enum (whose members must be constant) or a directive.
 */
function isValuePosition(node: Node): boolean {
  let child: Node = node;
  let p = node.parent;
  while (p && isWrapper(p)) {
    child = p;
    p = p.parent;
  }
  if (!p) return true;
  switch (p.type) {
    case 'TSLiteralType':
    case 'TSEnumMember':
    case 'TSModuleDeclaration':
    case 'TSExternalModuleReference':
    case 'ImportDeclaration':
    case 'ExportAllDeclaration':
    case 'ExportNamedDeclaration':
    case 'ImportExpression':
    case 'ImportAttribute':
    case 'ImportSpecifier':
    case 'ExportSpecifier':
      return false;
    case 'ExpressionStatement':
      return !p.directive;
    case 'Property':
    case 'PropertyDefinition':
    case 'MethodDefinition':
    case 'AccessorProperty':
    case 'TSAbstractPropertyDefinition':
    case 'TSAbstractMethodDefinition':
    case 'TSAbstractAccessorProperty':
    case 'TSPropertySignature':
    case 'TSMethodSignature':
      return p.key !== child || p.computed;
    default:
      return true;
  }
}

// One policy per config (and rule options) and folder: it reads each ignore file once, when a linted
// file first needs it. A new config object (after clearConfigCache) gets new policies.
const policies = new WeakMap<MirraScanConfig, Map<string, Policy>>();

/** The CLI's policy for this file's folder: `ignorePaths`, `.mirrascanignore` files, allowed keys, inline allow. */
function policyForFile(config: MirraScanConfig, dir: string, allowedKeySha256: string[]): Policy {
  let byDir = policies.get(config);
  if (!byDir) policies.set(config, (byDir = new Map()));
  const id = `${dir}\0${allowedKeySha256.join(',')}`;
  let policy = byDir.get(id);
  if (!policy) byDir.set(id, (policy = policyFor(config, { cwd: dir, allowedKeySha256 })));
  return policy;
}

/** The file's path from the policy's root with `/`, or null for one outside it (or not on disk). */
function relativeToRoot(policy: Policy, file: string): string | null {
  if (!path.isAbsolute(file)) return null;
  const rel = path.relative(policy.root, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? null : rel.split(path.sep).join('/');
}

export default createRule<[RuleOptions], MessageId>({
  name: RULE_NAME,
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow Mirra API keys in source code, including keys the code assembles from string pieces',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      hardcodedKey: 'Mirra {{keyKind}} {{redacted}}{{encodingNote}}. {{hint}}',
      composedKey: 'Mirra {{keyKind}} {{redacted}}, assembled from string pieces in this expression. {{hint}}',
      useEnvVar: 'Read the key from process.env.{{envVar}} instead.',
      badConfig: 'The mirra-scan config could not be read: {{reason}}',
      badOptions: 'Bad options for mirra/no-hardcoded-api-key: {{problem}}',
    },
    // Checked in create(): ESLint's schema errors print the refused value, which may be a key.
    schema: OPTIONS_SCHEMA as unknown as NonNullable<Rule.RuleModule['meta']>['schema'],
  },
  defaultOptions: [DEFAULT_OPTIONS],
  create(context) {
    const checked = checkOptions(context.options);
    for (const problem of checked.problems) context.report({ loc: { line: 1, column: 0 }, messageId: 'badOptions', data: { problem } });
    const options: RuleOptions = { ...DEFAULT_OPTIONS, ...checked.options };
    const sourceCode = context.sourceCode;
    const source = sourceCode.text;
    // The one look at the whole file: without a trace of a key (its stem, plain or encoded, or a stem
    // split between two literals), no node is visited at all.
    if (!hasKeyTrace(source) && !hasSplitStemTrace(source)) return {};

    // The same config file as the CLI's (mirra-scan.config.*, .mirrascanrc*, "mirraScan" in package.json).
    let config: MirraScanConfig;
    try {
      config = loadConfigSync(path.dirname(context.physicalFilename ?? context.filename));
    } catch (e) {
      context.report({ loc: { line: 1, column: 0 }, messageId: 'badConfig', data: { reason: maskSecrets(e instanceof Error ? e.message : String(e)) } });
      return {};
    }
    const file = context.physicalFilename ?? context.filename;
    const policy = policyForFile(config, path.dirname(file), options.allowedKeySha256 ?? []);
    const rel = relativeToRoot(policy, file);
    // `.gitignore` plays no part here: ESLint decides which files it lints.
    if (rel !== null && policy.isPathIgnored(rel)) return {};

    const envVar = options.envVar ?? config.envVar;
    const envRead = `process.env.${envVar}`;
    const reportTestKeys = options.reportTestKeys ?? true;
    const reported = new Set<string>();
    const hints = new Map<KeyType, string>();
    const composer = new StringComposer((node) => sourceCode.getScope(node as never) as unknown as ScopeLike);

    // A composition is only evaluated if its own source holds a trace of a key, or if it names a
    // `const` whose initializer does: most of a file's string-building never needs a look.
    const spansTrace = (node: Node): boolean => {
      const text = source.slice(node.range[0], node.range[1]);
      return hasKeyTrace(text) || hasSplitStemTrace(text);
    };
    const compositionRoots: Node[] = [];
    const constDeclarators: Array<{ name: string; init: Node }> = [];

    const isWanted = (m: KeyMatch): boolean =>
      (reportTestKeys || m.keyType !== 'test') && !policy.isKeyAllowed(keySha256(m.key));

    const hintFor = (keyType: KeyType): string => {
      let hint = hints.get(keyType);
      if (hint === undefined) {
        hint = buildHint(
          { keyType, place: 'working-tree', source: 'file', origin: 'file', verification: { status: 'unchecked' }, file: context.filename, commit: null },
          { envVar, short: true },
        );
        hints.set(keyType, hint);
      }
      return hint;
    };

    // Not JavaScript (@eslint/json, @eslint/markdown, @eslint/css, or any other ESLint language): no
    // literal or comment nodes to visit, so the file's whole text goes to the detector, as the CLI
    // reads a file, with the CLI's reading of the inline allow marker (on the key's line).
    if (sourceCode.ast.type !== 'Program') {
      return { [sourceCode.ast.type]: () => scanWholeText() } as unknown as Rule.RuleListener;
    }
    function scanWholeText(): void {
      // The language's own coordinates (JSON, Markdown and CSS count columns from 1), which is what
      // ESLint expects back in `loc`. Its getLocFromIndex searches the rest of the text on each call
      // on the last line, so a key is placed from the previous one when no line break lies between
      // them: a minified line of thousands of keys costs one lookup, not one pass per key.
      let last: { at: number; line: number; column: number } | null = null;
      const locOf = (at: number): { line: number; column: number } => {
        if (last && at >= last.at && !LINE_BREAK.test(source.slice(last.at, at))) {
          last = { at, line: last.line, column: last.column + (at - last.at) };
        } else {
          WHOLE_TEXT_WORK.locLookups++;
          last = { at, ...sourceCode.getLocFromIndex(at) };
        }
        return { line: last.line, column: last.column };
      };
      for (const k of scanContent(source, { skipInlineAllowed: policy.inlineAllow })) {
        if (!isWanted(k)) continue;
        const start = locOf(k.start);
        const end = locOf(k.end);
        context.report({
          loc: { start, end },
          messageId: 'hardcodedKey',
          data: { keyKind: KEY_KIND[k.keyType], redacted: k.redacted, encodingNote: ENCODING_NOTE[k.encoding] ?? '', hint: hintFor(k.keyType) },
        });
      }
    }

    function report(
      m: KeyMatch,
      range: readonly [number, number],
      messageId: 'hardcodedKey' | 'composedKey',
      encoding: Encoding,
      replacement: Replacement | null,
    ): void {
      const id = `${range[0]}:${range[1]}:${m.key}`;
      if (reported.has(id)) return;
      reported.add(id);
      // The CLI's inline allow marker, decided by the detector's one reading of it (its line is the
      // line where the key ends), so one comment gives the same answer in both tools.
      if (policy.allowsInline((inlineAllow ??= new InlineAllow(source)).allows(range[0], range[1]))) return;
      const start = sourceCode.getLocFromIndex(range[0]);
      if (messageId === 'composedKey') composedStarts.add(range[0]);
      // Sent once every composition is known (`Program:exit`): a whole key in the first of several
      // pieces is a prefix of the key the pieces make, and only that key is reported, as the CLI does.
      pending.push({ start: range[0], messageId, send: () => context.report({
        loc: { start, end: sourceCode.getLocFromIndex(range[1]) },
        messageId,
        data: {
          keyKind: KEY_KIND[m.keyType],
          redacted: redactKey(m.key),
          encodingNote: ENCODING_NOTE[encoding] ?? '',
          hint: hintFor(m.keyType),
        },
        suggest: replacement
          ? [{ messageId: 'useEnvVar', data: { envVar }, fix: (fixer) => fixer.replaceTextRange([replacement.range[0], replacement.range[1]], replacement.text) }]
          : [],
      }) });
    }
    let inlineAllow: InlineAllow | undefined;
    const pending: Array<{ start: number; messageId: MessageId; send: () => void }> = [];
    const composedStarts = new Set<number>();

    /** Keys inside one piece of text, reported where each one is spelled; `value` is the text as the engine reads it. */
    function scanText(value: string, siteOf: () => TextSite): void {
      // Too short to hold a whole key, or no trace of one: nothing to map.
      if (value.length < MIN_KEY_LENGTH || !hasKeyTrace(value)) return;
      const site = siteOf();
      const { mapped } = site;
      for (const m of detectKeys(mapped.text)) {
        if (!isWanted(m)) continue;
        const range = [mapped.starts[m.start], mapped.ends[m.end - 1]] as const;
        const spelledAsIs = source.slice(range[0], range[1]) === m.key;
        const encoding: Encoding = m.encoding === 'plain' && !spelledAsIs ? 'escape' : m.encoding;
        // Only a key that is the value as written can be swapped for the variable; an encoded one cannot.
        report(m, range, 'hardcodedKey', encoding, m.encoding === 'plain' ? site.suggest(m.start, m.end) : null);
      }
    }

    /** Evaluates the compositions that could hold a key, once every `const` of the file is known. */
    function scanCompositions(): void {
      let carriers: Set<string> | null = null;
      for (const root of compositionRoots) {
        if (spansTrace(root)) scanComposition(root);
        else if (namesAny(root, (carriers ??= traceCarriers()))) scanComposition(root);
      }
    }

    /** The `const`s whose value could carry a trace: the initializer holds one, or names such a `const`. */
    function traceCarriers(): Set<string> {
      const carriers = new Set<string>();
      let pending = constDeclarators;
      for (let grew = true; grew && pending.length > 0; ) {
        grew = false;
        const rest: typeof pending = [];
        for (const d of pending) {
          // Only a value that can be a string carries a trace into a composition (`require('mirra-sdk')` does not).
          if (!mayBeString(d.init)) continue;
          if (spansTrace(d.init) || namesAny(d.init, carriers)) {
            carriers.add(d.name);
            grew = true;
          } else rest.push(d);
        }
        pending = rest;
      }
      return carriers;
    }

    /**
     * Does the source of `node` hold one of `names` as a word? (A cheap over-approximation of "refers
     * to": one pass over the node's source, however many names there are.)
     */
    function namesAny(node: Node, names: ReadonlySet<string>): boolean {
      if (names.size === 0) return false;
      const text = source.slice(node.range[0], node.range[1]);
      for (const word of text.matchAll(IDENTIFIER)) if (names.has(word[0])) return true;
      return false;
    }

    /** Keys that only exist once the pieces of a composition are put together, reported at the composition. */
    function scanComposition(root: Node): void {
      const composed = composer.compose(root);
      if (!composed || composed.text.length < MIN_KEY_LENGTH || !hasKeyTrace(composed.text)) return;
      for (const m of detectKeys(composed.text)) {
        if (!isWanted(m)) continue;
        const spanned = partsSpanned(composed, m);
        // Inside one piece: that literal reports it where it is spelled.
        if (spanned.length <= 1) continue;
        // Inside one `const` it was read through: that binding's own initializer reports it.
        const via = composed.parts[spanned[0]].via;
        if (via && spanned.every((i) => composed.parts[i].via === via)) continue;
        report(m, keySpan(root, composed, spanned, m) ?? root.range, 'composedKey', 'concatenation', m.encoding === 'plain' ? compositionReplacement(root, composed, m) : null);
      }
    }

    /**
     * Where a composed key is written: from its first character in the first piece to its last in the
     * last piece, as the CLI reports it; null when an end lies in a piece read through a name.
     */
    function keySpan(root: Node, composed: Composed, spanned: number[], m: KeyMatch): [number, number] | null {
      const first = spanned[0];
      const last = spanned[spanned.length - 1];
      const [a, b] = [composed.parts[first], composed.parts[last]];
      if (!a.node || !b.node || a.via || b.via) return null;
      const start = siteOfPiece(a.node).mapped.starts[m.start - composed.partStarts[first]];
      const end = siteOfPiece(b.node).mapped.ends[m.end - 1 - composed.partStarts[last]];
      // Pieces of a `const` array joined here are written elsewhere: the expression is the place.
      if (start === undefined || end === undefined || start < root.range[0] || end > root.range[1]) return null;
      return [start, end];
    }

    const siteOfPiece = (node: TSESTree.StringLiteral | TSESTree.TemplateElement): TextSite =>
      node.type === 'Literal' ? stringLiteralSite(node) : templateElementSite(node);

    function partsSpanned(composed: Composed, m: KeyMatch): number[] {
      const out: number[] = [];
      composed.parts.forEach((p, i) => {
        const from = composed.partStarts[i];
        const to = from + p.text.length;
        if (to > from && from < m.end && to > m.start) out.push(i);
      });
      return out;
    }

    function compositionReplacement(root: Node, composed: Composed, m: KeyMatch): Replacement | null {
      if (composed.hasHole || !isValuePosition(root)) return null;
      if (m.start === 0 && m.end === composed.text.length) return { range: root.range, text: envRead };
      // Text around the key: one template literal with the same value, unless constants would be inlined.
      if (composed.hasReference) return null;
      const before = templateTextOf(composed.text.slice(0, m.start));
      const after = templateTextOf(composed.text.slice(m.end));
      return { range: root.range, text: `\`${before}\${${envRead}}${after}\`` };
    }

    function stringLiteralSite(node: TSESTree.StringLiteral): TextSite {
      const [from, to] = node.range;
      if (node.parent?.type === 'JSXAttribute') {
        // JSX attribute strings have no escapes; entities (`&amp;`) are decoded by the parser.
        const mapped = verbatim(source, from + 1, to - 1);
        const plain = mapped.text === node.value;
        return {
          mapped,
          suggest(start, end) {
            if (start === 0 && end === mapped.text.length) return { range: node.range, text: `{${envRead}}` };
            if (!plain) return null;
            const before = templateTextOf(mapped.text.slice(0, start));
            const after = templateTextOf(mapped.text.slice(end));
            return { range: node.range, text: `{\`${before}\${${envRead}}${after}\`}` };
          },
        };
      }
      const cooked = cook(source, from + 1, to - 1, 'string');
      const exact = cooked !== null && cooked.text === node.value;
      const mapped = exact ? cooked : wholeSpan(node.value, from, to);
      if (!isValuePosition(node)) return { mapped, suggest: noSuggestion };
      return {
        mapped,
        suggest(start, end) {
          if (start === 0 && end === mapped.text.length) return { range: node.range, text: envRead };
          if (!exact) return null;
          // A key inside a longer string: the string becomes a template with the variable in the key's place.
          const before = templateTextOfStringBody(source.slice(from + 1, mapped.starts[start]));
          const after = templateTextOfStringBody(source.slice(mapped.ends[end - 1], to - 1));
          if (before === null || after === null) return null;
          return { range: node.range, text: `\`${before}\${${envRead}}${after}\`` };
        },
      };
    }

    /** The source span of a template element's text, whichever way the parser set its range. */
    function templateTextSpan(q: TSESTree.TemplateElement): [number, number] {
      const [a, b] = q.range;
      if (normalizeLineBreaks(source.slice(a, b)) === q.value.raw) return [a, b];
      return [a + 1, b - (q.tail ? 1 : 2)]; // without the `` ` `` / `}` before and the `${` / `` ` `` after
    }

    /** The tag of the template `q` belongs to, if it is tagged. */
    function tagOf(q: TSESTree.TemplateElement): TSESTree.TaggedTemplateExpression | null {
      const template = q.parent;
      return template?.parent?.type === 'TaggedTemplateExpression' && template.parent.quasi === template ? template.parent : null;
    }

    /** Is the template text read as written (String.raw, or a tagged template with an invalid escape)? */
    function readsRaw(q: TSESTree.TemplateElement): boolean {
      const tagged = tagOf(q);
      return q.value.cooked === null || (tagged !== null && isStringRawTag(tagged.tag));
    }

    function templateElementSite(q: TSESTree.TemplateElement): TextSite {
      const [from, to] = templateTextSpan(q);
      const template = q.parent;
      const tagged = tagOf(q);
      const rawValue = tagged !== null && isStringRawTag(tagged.tag);
      let mapped: MappedText;
      let exact = true;
      if (readsRaw(q)) {
        mapped = verbatim(source, from, to);
      } else {
        const cooked = cook(source, from, to, 'template');
        exact = cooked !== null && cooked.text === q.value.cooked;
        mapped = exact && cooked ? cooked : wholeSpan(q.value.cooked ?? q.value.raw, from, to);
      }
      // A type (`type T = \`…\``), or a tag other than String.raw, which would see the parts differently.
      if (template?.type !== 'TemplateLiteral' || (tagged && !rawValue) || !isValuePosition(tagged ?? template)) {
        return { mapped, suggest: noSuggestion };
      }
      return {
        mapped,
        suggest(start, end) {
          if (template.quasis.length === 1 && start === 0 && end === mapped.text.length) {
            return { range: (tagged ?? template).range, text: envRead };
          }
          if (!exact) return null;
          return { range: [mapped.starts[start], mapped.ends[end - 1]], text: `\${${envRead}}` };
        },
      };
    }

    const listeners = {
      Program(): void {
        for (const comment of sourceCode.getAllComments()) {
          const [from, to] = comment.range as [number, number];
          const close = comment.type === 'Block' ? 2 : 0;
          scanText(comment.value, () => ({ mapped: verbatim(source, from + 2, to - close), suggest: noSuggestion }));
        }
      },
      Literal(node: TSESTree.Literal): void {
        if (typeof node.value === 'string') {
          scanText(node.value, () => stringLiteralSite(node as TSESTree.StringLiteral));
        } else if ('regex' in node && node.regex) {
          const [from] = node.range;
          const pattern = node.regex.pattern;
          scanText(pattern, () => ({ mapped: verbatim(source, from + 1, from + 1 + pattern.length), suggest: noSuggestion }));
        }
      },
      TemplateElement(node: TSESTree.TemplateElement): void {
        scanText(readsRaw(node) ? node.value.raw : (node.value.cooked as string), () => templateElementSite(node));
      },
      JSXText(node: TSESTree.JSXText): void {
        const [from, to] = node.range;
        scanText(node.raw, () => {
          const mapped = verbatim(source, from, to);
          return { mapped, suggest: (start: number, end: number) => ({ range: [mapped.starts[start], mapped.ends[end - 1]] as const, text: `{${envRead}}` }) };
        });
      },
      VariableDeclarator(node: TSESTree.VariableDeclarator): void {
        if (node.init && node.id.type === 'Identifier' && node.parent?.type === 'VariableDeclaration' && node.parent.kind === 'const') {
          constDeclarators.push({ name: node.id.name, init: node.init });
        }
      },
      'BinaryExpression, TemplateLiteral, TaggedTemplateExpression, CallExpression'(node: Node): void {
        if (isComposition(node) && enclosingComposition(node) === null) compositionRoots.push(unwrap(node));
      },
      'Program:exit'(): void {
        scanCompositions();
        for (const p of pending) if (p.messageId === 'composedKey' || !composedStarts.has(p.start)) p.send();
      },
    };
    // Vue templates and Svelte markup (./util/markup.ts): attribute values, text and HTML comments.
    const withoutSuggestion = (site: TextSite): TextSite => ({ mapped: site.mapped, suggest: noSuggestion });
    return withMarkup(sourceCode, listeners as unknown as Listeners, {
      span: (from, to) => scanText(source.slice(from, to), () => ({ mapped: verbatim(source, from, to), suggest: noSuggestion })),
      literal: (node) => scanText(node.value as string, () => withoutSuggestion(stringLiteralSite(node as TSESTree.StringLiteral))),
      templateElement: (node) => scanText(readsRaw(node) ? node.value.raw : (node.value.cooked as string), () => withoutSuggestion(templateElementSite(node))),
    });
  },
});
