import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { commandFiles, generateSchemas, INPUT_SCHEMAS, ROOT, schemaFileFor, type GeneratedSchema } from '../scripts/schemas.js';

describe('committed JSON schemas (npm run schemas)', function () {
  this.timeout(60_000);
  let generated: GeneratedSchema[];

  before(() => {
    generated = generateSchemas();
  });

  it('maps command files to schema files by command id', () => {
    expect(schemaFileFor(join(ROOT, 'src', 'commands', 'integration', 'user', 'generate', 'app.ts'))).to.equal(
      join(ROOT, 'schemas', 'integration-user-generate-app.json')
    );
  });

  it('has one generated schema per command', () => {
    expect(generated.map((g) => g.commandFile)).to.deep.equal(commandFiles());
    expect(generated.length).to.be.greaterThan(0);
  });

  it('commits a schema for every command, equal to the one generated from its result type', () => {
    for (const { commandFile, schemaFile, typeName, schema } of generated) {
      const where = `${relative(ROOT, commandFile)} (${typeName}) → ${relative(ROOT, schemaFile)}`;
      expect(existsSync(schemaFile), `no committed schema for ${where}: run npm run schemas`).to.be.true;
      const committed = JSON.parse(readFileSync(schemaFile, 'utf8')) as unknown;
      expect(committed, `${where} is out of date: run npm run schemas`).to.deep.equal(schema);
    }
  });

  it('commits no schema without a command', () => {
    const expected = new Set(generated.map((g) => g.schemaFile));
    const orphans = readdirSync(join(ROOT, 'schemas'))
      .filter((name) => name.endsWith('.json') && !INPUT_SCHEMAS.includes(name))
      .map((name) => join(ROOT, 'schemas', name))
      .filter((file) => !expected.has(file));
    expect(orphans.map((f) => relative(ROOT, f))).to.deep.equal([]);
  });

  it('types the list result for pipelines: names as string arrays, booleans, nullable ISO dates', () => {
    const list = generated.find((g) => g.schemaFile.endsWith('integration-user-list.json'));
    const item = (list?.schema as { definitions: Record<string, { properties: Record<string, unknown> }> }).definitions
      .IntegrationUserListItem.properties;
    expect(item.permissionSets).to.deep.equal({
      type: 'array',
      items: { type: 'string' },
      description: "Directly assigned permission set API names (not the profile's own set, not a group's).",
    });
    expect(item.active).to.deep.equal({ type: 'boolean' });
    expect((item.lastLogin as { type: unknown }).type).to.deep.equal(['string', 'null']);
  });
});
