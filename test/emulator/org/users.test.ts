import { expect } from 'chai';
import { startEmulator, type Emulator } from '../index.js';
import { client, idOf, newUser, restError, V, type Client } from '../testClient.js';

describe('org emulator: User rules', () => {
  let emu: Emulator;
  let api: Client;
  let integrationProfile: string;

  beforeEach(async () => {
    emu = await startEmulator();
    api = client(emu);
    integrationProfile = idOf(emu, 'Profile', 'Name', 'Minimum Access - API Only Integrations');
  });
  afterEach(() => emu.close());

  const insert = (overrides: Record<string, unknown> = {}): ReturnType<Client['post']> => api.post(`${V}/sobjects/User`, newUser(overrides, integrationProfile));
  const expectError = async (reply: ReturnType<Client['post']>, status: number, errorCode: string, message: string | RegExp, fields?: string[]): Promise<void> => {
    const r = await reply;
    expect(r.status, JSON.stringify(r.body)).to.equal(status);
    const error = restError(r);
    expect(error.errorCode).to.equal(errorCode);
    if (typeof message === 'string') expect(error.message).to.equal(message);
    else expect(error.message).to.match(message);
    if (fields) expect(error.fields).to.deep.equal(fields);
  };

  it('inserts a valid user: 201 {id, success, errors}, fills CommunityNickname, Name, UserLogin, and takes a seat', async () => {
    const reply = await insert({ FirstName: 'Nova' });
    expect(reply.status).to.equal(201);
    const { id } = reply.body as { id: string };
    expect(reply.body).to.deep.equal({ id, success: true, errors: [] });
    const user = emu.db.byId(id)?.record;
    expect(user).to.include({ Username: 'new.integration@acme.example.com', Name: 'Nova New Integration', IsActive: true, UserType: 'Standard' });
    expect(String(user?.CommunityNickname)).to.match(/^new\.integration/);
    expect(emu.db.records('UserLogin').some((l) => l.UserId === id && l.IsFrozen === false)).to.equal(true);
    const license = await api.query("SELECT UsedLicenses FROM UserLicense WHERE Name = 'Salesforce Integration'");
    expect(license.records[0].UsedLicenses).to.equal(5);
  });

  it("gives a new user its profile's own permission set assignment, which follows a profile change", async () => {
    const { id } = (await insert()).body as { id: string };
    const profileSetOf = (profileId: string): string | undefined =>
      emu.db.records('PermissionSet').find((s) => s.IsOwnedByProfile === true && s.ProfileId === profileId)?.Id;
    const held = (): string[] => emu.db.records('PermissionSetAssignment').filter((a) => a.AssigneeId === id).map((a) => String(a.PermissionSetId));
    expect(held()).to.deep.equal([profileSetOf(integrationProfile)]);
    const legacy = idOf(emu, 'Profile', 'Name', 'Salesforce API Only System Integrations');
    expect((await api.patch(`${V}/sobjects/User/${id}`, { ProfileId: legacy })).status).to.equal(204);
    expect(held()).to.deep.equal([profileSetOf(legacy)]);
  });

  it('REQUIRED_FIELD_MISSING lists every missing field', async () => {
    await expectError(api.post(`${V}/sobjects/User`, { Username: 'x@acme.example.com' }), 400, 'REQUIRED_FIELD_MISSING',
      'Required fields are missing: [LastName, Email, Alias, TimeZoneSidKey, LocaleSidKey, LanguageLocaleKey, EmailEncodingKey, ProfileId]',
      ['LastName', 'Email', 'Alias', 'TimeZoneSidKey', 'LocaleSidKey', 'LanguageLocaleKey', 'EmailEncodingKey', 'ProfileId']);
  });

  it('DUPLICATE_USERNAME for a username of this org (any case), one taken in another org, or one registered later', async () => {
    await expectError(insert({ Username: 'Billing.Sync@acme.example.com' }), 400, 'DUPLICATE_USERNAME', /^Duplicate Username\.<br>The username already exists in this or another Salesforce organization/, ['Username']);
    await expectError(insert({ Username: 'taken@elsewhere.example.com' }), 400, 'DUPLICATE_USERNAME', /another Salesforce organization/);
    emu.addTakenUsername('Later@Example.com');
    await expectError(insert({ Username: 'later@example.com' }), 400, 'DUPLICATE_USERNAME', /another Salesforce organization/);
  });

  it('username must be email-shaped and at most 80 characters', async () => {
    await expectError(insert({ Username: 'not-an-email' }), 400, 'INVALID_EMAIL_ADDRESS', 'Username: invalid email address: not-an-email', ['Username']);
    const long = `${'a'.repeat(70)}@acme.example.com`;
    await expectError(insert({ Username: long }), 400, 'STRING_TOO_LONG', `Username: data value too large: ${long} (max length=80)`, ['Username']);
  });

  it('STRING_TOO_LONG for an Alias over 8 characters', async () => {
    await expectError(insert({ Alias: 'integration' }), 400, 'STRING_TOO_LONG', 'Alias: data value too large: integration (max length=8)', ['Alias']);
  });

  it('INVALID_EMAIL_ADDRESS with fields ["Email"]', async () => {
    await expectError(insert({ Email: 'ops@' }), 400, 'INVALID_EMAIL_ADDRESS', 'Email: invalid email address: ops@', ['Email']);
  });

  it('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST for time zone, locale, language and encoding', async () => {
    await expectError(insert({ TimeZoneSidKey: 'Mars/Olympus' }), 400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'Time Zone: bad value for restricted picklist field: Mars/Olympus', ['TimeZoneSidKey']);
    await expectError(insert({ LocaleSidKey: 'xx_XX' }), 400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'Locale: bad value for restricted picklist field: xx_XX', ['LocaleSidKey']);
    await expectError(insert({ LanguageLocaleKey: 'klingon' }), 400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'Language: bad value for restricted picklist field: klingon');
    await expectError(insert({ EmailEncodingKey: 'EBCDIC' }), 400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'Email Encoding: bad value for restricted picklist field: EBCDIC');
  });

  it('INVALID_CROSS_REFERENCE_KEY for an unknown or foreign ProfileId, MALFORMED_ID for a malformed one', async () => {
    await expectError(insert({ ProfileId: '00e000000000zzzAAA' }), 400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['ProfileId']);
    await expectError(insert({ ProfileId: idOf(emu, 'PermissionSet', 'Name', 'Marketing_Shared') }), 400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    await expectError(insert({ ProfileId: '00e-bad' }), 400, 'MALFORMED_ID', 'Profile ID: id value of incorrect type: 00e-bad', ['ProfileId']);
  });

  it('LICENSE_LIMIT_EXCEEDED when the profile license has no free seat (4/5 used: the second insert fails)', async () => {
    expect((await insert()).status).to.equal(201);
    await expectError(insert({ Username: 'second@acme.example.com', CommunityNickname: 'second' }), 400, 'LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded');
  });

  it('refuses read-only fields (INVALID_FIELD_FOR_INSERT_UPDATE) and unknown fields (INVALID_FIELD)', async () => {
    await expectError(insert({ Name: 'X', UserType: 'Standard' }), 400, 'INVALID_FIELD_FOR_INSERT_UPDATE',
      'Unable to create/update fields: Name, UserType. Please check the security settings of this field and verify that it is read/write for your profile or permission set.', ['Name', 'UserType']);
    await expectError(insert({ Colour__c: 'red' }), 400, 'INVALID_FIELD', "No such column 'Colour__c' on sobject of type User");
    await expectError(insert({ Id: idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com') }), 400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
  });

  it('DUPLICATE_COMM_NICKNAME for a nickname in use (any case), on insert and on update; a user keeps its own', async () => {
    const message = 'The nickname you entered is already in use. Enter a unique nickname.';
    await expectError(insert({ CommunityNickname: 'admin' }), 400, 'DUPLICATE_COMM_NICKNAME', message, ['CommunityNickname']);
    await expectError(insert({ CommunityNickname: 'Jane.Doe' }), 400, 'DUPLICATE_COMM_NICKNAME', message, ['CommunityNickname']);
    const jane = idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com');
    await expectError(api.patch(`${V}/sobjects/User/${jane}`, { CommunityNickname: 'john.smith' }), 400, 'DUPLICATE_COMM_NICKNAME', message, ['CommunityNickname']);
    expect((await api.patch(`${V}/sobjects/User/${jane}`, { CommunityNickname: 'jane.doe' })).status).to.equal(204);
    expect(emu.db.byId(jane)?.record.CommunityNickname).to.equal('jane.doe');
    expect((await insert({ CommunityNickname: 'nova' })).status).to.equal(201);
  });

  it('never deletes users: DELETE answers 405 and collections DELETE INVALID_TYPE_FOR_OPERATION', async () => {
    const id = idOf(emu, 'User', 'Username', 'old.integration@acme.example.com');
    const reply = await api.del(`${V}/sobjects/User/${id}`);
    expect([reply.status, restError(reply)]).to.deep.equal([405, { errorCode: 'METHOD_NOT_ALLOWED', message: "HTTP Method 'DELETE' not allowed. Allowed are HEAD,GET,PATCH" }]);
    const collection = await api.del(`${V}/composite/sobjects?ids=${id}`);
    expect(collection.body).to.deep.equal([{ id, success: false, errors: [{ statusCode: 'INVALID_TYPE_FOR_OPERATION', message: 'entity type cannot be deleted: User', fields: [] }] }]);
    expect(emu.db.byId(id)).not.to.equal(undefined);
  });

  it('PATCH IsActive false frees the seat (204); reactivating needs a free seat', async () => {
    const billing = idOf(emu, 'User', 'Username', 'billing.sync@acme.example.com');
    const old = idOf(emu, 'User', 'Username', 'old.integration@acme.example.com');
    expect((await insert()).status).to.equal(201); // 5/5
    await expectError(api.patch(`${V}/sobjects/User/${old}`, { IsActive: true }), 400, 'LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded');
    expect((await api.patch(`${V}/sobjects/User/${billing}`, { IsActive: false })).status).to.equal(204);
    expect((await api.query("SELECT UsedLicenses FROM UserLicense WHERE Name = 'Salesforce Integration'")).records[0].UsedLicenses).to.equal(4);
    expect((await api.patch(`${V}/sobjects/User/${old}`, { IsActive: true })).status).to.equal(204);
  });

  it('UserLogin: query and PATCH IsFrozen', async () => {
    const warehouse = idOf(emu, 'User', 'Username', 'warehouse.sync@acme.example.com');
    const login = await api.query(`SELECT Id, IsFrozen FROM UserLogin WHERE UserId = '${warehouse}'`);
    expect(login.records[0].IsFrozen).to.equal(true);
    expect((await api.patch(`${V}/sobjects/UserLogin/${String(login.records[0].Id)}`, { IsFrozen: false })).status).to.equal(204);
    expect((await api.query(`SELECT IsFrozen FROM UserLogin WHERE UserId = '${warehouse}'`)).records[0].IsFrozen).to.equal(false);
    await expectError(api.patch(`${V}/sobjects/UserLogin/${String(login.records[0].Id)}`, { UserId: warehouse }), 400, 'INVALID_FIELD_FOR_INSERT_UPDATE', /Unable to create\/update fields: UserId/);
  });
});

describe('org emulator: restricted running user', () => {
  let emu: Emulator;
  let api: Client;
  before(async () => {
    emu = await startEmulator({ runningUser: 'restricted' });
    api = client(emu);
  });
  after(() => emu.close());

  it('runs as jane.doe (Standard User)', async () => {
    expect(emu.username).to.equal('jane.doe@acme.example.com');
    const me = await api.get('/services/oauth2/userinfo');
    expect(me.body).to.include({ preferred_username: 'jane.doe@acme.example.com' });
  });

  it('LoginHistory and OauthToken queries return only the running user\'s rows, without an error', async () => {
    const jane = idOf(emu, 'User', 'Username', 'jane.doe@acme.example.com');
    const logins = await api.query('SELECT UserId FROM LoginHistory');
    expect(logins.totalSize).to.be.greaterThan(0);
    expect(new Set(logins.records.map((r) => r.UserId))).to.deep.equal(new Set([jane]));
    expect((await api.query('SELECT Id FROM OauthToken')).totalSize).to.equal(0);
  });

  it('User reads still work; setup objects do not exist for it (access.test.ts has the full matrix)', async () => {
    expect((await api.query('SELECT Id FROM User')).totalSize).to.equal(emu.db.records('User').length);
    const reply = await api.get(`${V}/query?q=${encodeURIComponent('SELECT Id FROM PermissionSetAssignment')}`);
    expect([reply.status, restError(reply).errorCode]).to.deep.equal([400, 'INVALID_TYPE']);
  });

  it('writes of User answer INSUFFICIENT_ACCESS_OR_READONLY', async () => {
    const reply = await api.post(`${V}/sobjects/User`, newUser({}, idOf(emu, 'Profile', 'Name', 'Minimum Access - API Only Integrations')));
    expect([reply.status, restError(reply)]).to.deep.equal([400, { errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights on object id' }]);
    const patch = await api.patch(`${V}/sobjects/User/${idOf(emu, 'User', 'Username', 'billing.sync@acme.example.com')}`, { IsActive: false });
    expect(restError(patch).errorCode).to.equal('INSUFFICIENT_ACCESS_OR_READONLY');
  });
});
