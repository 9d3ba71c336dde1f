import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { Ajv } from 'ajv';
import { checkSpec, loadSpec, parseSpec } from '../../../src/shared/spec/load.js';
import { resolveSpec } from '../../../src/shared/spec/overlay.js';
import { DEFAULT_FIELDS, ENVIRONMENT_KEYS, GRANT_KEYS, INTEGRATION_KEYS, TOP_KEYS, USER_FIELDS } from '../../../src/shared/spec/types.js';

const YAML_SPEC = `version: 1
defaults:
  email: it-integrations@acme.example.com
integrations:
  - name: Billing Sync
    username: billing.sync@acme.example.com
    email: billing-owner@acme.example.com
    owner: jane.doe@acme.example.com
    permissionSetLicenses: [SalesforceCPQ_CPQStandardPerm]
    permissionSets:
      - Billing_Sync_Access
      - name: Integration_Reader
        reason: reads invoices for the ERP
        expires: 2027-06-30
    permissionSetGroups: [Integration_Bundle]
  - name: Old Feed
    state: absent
environments:
  uat:
    targetOrg: acme-uat
    usernameSuffix: .uat
    integrations:
      Billing Sync: { email: qa@acme.example.com }
`;

const JSON_SPEC = JSON.stringify(
  {
    version: 1,
    defaults: { email: 'it-integrations@acme.example.com' },
    integrations: [
      {
        name: 'Billing Sync',
        username: 'billing.sync@acme.example.com',
        email: 'billing-owner@acme.example.com',
        owner: 'jane.doe@acme.example.com',
        permissionSetLicenses: ['SalesforceCPQ_CPQStandardPerm'],
        permissionSets: ['Billing_Sync_Access', { name: 'Integration_Reader', reason: 'reads invoices for the ERP', expires: '2027-06-30' }],
        permissionSetGroups: ['Integration_Bundle'],
      },
      { name: 'Old Feed', state: 'absent' },
    ],
    environments: { uat: { targetOrg: 'acme-uat', usernameSuffix: '.uat', integrations: { 'Billing Sync': { email: 'qa@acme.example.com' } } } },
  },
  null,
  2
);

/** The problems of a spec as `line:key: message` strings. */
function problems(text: string): string[] {
  return checkSpec(text, 'integrations.yaml').problems.map((p) => `${p.line}:${p.key}: ${p.message}`);
}

/** Without lines: what YAML and JSON must agree on. */
const withoutLines = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === 'line' || k === 'column' || k === 'file' ? undefined : v)));

