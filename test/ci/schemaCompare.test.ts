import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { expect } from 'chai';
import { generateSchemas, ROOT, type GeneratedSchema } from '../../scripts/schemas.js';
import { compareSchemas, describeSchemaDifferences } from '../../scripts/schemaCompare.js';

type Schema = { definitions: Record<string, { properties: Record<string, unknown>; required?: string[] }> };

describe('schema compare (committed schemas/*.json against the result types)', function () {
  this.timeout(60_000);
  let generated: GeneratedSchema[];

  before(() => {
    generated = generateSchemas();
  });

  it('every committed schema has no difference from its generated one', () => {
    const reports = generated
      .map(({ schemaFile, schema }) => {
        const committed = JSON.parse(readFileSync(schemaFile, 'utf8')) as unknown;
        return describeSchemaDifferences(relative(ROOT, schemaFile), compareSchemas(committed, schema));
      })
      .filter(Boolean);
    expect(reports.join('\n'), reports.join('\n')).to.equal('');
  });

  describe('the comparator (on a modified copy of the list schema)', () => {
    let list: Schema;
    before(() => {
      list = generated.find((g) => g.schemaFile.endsWith('integration-user-list.json'))!.schema as Schema;
    });

    it('a removed result field is reported as removed, at its path', () => {
      const modified = structuredClone(list);
      delete modified.definitions.IntegrationUserListItem.properties.username;
      const differences = compareSchemas(list, modified);
      expect(differences).to.deep.include({ kind: 'removed', path: '/definitions/IntegrationUserListItem/properties/username' });
      expect(describeSchemaDifferences('schemas/integration-user-list.json', differences)).to.include(
        'removed (breaks --json consumers): /definitions/IntegrationUserListItem/properties/username'
      );
    });

    it('a field that becomes optional is a removal from `required`', () => {
      const modified = structuredClone(list);
      const item = modified.definitions.IntegrationUserListItem;
      expect(item.required).to.include('username');
      item.required = item.required!.filter((r) => r !== 'username');
      expect(compareSchemas(list, modified)).to.deep.equal([
        { kind: 'removed', path: '/definitions/IntegrationUserListItem/required["username"]' },
      ]);
    });

    it('an added field or a changed type is reported too; the same schema reports nothing', () => {
      const modified = structuredClone(list);
      modified.definitions.IntegrationUserListItem.properties.extra = { type: 'string' };
      (modified.definitions.IntegrationUserListItem.properties.username as { type: string }).type = 'number';
      expect(compareSchemas(list, modified)).to.deep.equal([
        { kind: 'changed', path: '/definitions/IntegrationUserListItem/properties/username/type' },
        { kind: 'added', path: '/definitions/IntegrationUserListItem/properties/extra' },
      ]);
      expect(compareSchemas(list, structuredClone(list))).to.deep.equal([]);
    });
  });
});
