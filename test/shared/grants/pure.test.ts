import { expect } from 'chai';
import { closeMatches, distance } from '../../../src/shared/grants/suggest.js';
import { additions, planGrants } from '../../../src/shared/grants/plan.js';
import { deriveAlias, deriveUsername, fieldDrift, freeNickname, givenUserFields, newUserFields, userIdentity, type UserFieldInput } from '../../../src/shared/grants/userFields.js';

const build = (input: UserFieldInput, runningUser: Parameters<typeof newUserFields>[2], taken = new Set<string>()) =>
  newUserFields(userIdentity(input, runningUser?.username ?? ''), input, runningUser, taken);
import { parseDefinition, readDefinitionFile } from '../../../src/shared/grants/definitionFile.js';
import { toExitCode } from '../../../src/shared/grants/results.js';
import type { ResolvedGrant } from '../../../src/shared/grants/types.js';
import { user } from './fixtures.js';

const running = {
  id: '005000000000000AAA',
  username: 'admin@acme.example.com',
  email: 'admin@acme.example.com',
  localeSidKey: 'de_DE',
  timeZoneSidKey: 'Europe/Berlin',
  languageLocaleKey: 'de',
  emailEncodingKey: 'ISO-8859-1',
};

describe('grants: suggestions', () => {
  it('measures edits case-insensitively', () => {
    expect(distance('kitten', 'sitting')).to.equal(3);
    expect(distance('ABC', 'abc')).to.equal(0);
  });
  it('suggests close names, closest first, and nothing for far ones', () => {
    expect(closeMatches('Billing_Synk_Access', ['Billing_Sync_Access', 'Integration_Reader'])).to.deep.equal(['Billing_Sync_Access']);
    expect(closeMatches('Reader', ['Integration_Reader', 'Billing_Sync_Access'])).to.deep.equal(['Integration_Reader']);
    expect(closeMatches('Zzz_Totally_Else', ['Billing_Sync_Access'])).to.deep.equal([]);
  });
});

describe('grants: plan', () => {
  const psl: ResolvedGrant = { type: 'permissionSetLicense', id: '0PL000000000001AAA', name: 'SalesforceAPIIntegrationPsl', label: 'Salesforce API Integration' };
  const set: ResolvedGrant = { type: 'permissionSet', id: '0PS000000000001AAA', name: 'Billing_Sync_Access', label: 'Billing' };
  const group: ResolvedGrant = { type: 'permissionSetGroup', id: '0PG000000000001AAA', name: 'Integration_Bundle', label: 'Bundle' };

  it('orders PSLs, then sets, then groups, and drops duplicates', () => {
    const plan = planGrants(undefined, [group, set, psl, set]);
    expect(plan.map((g) => g.type)).to.deep.equal(['permissionSetLicense', 'permissionSet', 'permissionSetGroup']);
    expect(plan.every((g) => g.status === 'add')).to.be.true;
  });
  it('marks what the user holds (by Id, 15 or 18 characters) as present', () => {
    const held = user({
      permissionSetLicenses: [{ id: psl.id.slice(0, 15), name: psl.name, label: psl.label, assignmentId: '2LA1' }],
      permissionSetGroups: [{ id: group.id, name: group.name, label: group.label, assignmentId: '0Pa1' }],
    });
    const plan = planGrants(held, [psl, set, group]);
    expect(plan.map((g) => g.status)).to.deep.equal(['present', 'add', 'present']);
    expect(additions(plan)).to.deep.equal([set]);
  });
});

