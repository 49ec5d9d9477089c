// Every rule has its doc page: the page's description is the rule's `meta.docs.description`, the
// rule's `meta.docs.url` points at the page as the released version has it (its tag, not `main`), and the page says when not to use the rule.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { ruleDocsUrl } from '../../rules/util/create-rule.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const docsDir = path.join(root, 'docs/rules');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { homepage: string; version: string };

/** The `description:` of a page's front matter, unquoted. */
function frontMatterDescription(page: string): string | undefined {
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(page)?.[1];
  const line = fm?.split('\n').find((l) => l.startsWith('description:'));
  return line?.slice('description:'.length).trim().replace(/^'(.*)'$/, '$1').replace(/''/g, "'");
}

const rules = Object.entries(plugin.rules);

describe('rule docs', () => {
  it('has at least one rule', () => {
    expect(rules.length).toBeGreaterThan(0);
  });

  for (const [name, rule] of rules) {
    describe(name, () => {
      const file = path.join(docsDir, `${name}.md`);
      const page = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';

      it('has a doc page', () => {
        expect(fs.existsSync(file), `${file} is missing`).toBe(true);
      });

      it("has the rule's description in its front matter and its summary", () => {
        const description = rule.meta?.docs?.description;
        expect(description).toBeTruthy();
        expect(frontMatterDescription(page)).toBe(description);
        expect(page).toContain(`\n> ${description}.\n`);
      });

      it('is where meta.docs.url points, at the tag of this version', () => {
        expect(rule.meta?.docs?.url).toBe(ruleDocsUrl(name));
        expect(rule.meta?.docs?.url).toMatch(new RegExp(`/docs/rules/${name}\\.md$`));
        expect(rule.meta?.docs?.url).toBe(`${pkg.homepage}/blob/v${pkg.version}/docs/rules/${name}.md`);
      });

      it('has a "When Not To Use It" section', () => {
        expect(page).toMatch(/^## When Not To Use It$/m);
      });

      it('documents every option', () => {
        // The schema may be ESLint's array form or a full JSON schema whose `items` list the options.
        const schema = rule.meta?.schema as { items?: Array<{ properties?: Record<string, unknown> }> } | Array<{ properties?: Record<string, unknown> }> | undefined;
        const first = Array.isArray(schema) ? schema[0] : schema?.items?.[0];
        expect(Object.keys(first?.properties ?? {}).length).toBeGreaterThan(0);
        for (const option of Object.keys(first?.properties ?? {})) {
          expect(page, `option ${option}`).toMatch(new RegExp(`^### \`${option}\`$`, 'm'));
        }
      });
    });
  }
});

describe('docs/eslint.md', () => {
  it('shows both config systems', () => {
    const page = fs.readFileSync(path.join(root, 'docs/eslint.md'), 'utf8');
    expect(page).toContain('mirra.configs.recommended');
    expect(page).toContain('plugin:mirra/legacy-recommended');
    for (const [name] of rules) expect(page).toContain(`rules/${name}.md`);
  });
});
