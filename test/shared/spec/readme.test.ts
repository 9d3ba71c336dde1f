import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { referenceRows } from '../../../src/shared/spec/reference.js';

describe('README "Integrations as code"', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const schema = JSON.parse(readFileSync(new URL('../../../schemas/integration-spec.json', import.meta.url), 'utf8')) as Parameters<typeof referenceRows>[0];

  it('holds the spec reference exactly as generated from the committed schema', () => {
    const section = readme.slice(readme.indexOf('## Integrations as code'));
    const table = section.slice(section.indexOf('| Key | Type | Meaning |'));
    const lines = table.split('\n').slice(2);
    const rows = lines.slice(0, lines.findIndex((l) => !l.startsWith('|')));
    expect(rows).to.deep.equal(referenceRows(schema));
  });

  it('lists the spec drift rule with the other audit rules', () => {
    expect(readme).to.match(/\| IU014 \| spec-drift \|/);
  });
});
