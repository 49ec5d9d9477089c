// Static evaluation of the ways code builds a string: `+`, template literals, `[…].join(sep)`,
// `'…'.concat(…)`, `String.raw`, and `const` bindings that feed them. What cannot be known
// statically becomes a hole, which no key can span. Nothing here runs the code.

import type { TSESTree } from '@typescript-eslint/types';
import { MAX_ENCODED_KEY_LENGTH } from '../../src/detector/index.js';

type Node = TSESTree.Node;

/** One run of the composed text and where it came from. */
export interface Part {
  text: string;
  /** Stands for a value that is not known statically. */
  hole: boolean;
  /**
   * The outermost `const` reference this run was read through, if any. A key that lies entirely
   * inside one reference is reported where that binding is defined, not at every use.
   */
  via: TSESTree.Identifier | null;
  /** The literal or template text this run was read from, where it is one (for the key's place in the source). */
  node?: TSESTree.StringLiteral | TSESTree.TemplateElement;
}

export interface Composed {
  text: string;
  parts: Part[];
  /** `partStarts[i]`: offset of parts[i] in `text`. */
  partStarts: number[];
  hasHole: boolean;
  /** Some part was read through a `const` reference. */
  hasReference: boolean;
}

/** The character a hole is written as: not a word, hex or base64 character, so no key runs across it. */
export const HOLE = '\u0001';

/** What the composer needs to know about scopes: the innermost one around a node. */
export interface ScopeLike {
  set: Map<string, VariableLike>;
  upper: ScopeLike | null;
}
export interface VariableLike {
  defs: ReadonlyArray<{ type: string; node: unknown; parent?: unknown }>;
}

const MAX_DEPTH = 40;

/**
 * How much of each end of a `const`'s value a composition that reads it keeps. A key that runs
 * across the edge of the value lies within its ends (a key, encoded, is at most
 * MAX_ENCODED_KEY_LENGTH long; the rest is room for what the filters look at around it); a key wholly
 * inside the value is the binding's own to report. So a chain of thousands of `const`s, or one that
 * doubles at every step, composes texts no longer than a key and its surroundings.
 */
export const BINDING_END_KEPT = MAX_ENCODED_KEY_LENGTH + 1024;

/** Counts of the composer's work, for tests that show it stays bounded on hostile code. */
export const COMPOSE_WORK = { longestComposed: 0, partsMade: 0 };

const TS_WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion']);

type Wrapper = TSESTree.TSAsExpression | TSESTree.TSSatisfiesExpression | TSESTree.TSNonNullExpression | TSESTree.TSTypeAssertion;

/** A type-only wrapper around an expression (`x as T`, `x satisfies T`, `x!`, `<T>x`). */
export const isWrapper = (n: Node): n is Wrapper => TS_WRAPPERS.has(n.type);

/** `node` without the type-only wrappers around it (`x as string`, `x!`, `<string>x`). */
export function unwrap(node: Node): Node {
  let n = node;
  while (isWrapper(n)) n = n.expression;
  return n;
}

function propertyName(member: TSESTree.MemberExpression): string | null {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  if (member.computed && member.property.type === 'Literal' && typeof member.property.value === 'string') return member.property.value;
  return null;
}

/** `String.raw` as a tag. */
export function isStringRawTag(tag: Node): boolean {
  const t = unwrap(tag);
  return (
    t.type === 'MemberExpression' &&
    t.object.type === 'Identifier' &&
    t.object.name === 'String' &&
    propertyName(t) === 'raw'
  );
}

/** `<callee>.join(…)` or `<callee>.concat(…)`: which of the two, if either. */
export function stringMethodOf(call: TSESTree.CallExpression): 'join' | 'concat' | null {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression') return null;
  const name = propertyName(callee);
  return name === 'join' || name === 'concat' ? name : null;
}

/** Is `node` a template literal whose parts are combined into one string (untagged, or tagged with String.raw)? */
export function isComposedTemplate(node: TSESTree.TemplateLiteral): boolean {
  const p = node.parent;
  return p?.type !== 'TaggedTemplateExpression' || p.quasi !== node || isStringRawTag(p.tag);
}

/**
 * Is `node` an expression that combines string pieces (and so a place a composed key is reported)?
 * Plain literals and templates without substitutions are single pieces, not compositions.
 */
export function isComposition(node: Node): boolean {
  switch (node.type) {
    case 'BinaryExpression':
      return node.operator === '+';
    case 'TemplateLiteral':
      return node.expressions.length > 0 && isComposedTemplate(node);
    case 'TaggedTemplateExpression':
      return isStringRawTag(node.tag);
    case 'CallExpression': {
      const method = stringMethodOf(node);
      if (method === 'concat') return true;
      if (method === 'join') {
        const object = unwrap((unwrap(node.callee) as TSESTree.MemberExpression).object);
        return object.type === 'ArrayExpression' || object.type === 'Identifier';
      }
      return false;
    }
    default:
      return false;
  }
}

