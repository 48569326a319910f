import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_VARS } from '../../src/config/run-config';
import { defaultRules } from '../../src/detectors';

/** Docs that drift from the code mislead operators: every setting and rule must be documented. */
const read = (file: string): string => readFileSync(join(__dirname, '../..', file), 'utf8');

describe('documentation', () => {
  it('README lists every environment variable with its default', () => {
    const readme = read('README.md');
    for (const [name, { default: value }] of Object.entries(ENV_VARS)) {
      const shown = value === '' ? '' : `\`${value.replace(/\./g, '\\.')}\` `;
      expect(readme).toMatch(new RegExp(`\\| \`${name}\` \\| ${shown}\\|`));
    }
  });

  it('docs/rules.md has a row for every rule', () => {
    const rules = read('docs/rules.md');
    for (const name of Object.keys(defaultRules())) expect(rules).toContain(`| \`${name}\` |`);
  });
});
