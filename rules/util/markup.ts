// The markup of Vue single-file components (vue-eslint-parser) and Svelte components
// (svelte-eslint-parser): attribute values, text and HTML comments, which the rule's JavaScript
// listeners never see. Each piece of markup is handed to the rule's scanner as the source text it is
// (the detector itself reads character references such as `&#109;`); each is a leaf, so every
// character of the file is looked at once, however deep the elements nest.
//
// - Vue: the `<template>` is visited through the parser's own `defineTemplateBodyVisitor` (its
//   expressions' string literals are read as in a script), its HTML comments from the template's
//   comment list, and every other block of the file (`<style>`, `<i18n>`, a `<template lang="pug">`
//   the parser leaves unread) as its text.
// - Svelte: the markup nodes are in the main AST (SvelteLiteral, SvelteText, SvelteHTMLComment);
//   string literals in markup expressions are read by the rule's own listeners.
// A string in markup gets no suggestion: `process.env` is not in a template's scope.

import type { Rule, SourceCode } from 'eslint';
import type { TSESTree } from '@typescript-eslint/types';

type Listener = (node: never) => void;
export type Listeners = Record<string, Listener>;

/** What the rule scans markup with. */
export interface MarkupScanners {
  /** Keys in the source text `[from, to)` as written. */
  span(from: number, to: number): void;
  /** A string literal in a template expression, read as in a script, without a suggestion. */
  literal(node: TSESTree.Literal): void;
  /** A template literal's text in a template expression, without a suggestion. */
  templateElement(node: TSESTree.TemplateElement): void;
}

/** Characters of markup handed to the scanner (counted, so an attack can show each is looked at once). */
export const MARKUP_WORK = { spans: 0, chars: 0, fallbacks: 0 };

interface Ranged {
  type: string;
  range: [number, number];
}

interface VueElement extends Ranged {
  name?: string;
  children?: Ranged[];
}

interface VueServices {
  defineTemplateBodyVisitor(templateVisitor: Listeners, scriptVisitor?: Listeners, options?: { templateBodyTriggerSelector?: string }): Listeners;
  getDocumentFragment?(): { children: VueElement[]; comments: Ranged[] } | null;
}

/** The rule's listeners, with those the file's markup needs; unchanged for a file without markup. */
export function withMarkup(sourceCode: SourceCode, listeners: Listeners, scanners: MarkupScanners): Rule.RuleListener {
  const scan: MarkupScanners = {
    span(from, to) {
      MARKUP_WORK.spans++;
      MARKUP_WORK.chars += to - from;
      scanners.span(from, to);
    },
    literal: scanners.literal,
    templateElement: scanners.templateElement,
  };
  const services = (sourceCode as { parserServices?: Record<string, unknown> }).parserServices ?? {};
  if (typeof services.defineTemplateBodyVisitor === 'function') return vueListeners(sourceCode, services as unknown as VueServices, listeners, scan);
  if (services.isSvelte === true) return svelteListeners(listeners, scan) as Rule.RuleListener;
  return listeners as Rule.RuleListener;
}

const spanOf = (scan: MarkupScanners) => (node: Ranged): void => scan.span(node.range[0], node.range[1]);

function vueListeners(sourceCode: SourceCode, services: VueServices, listeners: Listeners, scan: MarkupScanners): Rule.RuleListener {
  const ast = sourceCode.ast as unknown as { templateBody?: (Ranged & { comments: Ranged[] }) | null };
  const templateBody = ast.templateBody ?? null;
  const document = services.getDocumentFragment?.() ?? null;
  const scriptProgram = listeners.Program;
  const script: Listeners = {
    ...listeners,
    Program(node: never): void {
      scriptProgram?.(node);
      // The file's HTML comments, those outside `<template>` too (the document's list when no template was parsed).
      for (const comment of templateBody?.comments ?? document?.comments ?? []) scan.span(comment.range[0], comment.range[1]);
      // Every block besides the scripts and the parsed template: `<style>`, custom blocks, a template in another language.
      for (const block of document?.children ?? []) {
        if (block.type === 'VElement' && block.name === 'script') continue;
        if (templateBody && block.range[0] === templateBody.range[0] && block.range[1] === templateBody.range[1]) continue;
        scan.span(block.range[0], block.range[1]);
      }
    },
  };
  const span = spanOf(scan);
  const template: Listeners = {
    VLiteral: span,
    VText: span,
    // A directive value the parser could not read as an expression is still text someone wrote.
    VExpressionContainer(node: Ranged & { expression: unknown }): void {
      if (node.expression === null) span(node);
    },
    Literal(node: TSESTree.Literal): void {
      if (typeof node.value === 'string') scan.literal(node);
    },
    TemplateElement: (node: TSESTree.TemplateElement) => scan.templateElement(node),
  } as Listeners;
  // The template is walked when the script's Program is entered, so that its keys are reported with
  // the script's at Program:exit (the parser's default walks it after Program:exit).
  const visitor = services.defineTemplateBodyVisitor(template, script, { templateBodyTriggerSelector: 'Program' });
  const walk = visitor.Program;
  return {
    ...visitor,
    Program(node: never): void {
      try {
        walk(node);
      } catch (e) {
        // The parser walks the template recursively: elements nested some thousands deep run it out
        // of stack. The template is then read as text, so that no key in it is lost (a key reported
        // before the walk stopped is not reported twice: the rule reports each place once).
        if (!(e instanceof RangeError) || !templateBody) throw e;
        MARKUP_WORK.fallbacks++;
        scan.span(templateBody.range[0], templateBody.range[1]);
      }
    },
  } as Rule.RuleListener;
}

function svelteListeners(listeners: Listeners, scan: MarkupScanners): Listeners {
  const span = spanOf(scan);
  let inScript = 0;
  const literal = listeners.Literal;
  const templateElement = listeners.TemplateElement;
  return {
    ...listeners,
    SvelteScriptElement: () => void inScript++,
    'SvelteScriptElement:exit': () => void inScript--,
    SvelteLiteral: span,
    SvelteText: span,
    SvelteHTMLComment: span,
    Literal(node: TSESTree.Literal): void {
      if (inScript > 0) literal?.(node as never);
      else if (typeof node.value === 'string') scan.literal(node);
      else literal?.(node as never);
    },
    TemplateElement(node: TSESTree.TemplateElement): void {
      if (inScript > 0) templateElement?.(node as never);
      else scan.templateElement(node);
    },
  } as Listeners;
}