/**
 * The composition that evaluates `node` as one of its pieces, or null when `node` stands on its
 * own. A composition that has one is not evaluated by itself: the outermost one is.
 */
export function enclosingComposition(node: Node): Node | null {
  let child: Node = node;
  let p = node.parent;
  while (p && isWrapper(p)) {
    child = p;
    p = p.parent;
  }
  if (!p) return null;
  switch (p.type) {
    case 'BinaryExpression':
      return p.operator === '+' ? p : null;
    case 'TemplateLiteral':
      return p.expressions.includes(child as TSESTree.Expression) && isComposedTemplate(p) ? p : null;
    case 'TaggedTemplateExpression':
      return p.quasi === child && isStringRawTag(p.tag) ? p : null;
    case 'CallExpression':
      // An argument: of `.concat(…)`, or the separator of `[…].join(sep)`.
      if (!p.arguments.includes(child as TSESTree.CallExpressionArgument)) return null;
      if (stringMethodOf(p) === 'concat') return p;
      if (stringMethodOf(p) === 'join' && unwrap((unwrap(p.callee) as TSESTree.MemberExpression).object).type === 'ArrayExpression') return p;
      return null;
    case 'MemberExpression': {
      // The receiver of `'…'.concat(…)`.
      const call = p.parent;
      if (p.object === child && call?.type === 'CallExpression' && unwrap(call.callee) === p && stringMethodOf(call) === 'concat') return call;
      return null;
    }
    case 'ArrayExpression': {
      // An element of `[…].join(sep)`.
      let member: Node = p;
      while (member.parent && isWrapper(member.parent)) member = member.parent;
      const m = member.parent;
      const call = m?.parent;
      if (m?.type === 'MemberExpression' && m.object === member && call?.type === 'CallExpression' && unwrap(call.callee) === m && stringMethodOf(call) === 'join') {
        return call;
      }
      return null;
    }
    default:
      return null;
  }
}

const hole = (): Part => ({ text: HOLE, hole: true, via: null });

/**
 * A `const`'s value as a composition reading it through `via` sees it: its runs joined into one (a
 * key inside one reference is the binding's to report, so where its runs meet does not matter), and,
 * past 2 x BINDING_END_KEPT characters, only its two ends with a hole between them.
 */
function endsOf(parts: readonly Part[], via: TSESTree.Identifier): Part[] {
  const out: Part[] = [];
  let run = '';
  const flush = () => {
    if (run !== '') out.push({ text: run, hole: false, via });
    run = '';
  };
  for (const p of parts) {
    if (p.hole) {
      flush();
      out.push({ text: HOLE, hole: true, via });
    } else run += p.text;
  }
  flush();
  let length = 0;
  for (const p of out) length += p.text.length;
  if (length <= 2 * BINDING_END_KEPT) return out;
  const head = takeChars(out, BINDING_END_KEPT, false);
  const tail = takeChars(out, BINDING_END_KEPT, true);
  return [...head, { text: HOLE, hole: true, via }, ...tail];
}

/** The first (or last) `n` characters of `parts`, as parts. */
function takeChars(parts: readonly Part[], n: number, fromEnd: boolean): Part[] {
  const out: Part[] = [];
  let left = n;
  for (let i = 0; i < parts.length && left > 0; i++) {
    const p = parts[fromEnd ? parts.length - 1 - i : i];
    const text = p.text.length <= left ? p.text : fromEnd ? p.text.slice(p.text.length - left) : p.text.slice(0, left);
    left -= text.length;
    out.push({ ...p, text });
  }
  return fromEnd ? out.reverse() : out;
}

/** Evaluates string-building expressions into parts; one per rule run, so bindings are read once. */
export class StringComposer {
  private readonly bindingCache = new Map<TSESTree.Expression, Part[] | null>();
  private readonly inProgress = new Set<TSESTree.Expression>();

  constructor(private readonly scopeOf: (node: Node) => ScopeLike) {}

  /** The string `node` evaluates to, as parts; null when it is not statically a string at all. */
  compose(node: Node): Composed | null {
    const parts = this.evaluate(node, 0);
    if (!parts) return null;
    const partStarts: number[] = [];
    let text = '';
    let hasHole = false;
    let hasReference = false;
    for (const p of parts) {
      partStarts.push(text.length);
      text += p.text;
      hasHole ||= p.hole;
      hasReference ||= p.via !== null;
    }
    COMPOSE_WORK.longestComposed = Math.max(COMPOSE_WORK.longestComposed, text.length);
    COMPOSE_WORK.partsMade += parts.length;
    return { text, parts, partStarts, hasHole, hasReference };
  }

