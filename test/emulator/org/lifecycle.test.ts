/** Lifecycle resources of the emulator: CronTrigger, ECA credentials (Connect REST), OAuth usage, revoke, passwords. */
import { expect } from 'chai';
import { startEmulator, type Emulator } from '../index.js';
import { client, idOf, restError } from '../testClient.js';

const V66 = '/services/data/v66.0';

describe('emulator: lifecycle resources', function () {
  this.timeout(20_000);
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator();
  });
  afterEach(async () => emu.close());

  it('seeds one CronTrigger owned by billing.sync, queryable with its job name', async () => {
    const rows = await client(emu).query(
      "SELECT Id, CronJobDetail.Name, State, NextFireTime FROM CronTrigger WHERE Owner.Username = 'billing.sync@acme.example.com'"
    );
    expect(rows.records).to.have.length(1);
    expect((rows.records[0].CronJobDetail as { Name: string }).Name).to.equal('Nightly Billing Reconciliation');
    expect(rows.records[0].State).to.equal('WAITING');
  });

  it('reads the consumer key of the local ECA, the secret only when asked, and refuses packaged apps', async () => {
    const c = client(emu);
    const appId = idOf(emu, 'ExternalClientApplication', 'DeveloperName', 'Billing_Sync');
    const list = await c.get(`${V66}/apps/oauth/credentials/${appId}`);
    expect(list.status).to.equal(200);
    const [consumer] = (list.body as { consumers: Array<{ id: string; key: string; secret?: string }> }).consumers;
    expect(consumer.key).to.match(/^3MVG/);
    expect(consumer.secret).to.equal(undefined);
    const key = await c.get(`${V66}/apps/oauth/credentials/${appId}/${consumer.id}`);
    expect((key.body as { secret?: string }).secret).to.equal(undefined);
    const both = await c.get(`${V66}/apps/oauth/credentials/${appId}/${consumer.id}?part=keyandsecret`);
    expect((both.body as { secret: string }).secret).to.equal(emu.lifecycle.consumers.get(appId.slice(0, 15))?.[0].primary.secret);
    const packaged = await c.get(`${V66}/apps/oauth/credentials/${idOf(emu, 'ExternalClientApplication', 'DeveloperName', 'Vendor_Connector')}`);
    expect(packaged.status).to.equal(403);
    const old = await c.get(`/services/data/v59.0/apps/oauth/credentials/${appId}`);
    expect(old.status).to.equal(404);
  });

  it('without the org setting, the key is readable but the secret and staged credentials are not', async () => {
    await emu.close();
    emu = await startEmulator({ ecaSecretRestAccess: false });
    const c = client(emu);
    const appId = idOf(emu, 'ExternalClientApplication', 'DeveloperName', 'Billing_Sync');
    const consumerId = emu.lifecycle.consumers.get(appId.slice(0, 15))?.[0].id ?? '';
    expect((await c.get(`${V66}/apps/oauth/credentials/${appId}/${consumerId}?part=key`)).status).to.equal(200);
    const secret = await c.get(`${V66}/apps/oauth/credentials/${appId}/${consumerId}?part=secret`);
    expect(secret.status).to.equal(403);
    expect(restError(secret).errorCode).to.equal('FUNCTIONALITY_NOT_ENABLED');
    expect((await c.post(`${V66}/apps/oauth/credentials/${appId}/${consumerId}/staged`, {})).status).to.equal(403);
  });

  it('stages, rotates (previous kept as Rotated for 30 days) and deletes credentials; one staged slot', async () => {
    const c = client(emu);
    const appId = idOf(emu, 'ExternalClientApplication', 'DeveloperName', 'Billing_Sync');
    const consumer = emu.lifecycle.consumers.get(appId.slice(0, 15))?.[0];
    const before = { ...consumer?.primary };
    const base = `${V66}/apps/oauth/credentials/${appId}/${consumer?.id}/staged`;
    const staged = await c.post(base, {});
    expect(staged.status).to.equal(201);
    const [item] = (staged.body as { stagedCredentials: Array<{ id: string; state: string; secret: string }> }).stagedCredentials;
    expect(item.state).to.equal('Active');
    expect((await c.post(base, {})).status, 'only one staged slot').to.equal(400);
    const rotated = await c.patch(`${base}/${item.id}`, { command: 'rotate' });
    expect(rotated.status).to.equal(200);
    expect(consumer?.primary.secret).to.equal(item.secret);
    const previous = rotated.body as { id: string; state: string; key: string };
    expect(previous.state).to.equal('Rotated');
    expect(previous.key).to.equal(before.key);
    expect((await c.del(`${base}/${previous.id}`)).status).to.equal(204);
    expect(consumer?.staged).to.equal(undefined);
  });

  it('lists OAuth usage of ECAs and revokes one user\'s tokens per app; revoke endpoint deletes by DeleteToken', async () => {
    const c = client(emu);
    const billing = idOf(emu, 'User', 'Username', 'billing.sync@acme.example.com');
    emu.db.insert('OauthToken', { UserId: billing, AppName: 'Billing Sync', UseCount: 3, DeleteToken: 'dt-billing-1', LastUsedDate: new Date().toISOString(), CreatedDate: new Date().toISOString() });
    const usage = await c.get(`${V66}/apps/oauth/usage`);
    const apps = (usage.body as { apps: Array<{ developerName: string; identifier: string }> }).apps;
    expect(apps.map((a) => a.developerName)).to.deep.equal(['Billing_Sync']);
    const tokens = await c.get(`${V66}/apps/oauth/usage/${apps[0].identifier}/${billing}/tokens`);
    expect((tokens.body as { tokens: unknown[] }).tokens).to.have.length(1);
    expect((await c.del(`${V66}/apps/oauth/usage/${apps[0].identifier}/${billing}/tokens`)).status).to.equal(204);
    expect(emu.db.records('OauthToken').filter((t) => t.UserId === billing)).to.have.length(0);

    const shared = emu.db.records('OauthToken').find((t) => t.AppName === 'Workato');
    const revoke = await c.call('POST', '/services/oauth2/revoke', `token=${String(shared?.DeleteToken)}`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(revoke.status).to.equal(200);
    expect(emu.db.records('OauthToken').some((t) => t.AppName === 'Workato')).to.equal(false);
    const again = await c.call('POST', '/services/oauth2/revoke', `token=${String(shared?.DeleteToken)}`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(again.status).to.equal(400);
  });

  it('sets a password through the REST resource under the password policy, with LastPasswordChangeDate', async () => {
    const c = client(emu);
    const id = idOf(emu, 'User', 'Username', 'legacy.etl@acme.example.com');
    const weak = await c.post(`${V66}/sobjects/User/${id}/password`, { NewPassword: 'short1A!' });
    expect(weak.status).to.equal(400);
    expect(restError(weak).errorCode).to.equal('INVALID_NEW_PASSWORD');
    const simple = await c.post(`${V66}/sobjects/User/${id}/password`, { NewPassword: 'alllowercaseletters1' });
    expect(restError(simple).message).to.include('uppercase');
    const ok = await c.post(`${V66}/sobjects/User/${id}/password`, { NewPassword: 'Str0ng!Enough#Pass' });
    expect(ok.status).to.equal(204);
    expect(emu.db.records('User').find((u) => u.Id === id)?.LastPasswordChangeDate).to.be.a('string');
    expect((await c.get(`${V66}/sobjects/User/${id}/password`)).body).to.deep.equal({ isExpired: false });
  });

  it('refuses a running user without the rights (credentials, usage delete, password)', async () => {
    await emu.close();
    emu = await startEmulator({ runningUser: 'restricted' });
    const c = client(emu);
    const appId = idOf(emu, 'ExternalClientApplication', 'DeveloperName', 'Billing_Sync');
    expect((await c.get(`${V66}/apps/oauth/credentials/${appId}`)).status).to.equal(403);
    const id = idOf(emu, 'User', 'Username', 'legacy.etl@acme.example.com');
    expect((await c.post(`${V66}/sobjects/User/${id}/password`, { NewPassword: 'Str0ng!Enough#Pass' })).status).to.equal(403);
    expect((await c.del(`${V66}/apps/oauth/usage/${appId}/${id}/tokens`)).status).to.equal(403);
  });
});