describe('spec: load and validate', () => {
  it('reads the documented YAML example, with the line of each integration and grant', () => {
    const spec = parseSpec(YAML_SPEC, 'integrations.yaml');
    expect(spec.integrations.map((i) => [i.name, i.line, i.state ?? 'present'])).to.deep.equal([
      ['Billing Sync', 5, 'present'],
      ['Old Feed', 16, 'absent'],
    ]);
    const billing = spec.integrations[0];
    expect(billing.fields).to.deep.equal({ email: 'billing-owner@acme.example.com' });
    expect((billing.permissionSets ?? []).map(({ name, line, reason, expires }) => ({ name, line, ...(reason ? { reason } : {}), ...(expires ? { expires } : {}) }))).to.deep.equal([
      { name: 'Billing_Sync_Access', line: 11 },
      { name: 'Integration_Reader', reason: 'reads invoices for the ERP', expires: '2027-06-30', line: 12 },
    ]);
    expect((billing.permissionSetGroups ?? []).map((g) => [g.name, g.line])).to.deep.equal([['Integration_Bundle', 15]]);
    expect(spec.environments[0]).to.deep.include({ name: 'uat', targetOrg: 'acme-uat', usernameSuffix: '.uat' });
  });

  it('reads the same spec from JSON and YAML', () => {
    expect(withoutLines(parseSpec(JSON_SPEC, 'integrations.json'))).to.deep.equal(withoutLines(parseSpec(YAML_SPEC, 'integrations.yaml')));
  });

  it('loads a file, and names it in every error', async () => {
    const dir = await tempDir('spec-');
    const file = join(dir, 'integrations.yaml');
    await writeFile(file, 'version: 2\nintegrations: []\n');
    const error = await loadSpec(file).then(
      () => undefined,
      (e: Error) => e
    );
    expect(error?.message).to.include(`${file}:1:10: version: expected version: 1, got 2.`);
    const missing = await loadSpec(join(dir, 'nope.yaml')).then(
      () => undefined,
      (e: Error) => e
    );
    expect(missing?.message).to.include('Cannot read the integrations spec');
  });

  it('reports every problem at once, each with its line, column and key', () => {
    const text = `version: 1
integrations:
  - name: Billing Sync
    colour: blue
    permissionSets: Billing_Sync_Access
  - name: billing sync
  - username: nameless@acme.example.com
  - name: Feed
    state: gone
    permissionSets:
      - name: Integration_Reader
        expires: 2027-02-30
      - name: Billing_Sync_Access
        expires: next week
      - Billing_Sync_Access
`;
    const err = (() => {
      try {
        parseSpec(text, 'integrations.yaml');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).to.include('integrations.yaml is not a valid integrations spec: 8 problems.');
    expect(problems(text)).to.deep.equal([
      '4:integrations[0].colour: unknown key "colour"; expected one of: name, username, owner, state, apiIntegrationPsl, email, firstName, lastName, alias, title, department, companyName, timeZoneSidKey, localeSidKey, languageLocaleKey, emailEncodingKey, permissionSetLicenses, permissionSets, permissionSetGroups.',
      '5:integrations[0].permissionSets: expected a list of names or {name, reason, expires}, got "Billing_Sync_Access".',
      '6:integrations[1].name: the integration name "billing sync" is used twice (first at line 3); names must be unique.',
      '7:integrations[2]: missing the required key "name" (the integration name, e.g. name: Billing Sync).',
      '9:integrations[3].state: expected present, inactive or absent, got gone.',
      '12:integrations[3].permissionSets[0].expires: expected a date YYYY-MM-DD (for example 2027-06-30), got 2027-02-30.',
      '14:integrations[3].permissionSets[1].expires: expected a date YYYY-MM-DD (for example 2027-06-30), got next week.',
      '15:integrations[3].permissionSets[2]: "Billing_Sync_Access" is listed twice (first at line 13).',
    ]);
  });

  it('reports wrong types, a listed-twice grant and the column of the value', () => {
    expect(
      problems(`version: 1
integrations:
  - name: 42
    email: [a, b]
    permissionSetGroups: [Integration_Bundle, integration_bundle]
    permissionSetLicenses: {a: 1}
`)
    ).to.deep.equal([
      '3:integrations[0].name: expected a non-empty string, got number 42.',
      '4:integrations[0].email: expected a non-empty string, got a list.',
      '5:integrations[0].permissionSetGroups[1]: "integration_bundle" is listed twice (first at line 5).',
      '6:integrations[0].permissionSetLicenses: expected a list of names, got a map.',
    ]);
    const [first] = checkSpec('version: 1\nintegrations:\n  - name: 42\n', 'x.yaml').problems;
    expect([first.line, first.column]).to.deep.equal([3, 11]);
  });

  it('refuses a secret-like key anywhere, and a record Id', () => {
    expect(
      problems(`version: 1
integrations:
  - name: Billing Sync
    password: hunter2
    username: 005000000000001AAA
environments:
  uat:
    consumerSecret: abc
    integrations:
      Billing Sync: { token: abc }
`)
    ).to.deep.equal([
      '4:integrations[0].password: "password" looks like a secret: a spec never holds a password, secret, token or key (it is committed to source control); keep it in your secret store instead.',
      '5:integrations[0].username: "005000000000001AAA" looks like a record Id: a spec names users, sets, groups and licenses by their names, never by Id (Ids differ between orgs).',
      '8:environments.uat.consumerSecret: "consumerSecret" looks like a secret: a spec never holds a password, secret, token or key (it is committed to source control); keep it in your secret store instead.',
      '10:environments.uat.integrations.Billing Sync.token: "token" looks like a secret: a spec never holds a password, secret, token or key (it is committed to source control); keep it in your secret store instead.',
    ]);
    for (const key of ['clientSecret', 'accessToken', 'refresh_token', 'privateKey', 'apiKey', 'Password', 'consumerKey']) {
      expect(problems(`version: 1\nintegrations: []\ndefaults: { ${key}: x }\n`), key).to.have.length(1);
    }
  });

  it('requires version 1 and integrations, refuses unknown top-level keys and environment keys', () => {
    expect(problems('defaults: {}\nextra: 1\n')).to.deep.equal([
      '1:version: missing the required key "version" (version: 1).',
      '1:integrations: missing the required key "integrations" (a list of integrations, each with a name).',
      '2:extra: unknown key "extra"; expected one of: version, defaults, integrations, environments.',
    ]);
    expect(
      problems(`version: 1
integrations: [{name: A}]
environments:
  uat:
    org: x
    usernameSuffix: "@uat"
    integrations:
      B: {email: b@x.com}
      A: {name: renamed}
`)
    ).to.deep.equal([
      '5:environments.uat.org: unknown key "org"; expected one of: targetOrg, usernameSuffix, integrations.',
      '6:environments.uat.usernameSuffix: "@uat" is not a username suffix: use letters, digits, dots, dashes and underscores only, for example .uat.',
      '8:environments.uat.integrations.B: the environment "uat" overrides "B", which is not an integration of the spec.',
      '9:environments.uat.integrations.A.name: unknown key "name"; expected one of: username, owner, state, apiIntegrationPsl, email, firstName, lastName, alias, title, department, companyName, timeZoneSidKey, localeSidKey, languageLocaleKey, emailEncodingKey, permissionSetLicenses, permissionSets, permissionSetGroups.',
    ]);
  });

  it('reports YAML and JSON syntax errors and duplicate keys with their line', () => {
    expect(problems('version: 1\nintegrations:\n  - name: A\n  - name: B\n    name: C\n')[0]).to.match(/^5:: Map keys must be unique/);
    const json = checkSpec('{\n  "version": 1,\n  "integrations": [\n    {"name": "A",}\n  ]\n', 'integrations.json').problems;
    expect(json.length).to.be.greaterThan(0);
    expect(json[0].line).to.be.within(4, 6);
    expect(problems('- just\n- a list\n')).to.deep.equal(['1:: expected the spec to be a map of keys, got a list.']);
  });
});

describe('spec: environment overlays', () => {
  it('applies overrides by name and the username suffix to explicit usernames', () => {
    const spec = parseSpec(YAML_SPEC, 'integrations.yaml');
    const base = resolveSpec(spec);
    expect(base.environment).to.equal(undefined);
    expect(base.integrations[0]).to.deep.include({ username: 'billing.sync@acme.example.com', fields: { email: 'billing-owner@acme.example.com' } });
    const uat = resolveSpec(spec, 'uat');
    expect(uat).to.deep.include({ environment: 'uat', targetOrg: 'acme-uat', usernameSuffix: '.uat' });
    expect(uat.integrations[0]).to.deep.include({ name: 'Billing Sync', username: 'billing.sync@acme.example.com.uat', fields: { email: 'qa@acme.example.com' } });
    expect(uat.integrations[0].permissionSets.map((g) => g.name)).to.deep.equal(['Billing_Sync_Access', 'Integration_Reader']);
    expect(uat.integrations[1]).to.deep.include({ name: 'Old Feed', state: 'absent' });
    expect(uat.integrations[1].username).to.equal(undefined);
  });

  it('replaces a whole list, and refuses an unknown environment', () => {
    const spec = parseSpec(
      `version: 1
integrations:
  - name: A
    permissionSets: [X, Y]
environments:
  dev:
    integrations:
      A: { permissionSets: [Z], state: absent }
`,
      's.yaml'
    );
    const dev = resolveSpec(spec, 'dev');
    expect(dev.integrations[0].permissionSets.map((g) => g.name)).to.deep.equal(['Z']);
    expect(dev.integrations[0].state).to.equal('absent');
    expect(() => resolveSpec(spec, 'prod')).to.throw('The spec has no environment named "prod" (it has: dev).');
  });
});

describe('spec: the committed JSON Schema agrees with the loader', () => {
  const schema = JSON.parse(readFileSync(new URL('../../../schemas/integration-spec.json', import.meta.url), 'utf8')) as {
    properties: Record<string, { properties?: Record<string, unknown>; items?: { properties: Record<string, unknown> }; additionalProperties?: { properties: Record<string, { additionalProperties?: { properties: Record<string, unknown> } }> } }>;
  };
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const asJson = (text: string): unknown => JSON.parse(JSON.stringify(parseYamlLoosely(text)));

  it('names the same keys as the code', () => {
    const integration = Object.keys(schema.properties.integrations.items?.properties ?? {});
    expect(Object.keys(schema.properties)).to.deep.equal([...TOP_KEYS]);
    expect(integration).to.deep.equal([...INTEGRATION_KEYS, ...Object.keys(USER_FIELDS), ...GRANT_KEYS]);
    expect(Object.keys(schema.properties.defaults.properties ?? {})).to.deep.equal([...DEFAULT_FIELDS]);
    const env = schema.properties.environments.additionalProperties?.properties ?? {};
    expect(Object.keys(env)).to.deep.equal([...ENVIRONMENT_KEYS]);
    expect(Object.keys(env.integrations.additionalProperties?.properties ?? {})).to.deep.equal(integration.filter((k) => k !== 'name'));
  });

  const cases: Array<[string, string]> = [
    ['the documented example', YAML_SPEC],
    ['an empty list', 'version: 1\nintegrations: []\n'],
    ['version 2', 'version: 2\nintegrations: []\n'],
    ['no integrations', 'version: 1\n'],
    ['unknown key', 'version: 1\nintegrations: [{name: A, colour: red}]\n'],
    ['nameless', 'version: 1\nintegrations: [{username: a@b.co}]\n'],
    ['bad state', 'version: 1\nintegrations: [{name: A, state: gone}]\n'],
    ['set object without name', 'version: 1\nintegrations: [{name: A, permissionSets: [{reason: x}]}]\n'],
    ['bad date shape', 'version: 1\nintegrations: [{name: A, permissionSets: [{name: X, expires: soon}]}]\n'],
    ['number name', 'version: 1\nintegrations: [{name: 3}]\n'],
    ['groups as objects', 'version: 1\nintegrations: [{name: A, permissionSetGroups: [{name: G}]}]\n'],
    ['unknown default', 'version: 1\ndefaults: {alias: x}\nintegrations: []\n'],
    ['bad suffix', 'version: 1\nintegrations: []\nenvironments: {uat: {usernameSuffix: "a@b"}}\n'],
    ['override', 'version: 1\nintegrations: [{name: A}]\nenvironments: {uat: {integrations: {A: {email: x@y.co}}}}\n'],
    ['apiIntegrationPsl false', 'version: 1\nintegrations: [{name: A, apiIntegrationPsl: false}]\n'],
    ['apiIntegrationPsl not a boolean', 'version: 1\nintegrations: [{name: A, apiIntegrationPsl: "no"}]\n'],
    ['apiIntegrationPsl override', 'version: 1\nintegrations: [{name: A}]\nenvironments: {uat: {integrations: {A: {apiIntegrationPsl: true}}}}\n'],
  ];
  for (const [title, text] of cases) {
    it(`gives the schema's verdict: ${title}`, () => {
      const byCode = checkSpec(text, 's.yaml').problems.length === 0;
      expect(byCode, JSON.stringify(validate.errors)).to.equal(validate(asJson(text)));
    });
  }
});

import { parse as parseYamlLoosely } from 'yaml';
import { tempDir } from '../../helpers/tmp.js';
