import { expect } from 'chai';
import { startEmulator, type Emulator } from '../index.js';
import { client, idOf, restError, V, type Client } from '../testClient.js';

const HINT =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
const q = (soql: string): string => `${V}/query?q=${encodeURIComponent(soql)}`;

describe('org emulator: absentFields', () => {
  let emu: Emulator;
  let api: Client;
  before(async () => {
    emu = await startEmulator({ absentFields: ['PermissionSet.PermissionsMonitorLoginHistory', 'PermissionSet.PermissionsModifyAllData', 'User.FederationIdentifier'] });
    api = client(emu);
  });
  after(() => emu.close());

  const failure = async (soql: string): Promise<{ errorCode: string; message: string }> => {
    const reply = await api.get(q(soql));
    expect(reply.status, soql).to.equal(400);
    return restError(reply);
  };

  it('describe leaves the fields out; other objects keep theirs', async () => {
    const names = ((await api.get(`${V}/sobjects/PermissionSet/describe`)).body as { fields: Array<{ name: string }> }).fields.map((f) => f.name);
    expect(names).to.include('PermissionsViewSetup');
    expect(names).not.to.include.members(['PermissionsMonitorLoginHistory']);
    expect(names).not.to.include('PermissionsModifyAllData');
    const profile = ((await api.get(`${V}/sobjects/Profile/describe`)).body as { fields: Array<{ name: string }> }).fields.map((f) => f.name);
    expect(profile).to.include('PermissionsModifyAllData');
  });

  it('one absent field in SELECT: INVALID_FIELD with the echoed query line, caret, position, and only that column named', async () => {
    const soql = 'SELECT Id, PermissionsMonitorLoginHistory FROM PermissionSet';
    const error = await failure(soql);
    expect(error).to.deep.equal({
      errorCode: 'INVALID_FIELD',
      message: `\nSELECT Id, PermissionsMonitorLoginHistory FROM PermissionSet\n${' '.repeat(11)}^\nERROR at Row:1:Column:12\nNo such column 'PermissionsMonitorLoginHistory' on entity 'PermissionSet'. ${HINT}`,
    });
  });

  it('two absent fields: only the first is reported (as real SOQL does)', async () => {
    const error = await failure('SELECT Id, PermissionsModifyAllData, PermissionsMonitorLoginHistory FROM PermissionSet');
    expect(error.message).to.match(/\nERROR at Row:1:Column:12\nNo such column 'PermissionsModifyAllData' on entity 'PermissionSet'\./);
    expect(error.message.match(/No such column/g)).to.have.length(1);
  });

  it('every asked permission field (the audit\'s 28): the first absent one, with the query line echoed around it', async () => {
    const fields = ['Id', 'Name', 'PermissionsApiEnabled', 'PermissionsViewSetup', 'PermissionsModifyAllData', 'PermissionsViewAllData', 'PermissionsManageUsers', 'PermissionsMonitorLoginHistory'];
    const soql = `SELECT ${fields.join(', ')} FROM PermissionSet`;
    const error = await failure(soql);
    const column = soql.indexOf('PermissionsModifyAllData') + 1;
    const [, excerpt, caret, position, reason] = error.message.split('\n');
    expect(excerpt).to.contain('PermissionsModifyAllData').and.to.contain('PermissionsViewSetup');
    expect(soql).to.contain(excerpt);
    expect(caret.indexOf('^')).to.equal(excerpt.indexOf('PermissionsModifyAllData'));
    expect(position).to.equal(`ERROR at Row:1:Column:${column}`);
    expect(reason).to.equal(`No such column 'PermissionsModifyAllData' on entity 'PermissionSet'. ${HINT}`);
  });

  it('WHERE, ORDER BY, parent paths and child sub-selects do not know the field either', async () => {
    expect((await failure('SELECT Id FROM PermissionSet WHERE PermissionsModifyAllData = true')).message).to.match(/Column:36\nNo such column 'PermissionsModifyAllData' on entity 'PermissionSet'\./);
    expect((await failure('SELECT Id FROM PermissionSet ORDER BY PermissionsModifyAllData')).message).to.match(/No such column 'PermissionsModifyAllData' on entity 'PermissionSet'\./);
    expect((await failure('SELECT Id, PermissionSet.PermissionsModifyAllData FROM PermissionSetAssignment')).message).to.match(/No such column 'PermissionsModifyAllData' on entity 'PermissionSet'\./);
    expect((await failure('SELECT Id, (SELECT FederationIdentifier FROM Users) FROM Profile')).message).to.match(/No such column 'FederationIdentifier' on entity 'User'\./);
  });

  it('FIELDS(STANDARD) returns the fields the org has, without the absent ones', async () => {
    const row = (await api.query('SELECT FIELDS(STANDARD) FROM PermissionSet LIMIT 1')).records[0];
    expect(row).to.have.property('PermissionsViewSetup');
    expect(row).not.to.have.property('PermissionsModifyAllData');
  });

  it('DML and retrieve reject the field', async () => {
    const billing = idOf(emu, 'User', 'Username', 'billing.sync@acme.example.com');
    const patch = await api.patch(`${V}/sobjects/User/${billing}`, { FederationIdentifier: 'x' });
    expect([patch.status, restError(patch)]).to.deep.equal([400, { errorCode: 'INVALID_FIELD', message: "No such column 'FederationIdentifier' on sobject of type User" }]);
    const get = await api.get(`${V}/sobjects/User/${billing}`);
    expect(get.body).not.to.have.property('FederationIdentifier');
    expect(restError(await api.get(`${V}/sobjects/User/${billing}?fields=FederationIdentifier`)).errorCode).to.equal('INVALID_FIELD');
  });

  it('rejects an option naming no emulated field', async () => {
    let error: unknown;
    try {
      await startEmulator({ absentFields: ['PermissionSet.PermissionsTeleport'] });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/absent field must be Object\.Field naming an emulated field other than Id, got "PermissionSet\.PermissionsTeleport"/);
  });
});