  private evaluate(node: Node, depth: number): Part[] | null {
    if (depth > MAX_DEPTH) return null;
    const d = depth + 1;
    const orHole = (n: Node | null): Part[] => (n ? this.evaluate(n, d) : null) ?? [hole()];
    switch (node.type) {
      case 'Literal':
        return typeof node.value === 'string' ? [{ text: node.value, hole: false, via: null, node: node as TSESTree.StringLiteral }] : null;
      case 'TemplateLiteral': {
        if (!isComposedTemplate(node)) return null;
        const raw = node.parent?.type === 'TaggedTemplateExpression';
        const parts: Part[] = [];
        for (let i = 0; i < node.quasis.length; i++) {
          const q = node.quasis[i];
          const text = raw ? q.value.raw : q.value.cooked;
          if (text === null) return null;
          parts.push({ text, hole: false, via: null, node: q });
          if (i < node.expressions.length) parts.push(...orHole(node.expressions[i]));
        }
        return parts;
      }
      case 'TaggedTemplateExpression':
        return isStringRawTag(node.tag) ? this.evaluate(node.quasi, d) : null;
      case 'BinaryExpression': {
        if (node.operator !== '+') return null;
        const left = this.evaluate(node.left, d);
        const right = this.evaluate(node.right, d);
        if (!left && !right) return null;
        return [...(left ?? [hole()]), ...(right ?? [hole()])];
      }
      case 'CallExpression':
        return this.evaluateCall(node, d);
      case 'Identifier':
        return this.evaluateReference(node, d);
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
        return this.evaluate(node.expression, d);
      default:
        return null;
    }
  }

  private evaluateCall(call: TSESTree.CallExpression, depth: number): Part[] | null {
    const method = stringMethodOf(call);
    if (!method) return null;
    const receiver = unwrap((unwrap(call.callee) as TSESTree.MemberExpression).object);
    const args = call.arguments;
    if (method === 'concat') {
      const head = this.evaluate(receiver, depth) ?? [hole()];
      const parts = [...head];
      for (const a of args) parts.push(...((a.type === 'SpreadElement' ? null : this.evaluate(a, depth)) ?? [hole()]));
      return parts;
    }
    // join: the array must be written out here or bound by `const` to an array written out.
    const array = receiver.type === 'ArrayExpression' ? receiver : this.constArray(receiver);
    if (!array) return null;
    let separator: Part[] = [{ text: ',', hole: false, via: null }];
    if (args.length > 0) {
      const sepNode = args[0];
      separator = (sepNode.type === 'SpreadElement' ? null : this.evaluate(sepNode, depth)) ?? [hole()];
    }
    const parts: Part[] = [];
    array.elements.forEach((el, i) => {
      if (i > 0) parts.push(...separator);
      if (el === null) return; // an array hole joins as ''
      if (el.type === 'SpreadElement') parts.push(hole());
      else if ((el.type === 'Literal' && el.value === null) || (el.type === 'Identifier' && el.name === 'undefined')) return;
      else parts.push(...(this.evaluate(el, depth) ?? [hole()]));
    });
    return parts;
  }

  private constArray(node: Node): TSESTree.ArrayExpression | null {
    if (node.type !== 'Identifier') return null;
    const init = this.constInit(node);
    const value = init && unwrap(init);
    return value?.type === 'ArrayExpression' ? value : null;
  }

  private evaluateReference(id: TSESTree.Identifier, depth: number): Part[] | null {
    const init = this.constInit(id);
    if (!init || this.inProgress.has(init)) return null;
    let parts = this.bindingCache.get(init);
    if (parts === undefined) {
      this.inProgress.add(init);
      try {
        parts = this.evaluate(init, depth);
      } finally {
        this.inProgress.delete(init);
      }
      this.bindingCache.set(init, parts);
    }
    return parts && endsOf(parts, id);
  }

  /** The initializer of the `const` binding `id` refers to, if it is one. */
  private constInit(id: TSESTree.Identifier): TSESTree.Expression | null {
    for (let scope: ScopeLike | null = this.scopeOf(id); scope; scope = scope.upper) {
      const variable = scope.set.get(id.name);
      if (!variable) continue;
      if (variable.defs.length !== 1) return null;
      const def = variable.defs[0];
      const declarator = def.node as TSESTree.Node;
      const declaration = def.parent as TSESTree.Node | undefined;
      if (
        def.type === 'Variable' &&
        declarator.type === 'VariableDeclarator' &&
        declarator.id.type === 'Identifier' &&
        declaration?.type === 'VariableDeclaration' &&
        declaration.kind === 'const' &&
        declarator.init
      ) {
        return declarator.init;
      }
      return null;
    }
    return null;
  }
}
