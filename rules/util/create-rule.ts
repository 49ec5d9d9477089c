// Every rule of the plugin is made here: the docs URL comes from the rule's name, and the user's
// options are merged over the rule's defaults (ESLint 8 does not do that itself).

import type { Rule } from 'eslint';
import { docsUrl } from '../../src/version.js';

export const ruleDocsUrl = (ruleName: string): string => docsUrl(`docs/rules/${ruleName}.md`);

type RuleMeta = NonNullable<Rule.RuleModule['meta']>;

export interface RuleSpec<Options extends readonly object[], MessageId extends string> {
  name: string;
  meta: Omit<RuleMeta, 'docs' | 'messages' | 'defaultOptions'> & {
    docs: { description: string; recommended: boolean };
    messages: Record<MessageId, string>;
  };
  defaultOptions: Options;
  create(context: Rule.RuleContext, options: Options): Rule.RuleListener;
}

export interface NamedRule extends Rule.RuleModule {
  name: string;
}

export function createRule<Options extends readonly object[], MessageId extends string>(
  spec: RuleSpec<Options, MessageId>,
): NamedRule {
  return {
    name: spec.name,
    meta: {
      ...spec.meta,
      docs: { ...spec.meta.docs, url: ruleDocsUrl(spec.name) },
      defaultOptions: [...spec.defaultOptions],
    },
    create(context) {
      const options = spec.defaultOptions.map((defaults, i) => ({ ...defaults, ...(context.options[i] as object | undefined) })) as unknown as Options;
      return spec.create(context, options);
    },
  };
}
