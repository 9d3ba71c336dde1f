import { expect } from 'chai';
import { Ux } from '@salesforce/sf-plugins-core';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { connectTo } from '../helpers/connection.js';
import { listIntegrationUsers, type IntegrationUserListResult } from '../../src/shared/list.js';
import { listTable, naturalWidth, outputWidth, statusOf } from '../../src/shared/listTable.js';

const at = (name: string): string => `${name}@acme.example.com`;

/** The table as sf draws it in a terminal `columns` wide (the sf default border style). */
function render(table: ReturnType<typeof listTable>, columns?: number): string[] {
  const text = new Ux().makeTable({ ...table, ...(columns ? { maxWidth: columns } : {}) });
  // eslint-disable-next-line no-control-regex -- strip the colour codes of the borders before measuring
  return text.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
}

describe('list tables (emulator, default seed)', () => {
  let emu: Emulator;
  let result: IntegrationUserListResult;

  before(async () => {
    emu = await startEmulator({ seed: 'default' });
    result = await listIntegrationUsers(await connectTo(emu));
  });

  after(async () => {
    await emu.close();
  });

  it('default table: username, name, status, legacy, grant counts, last login date, at most 100 columns wide', () => {
    const table = listTable(result);
    expect(table.columns.map((c) => c.key)).to.deep.equal(['username', 'name', 'status', 'legacy', 'grants', 'lastLogin']);
    expect(naturalWidth(table.columns, table.data)).to.be.at.most(100);
    const lines = render(table);
    for (const line of lines) expect(line.length, line).to.be.at.most(100);
    const row = (name: string): Record<string, string> | undefined => table.data.find((r) => r.username === at(name));
    const billing = result.users.find((u) => u.username === at('billing.sync'))!;
    expect(row('billing.sync')).to.deep.equal({
      username: at('billing.sync'),
      name: billing.name,
      status: 'active',
      legacy: 'no',
      grants: `${billing.permissionSetLicenses.length}/${billing.permissionSets.length}/${billing.permissionSetGroups.length}`,
      lastLogin: billing.lastLogin ? billing.lastLogin.slice(0, 10) : 'never',
    });
    expect(row('warehouse.sync')?.status).to.equal('frozen');
    expect(row('old.integration')?.status).to.equal('inactive');
    expect(row('legacy.etl')?.legacy).to.equal('yes');
  });

  it('a 100-column terminal shows every username whole, on one line', () => {
    const lines = render(listTable(result, { terminalWidth: 100 }), 100);
    for (const line of lines) expect(line.length, line).to.be.at.most(100);
    for (const user of result.users) expect(lines.some((l) => l.includes(user.username)), user.username).to.be.true;
  });

  it('the width to fit: the terminal\'s; piped, COLUMNS when set; piped without COLUMNS, none', () => {
    expect(outputWidth({ isTTY: true, columns: 120 }, { COLUMNS: '100' })).to.equal(120);
    expect(outputWidth({ isTTY: false }, { COLUMNS: '100' })).to.equal(100);
    expect(outputWidth({}, { COLUMNS: '100' })).to.equal(100);
    expect(outputWidth({ isTTY: false }, {})).to.equal(undefined);
    expect(outputWidth({ isTTY: false }, { COLUMNS: 'wide' })).to.equal(undefined);
    expect(outputWidth({ isTTY: false }, { COLUMNS: '0' })).to.equal(undefined);
  });

  it('a 41-character username at 100 columns (piped with COLUMNS=100): the Name column wraps, the username stays whole', () => {
    const long = at('payments.reconciliation1');
    expect(long).to.have.length(41);
    const wide: IntegrationUserListResult = {
      ...result,
      users: [...result.users, { ...result.users[0], username: long, name: 'Payments Reconciliation' }],
    };
    expect(naturalWidth(listTable(wide).columns, listTable(wide).data), 'too wide unfitted').to.be.greaterThan(100);
    const lines = render(listTable(wide, { terminalWidth: outputWidth({ isTTY: false }, { COLUMNS: '100' }) }));
    for (const line of lines) expect(line.length, line).to.be.at.most(100);
    for (const user of wide.users) expect(lines.some((l) => l.includes(user.username)), user.username).to.be.true;
    expect(lines.join('\n')).to.not.include('…');
  });

  it('a narrower terminal wraps the Name column, not the usernames', () => {
    const table = listTable(result, { terminalWidth: 90 });
    const name = table.columns.find((c) => c.key === 'name');
    expect(name?.overflow).to.equal('wrap');
    const lines = render(table, 90);
    for (const line of lines) expect(line.length, line).to.be.at.most(90);
    for (const user of result.users) expect(lines.some((l) => l.includes(user.username)), user.username).to.be.true;
    expect(lines.join('\n')).to.not.include('…');
  });

  it('--verbose: every grant by name, one per line in its cell, with profile and license', () => {
    const table = listTable(result, { verbose: true });
    expect(table.columns.map((c) => c.key)).to.include.members(['permissionSetLicenses', 'permissionSets', 'permissionSetGroups', 'profile', 'userLicense']);
    for (const user of result.users) {
      const row = table.data.find((r) => r.username === user.username)!;
      expect(row.permissionSets.split('\n').filter(Boolean)).to.deep.equal(user.permissionSets);
      expect(row.permissionSetLicenses.split('\n').filter(Boolean)).to.deep.equal(user.permissionSetLicenses);
      expect(row.permissionSetGroups.split('\n').filter(Boolean)).to.deep.equal(user.permissionSetGroups);
    }
    expect(table.data.find((r) => r.username === at('legacy.etl'))?.profile).to.match(/\(legacy/);
  });

  it('status: frozen wins over active; an unknown frozen state says so; inactive is inactive', () => {
    expect(statusOf({ active: true, frozen: false })).to.equal('active');
    expect(statusOf({ active: true, frozen: true })).to.equal('frozen');
    expect(statusOf({ active: true, frozen: null })).to.equal('active, frozen?');
    expect(statusOf({ active: false, frozen: true })).to.equal('inactive');
  });
});
