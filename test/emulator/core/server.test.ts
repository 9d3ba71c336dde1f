import { expect } from 'chai';
import { startEmulator, type Emulator } from '../index.js';
import { client, idOf, restError, V, type Client } from '../testClient.js';

describe('org emulator: HTTP surface', () => {
  let emu: Emulator;
  let api: Client;

  before(async () => {
    emu = await startEmulator({ now: new Date('2026-06-01T12:00:00Z') });
    api = client(emu);
  });
  after(() => emu.close());

  describe('auth', () => {
    it('answers 401 INVALID_SESSION_ID without a bearer token or with a wrong one', async () => {
      for (const reply of [await client(emu, 'nope').get(`${V}/sobjects`), await fetch(`${emu.instanceUrl}/services/data`)]) {
        expect(reply.status).to.equal(401);
      }
      const reply = await client(emu, `${emu.orgId}!wrong`).get('/services/oauth2/userinfo');
      expect(reply.body).to.deep.equal([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    });

    it('issues a token in the shape sf checks: 00D + 15 characters, "!", then [.\\w]*', () => {
      expect(emu.accessToken).to.match(/^00D\w{15}![.\w]*$/);
      expect(emu.accessToken.startsWith(emu.orgId)).to.equal(true);
    });
  });

  describe('discovery', () => {
    it('userinfo names the running user and the org', async () => {
      const reply = await api.get('/services/oauth2/userinfo');
      expect(reply.status).to.equal(200);
      expect(reply.body).to.include({ preferred_username: 'admin@acme.example.com', organization_id: emu.orgId, email: 'admin@acme.example.com' });
      expect((reply.body as { user_id: string }).user_id).to.equal(idOf(emu, 'User', 'Username', 'admin@acme.example.com'));
    });

    it('collapses repeated slashes (sf sends //services/data after login) and lists versions up to 66.0', async () => {
      const reply = await api.get('//services//data');
      expect(reply.status).to.equal(200);
      const versions = (reply.body as Array<{ version: string; url: string }>).map((v) => v.version);
      expect(versions[0]).to.equal('31.0');
      expect(versions.at(-1)).to.equal('66.0');
      expect(emu.requests.at(-1)?.path).to.equal('/services/data');
    });

    it('answers a version resource map, 410 for retired versions, 404 for unknown ones', async () => {
      const map = await api.get('/services/data/v62.0');
      expect(map.body).to.include({ sobjects: '/services/data/v62.0/sobjects', query: '/services/data/v62.0/query' });
      expect((await api.get('/services/data/v25.0/sobjects')).status).to.equal(410);
      const unknown = await api.get('/services/data/v99.0/sobjects');
      expect(unknown.status).to.equal(404);
      expect(unknown.body).to.deep.equal([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    });

    it('answers 404 NOT_FOUND for any unknown resource, never a silent success', async () => {
      for (const path of ['/services/apexrest/x', `${V}/limits/recordCount`, `${V}/nothing`, '/']) {
        const reply = await api.get(path);
        expect(reply.status, path).to.equal(404);
        expect(restError(reply).errorCode).to.equal('NOT_FOUND');
      }
    });

    it('sends JSON with Salesforce content type', async () => {
      const reply = await api.get(`${V}/sobjects`);
      expect(reply.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
    });
  });

  describe('sObject REST', () => {
    it('global describe lists the emulated objects with key prefixes', async () => {
      const body = (await api.get(`${V}/sobjects`)).body as { sobjects: Array<{ name: string; keyPrefix: string }> };
      const prefixes = Object.fromEntries(body.sobjects.map((o) => [o.name, o.keyPrefix]));
      expect(prefixes).to.include({ User: '005', PermissionSetAssignment: '0Pa', PermissionSetLicenseAssign: '2LA', OauthToken: '0CQ', LoginHistory: '0Ya' });
      expect(prefixes).not.to.have.property('ScratchOrgInfo');
    });

    it('describe gives fields with types, references and picklists, and child relationships', async () => {
      const body = (await api.get(`${V}/sobjects/PermissionSet/describe`)).body as {
        fields: Array<{ name: string; referenceTo: string[]; relationshipName: string | null }>;
        childRelationships: Array<{ relationshipName: string; childSObject: string; field: string }>;
      };
      const license = body.fields.find((f) => f.name === 'LicenseId');
      expect(license).to.deep.include({ referenceTo: ['PermissionSetLicense', 'UserLicense'], relationshipName: 'License' });
      expect(body.childRelationships.map((c) => c.relationshipName)).to.include.members(['Assignments', 'ObjectPerms', 'SetupEntityAccessItems']);
      const user = (await api.get(`${V}/sobjects/User/describe`)).body as { fields: Array<{ name: string; picklistValues: Array<{ value: string }> }> };
      expect(user.fields.find((f) => f.name === 'TimeZoneSidKey')?.picklistValues.map((p) => p.value)).to.include('America/Los_Angeles');
    });

    it('unknown type → 404 NOT_FOUND; malformed Id → 400 MALFORMED_ID; Id of another type or absent → 404', async () => {
      expect(restError(await api.get(`${V}/sobjects/ScratchOrgInfo`))).to.deep.equal({ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' });
      const malformed = await api.get(`${V}/sobjects/User/not-an-id`);
      expect([malformed.status, restError(malformed).errorCode]).to.deep.equal([400, 'MALFORMED_ID']);
      const profileId = idOf(emu, 'Profile', 'Name', 'Standard User');
      expect((await api.get(`${V}/sobjects/User/${profileId}`)).status).to.equal(404);
      expect((await api.get(`${V}/sobjects/User/005000000000zzzAAA`)).status).to.equal(404);
    });

    it('GET by Id returns the record, ?fields= limits it', async () => {
      const id = idOf(emu, 'User', 'Username', 'billing.sync@acme.example.com');
      const full = (await api.get(`${V}/sobjects/User/${id}`)).body as Record<string, unknown>;
      expect(full).to.include({ Id: id, Username: 'billing.sync@acme.example.com', IsActive: true });
      expect(String(full.CreatedDate)).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
      const some = (await api.get(`${V}/sobjects/User/${id}?fields=Username,IsActive`)).body as Record<string, unknown>;
      expect(Object.keys(some).sort()).to.deep.equal(['Id', 'IsActive', 'Username', 'attributes']);
    });

    it('refuses methods the object does not allow (405) and bad JSON bodies (400 JSON_PARSER_ERROR)', async () => {
      const reply = await api.post(`${V}/sobjects/UserLicense`, { Name: 'x' });
      expect([reply.status, restError(reply).errorCode]).to.deep.equal([405, 'METHOD_NOT_ALLOWED']);
      const bad = await api.call('POST', `${V}/sobjects/User`, '{"Username": ');
      expect([bad.status, restError(bad).errorCode]).to.deep.equal([400, 'JSON_PARSER_ERROR']);
    });
  });

  describe('tooling', () => {
    it('answers the SandboxProcess look-up empty and other tooling objects INVALID_TYPE', async () => {
      const sandbox = await api.get(`${V}/tooling/query?q=${encodeURIComponent('SELECT Id, SandboxName FROM SandboxProcess WHERE SandboxOrganization = 1')}`);
      expect(sandbox.body).to.include({ totalSize: 0, done: true });
      const other = await api.get(`${V}/tooling/query?q=${encodeURIComponent('SELECT Id FROM ApexClass')}`);
      expect([other.status, restError(other).errorCode]).to.deep.equal([400, 'INVALID_TYPE']);
      const scratch = await api.get(`/services/data/v51.0/query?q=${encodeURIComponent('SELECT Id FROM ScratchOrgInfo limit 1')}`);
      expect([scratch.status, restError(scratch).errorCode]).to.deep.equal([400, 'INVALID_TYPE']);
    });
  });
});

describe('org emulator: org options', () => {
  const started: Emulator[] = [];
  const start = async (options: Parameters<typeof startEmulator>[0]): Promise<Client> => {
    const emu = await startEmulator(options);
    started.push(emu);
    return client(emu);
  };
  after(() => Promise.all(started.map((e) => e.close())));

  it('apiEnabled false: every REST call answers 403 API_DISABLED_FOR_ORG', async () => {
    const api = await start({ apiEnabled: false });
    const reply = await api.get(`${V}/query?q=${encodeURIComponent('SELECT Id FROM User')}`);
    expect([reply.status, restError(reply).errorCode]).to.deep.equal([403, 'API_DISABLED_FOR_ORG']);
  });

  it('editions: Professional has no Salesforce Integration license, Developer 1 seat, the option overrides', async () => {
    const seats = async (options: Parameters<typeof startEmulator>[0]): Promise<unknown[]> =>
      (await (await start(options)).query("SELECT TotalLicenses FROM UserLicense WHERE Name = 'Salesforce Integration'")).records.map((r) => r.TotalLicenses);
    expect(await seats({ edition: 'Professional Edition' })).to.deep.equal([]);
    expect(await seats({ edition: 'Developer Edition' })).to.deep.equal([1]);
    expect(await seats({ integrationLicenses: 0 })).to.deep.equal([0]);
    const org = await (await start({ edition: 'Unlimited Edition' })).query('SELECT OrganizationType FROM Organization');
    expect(org.records[0].OrganizationType).to.equal('Unlimited Edition');
  });

  it('integrationLicenses sets the Salesforce Integration seats and the API Integration PSL seats together', async () => {
    const seats = async (options: Parameters<typeof startEmulator>[0]): Promise<unknown[]> => {
      const api = await start(options);
      const user = await api.query("SELECT TotalLicenses FROM UserLicense WHERE Name = 'Salesforce Integration'");
      const psl = await api.query("SELECT TotalLicenses FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'");
      return [...user.records, ...psl.records].map((r) => r.TotalLicenses);
    };
    expect(await seats({})).to.deep.equal([5, 5]);
    expect(await seats({ integrationLicenses: 12 })).to.deep.equal([12, 12]);
    expect(await seats({ edition: 'Developer Edition' })).to.deep.equal([1, 1]);
    expect(await seats({ edition: 'Professional Edition' }), 'no license, a PSL without seats').to.deep.equal([0]);
    expect(await seats({ integrationLicenses: 3, seed: { scale: 8 } }), 'the scale seed adds ceil(8 × 0.25) to both').to.deep.equal([5, 5]);
  });

  it('expireSession: the token stops working (401 INVALID_SESSION_ID)', async () => {
    const emu = await startEmulator();
    started.push(emu);
    expect((await client(emu).get(`${V}/sobjects`)).status).to.equal(200);
    emu.expireSession();
    const reply = await client(emu).get(`${V}/sobjects`);
    expect([reply.status, restError(reply).errorCode]).to.deep.equal([401, 'INVALID_SESSION_ID']);
  });
});