describe('grants: user fields', () => {
  it('derives username, alias, last name and nickname from the name and the running user', () => {
    expect(deriveUsername('Billing Sync', 'admin@acme.example.com')).to.equal('billing.sync.integration@acme.example.com');
    expect(deriveUsername('ERP Integration', 'admin@acme.example.com.uat')).to.equal('erp.integration@acme.example.com.uat');
    expect(deriveAlias('Billing Sync')).to.equal('billings');
    expect(deriveAlias('Café Übersetzung')).to.equal('cafeuber');
    const { fields, problems } = build({ name: 'Billing Sync' }, running);
    expect(problems).to.deep.equal([]);
    expect(fields).to.include({
      Username: 'billing.sync.integration@acme.example.com',
      LastName: 'Billing Sync',
      Email: 'admin@acme.example.com',
      Alias: 'billings',
      CommunityNickname: 'billing.sync.integration',
      LocaleSidKey: 'de_DE',
      TimeZoneSidKey: 'Europe/Berlin',
      LanguageLocaleKey: 'de',
      EmailEncodingKey: 'ISO-8859-1',
    });
    expect(fields).to.not.have.property('Password');
  });
  it('lets flags override the definition file, and the file override defaults', () => {
    const { fields } = build(
      { name: 'Billing Sync', email: 'flag@acme.example.com', fileFields: { Email: 'file@acme.example.com', Department: 'IT', TimeZoneSidKey: 'Europe/Paris' } },
      running
    );
    expect(fields).to.include({ Email: 'flag@acme.example.com', Department: 'IT', TimeZoneSidKey: 'Europe/Paris' });
  });
  it('reports every field problem at once', () => {
    const { problems } = build({ name: 'X', username: 'not-an-email', email: 'also bad', alias: 'muchtoolongalias' }, running);
    const text = problems.map((p) => p.message).join('\n');
    expect(text).to.include('"also bad" is not a valid email address');
    expect(text).to.include('"not-an-email" is not a valid username');
    expect(text).to.include('The alias "muchtoolongalias" has 16 characters; Salesforce allows at most 8');
    expect(problems.every((p) => p.actions.length > 0)).to.be.true;
  });
  it('needs a name or a username', () => {
    const { problems } = build({}, running);
    expect(problems.map((p) => p.message)).to.deep.equal(['No name and no username for the integration user.']);
    expect(problems[0].actions[0]).to.include('Give --name or --username');
  });
  it('refuses a name without a Latin letter or digit unless --username is given', () => {
    for (const name of ['!!!', 'Синхронизация', '数据同步']) {
      const { problems } = build({ name }, running);
      expect(problems.map((p) => p.message), name).to.deep.equal([`The name "${name}" has no Latin letter or digit, so no username can be derived from it.`]);
      expect(problems[0].actions[0]).to.equal('Keep the name and give the username with --username, for example --username billing.sync@acme.example.com.');
      const given = build({ name, username: 'sync@acme.example.com' }, running);
      expect(given.problems).to.deep.equal([]);
      expect(given.fields).to.include({ Username: 'sync@acme.example.com', LastName: name });
    }
  });
  it('refuses control characters in every user field, shown escaped', () => {
    const { problems } = build({ name: 'Billing\u0007Sync', email: 'a@b.co\n', fileFields: { Department: 'I\tT' } }, running);
    expect(problems.map((p) => p.message)).to.deep.equal([
      '--name holds a control character ("Billing\\u0007Sync"); User fields can\'t hold them.',
      '--email holds a control character ("a@b.co\\u000A"); User fields can\'t hold them.',
      'Department holds a control character ("I\\u0009T"); User fields can\'t hold them.',
    ]);
  });
  it('picks a free nickname with a number when the wanted one is taken, within 40 characters', () => {
    expect(freeNickname('billing.sync', new Set())).to.equal('billing.sync');
    expect(freeNickname('billing.sync', new Set(['billing.sync', 'billing.sync2']))).to.equal('billing.sync3');
    expect(freeNickname('x'.repeat(40), new Set(['x'.repeat(40)]))).to.equal(`${'x'.repeat(39)}2`);
    const { fields } = build({ name: 'Billing Sync' }, running, new Set(['billing.sync.integration']));
    expect(fields.CommunityNickname).to.equal('billing.sync.integration2');
    const explicit = build({ name: 'Billing Sync', fileFields: { CommunityNickname: 'Taken' } }, running, new Set(['taken']));
    expect(explicit.problems.map((p) => p.message)).to.deep.equal(['The nickname "Taken" (CommunityNickname in the definition file) is already used by another user of this org.']);
  });
  it('compares only the given fields with the org (email case-insensitively)', () => {
    const given = givenUserFields({ name: 'Billing Sync', email: 'IT@acme.example.com', firstName: 'Bill', fileFields: { Department: 'Ops', Username: 'x@y.z' } });
    expect(given).to.deep.equal({ Department: 'Ops', Email: 'IT@acme.example.com', FirstName: 'Bill' });
    const org = { Email: 'it@acme.example.com', FirstName: null, Department: 'IT', LastName: 'Other' };
    expect(fieldDrift(given, org)).to.deep.equal([
      { field: 'Department', org: 'IT', requested: 'Ops' },
      { field: 'FirstName', org: null, requested: 'Bill' },
    ]);
  });
});

describe('grants: definition file', () => {
  it('reads User fields (canonical spelling) and grant lists', () => {
    const def = parseDefinition(
      JSON.stringify({ lastname: 'Billing Sync', Department: 'IT', Billing_Code__c: 'B1', permissionSets: ['A'], permissionSetGroups: ['G'], permissionSetLicenses: ['L'] }),
      'def.json'
    );
    expect(def.userFields).to.deep.equal({ LastName: 'Billing Sync', Department: 'IT', Billing_Code__c: 'B1' });
    expect(def.grants).to.deep.equal({ permissionSets: ['A'], permissionSetGroups: ['G'], permissionSetLicenses: ['L'] });
  });
  it('refuses unknown, refused and mistyped keys, all named, with close matches', () => {
    let error: unknown;
    try {
      parseDefinition(JSON.stringify({ LastNme: 'x', Password: 'secret', permissionSets: 'A' }), 'def.json');
    } catch (e) {
      error = e;
    }
    const err = error as { name: string; message: string; actions: string[] };
    expect(err.name).to.equal('DefinitionFileInvalidError');
    expect(err.message).to.equal("The definition file def.json has keys the command can't use: LastNme, Password, permissionSets");
    expect(err.actions.join('\n')).to.include('Unknown key "LastNme": did you mean LastName?');
    expect(err.actions.join('\n')).to.include('Remove "Password"');
    expect(err.message + err.actions.join('')).to.not.include('secret');
  });
  it('refuses text that is not JSON or not an object', () => {
    expect(() => parseDefinition('{nope', 'def.json')).to.throw(/The definition file def.json is not valid JSON/);
    expect(() => parseDefinition('[1]', 'def.json')).to.throw(/must hold one JSON object/);
  });
  it('says when the file is missing or unreadable', async () => {
    const missing = await readDefinitionFile('/nonexistent/def.json').then(() => undefined, (e: Error) => e);
    expect(missing?.name).to.equal('DefinitionFileMissingError');
    const dir = await readDefinitionFile('/tmp').then(() => undefined, (e: Error) => e);
    expect(dir?.name).to.equal('DefinitionFileUnreadableError');
  });
});

describe('grants: exit code', () => {
  it('is 0 for all good, 68 for some failed, 1 for nothing done', () => {
    expect(toExitCode({ users: [{ status: 'updated' }, { status: 'unchanged' }] })).to.equal(0);
    expect(toExitCode({ users: [{ status: 'updated' }, { status: 'failed' }] })).to.equal(68);
    expect(toExitCode({ users: [{ status: 'partial' }] })).to.equal(68);
    expect(toExitCode({ users: [{ status: 'failed' }] })).to.equal(1);
  });
});
