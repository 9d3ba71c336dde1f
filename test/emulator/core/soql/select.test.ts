import { expect } from 'chai';
import { executeSoql, parseSoql, queryObjectName } from './index.js';
import { column, run } from './helpers.js';
import { ids, sampleCatalog } from './testCatalog.js';

describe('SOQL engine: SELECT and record shape', () => {
  it('returns attributes first, then the selected fields in select order with canonical names', () => {
    const result = run(`select name, ID, isactive from user where id = '${ids.admin}'`);
    expect(result.totalSize).to.equal(1);
    const [record] = result.records;
    expect(Object.keys(record)).to.deep.equal(['attributes', 'Name', 'Id', 'IsActive']);
    expect(record).to.deep.equal({
      attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${ids.admin}` },
      Name: 'Ada Admin',
      Id: ids.admin,
      IsActive: true,
    });
  });

  it('writes numbers, booleans, dates and datetimes in the REST formats and missing values as null', () => {
    const [record] = run(`SELECT LoginCount__c, IsActive, HireDate__c, LastLoginDate, Department FROM User WHERE Id = '${ids.integration}'`).records;
    expect(record.LoginCount__c).to.equal(3);
    expect(record.IsActive).to.equal(true);
    expect(record.HireDate__c).to.equal('2026-03-01');
    expect(record.LastLoginDate).to.equal('2026-03-14T23:59:59.000+0000');
    expect(record.Department).to.equal(null);
  });

  it('nests parent paths of any depth, merging paths through the same parent', () => {
    const [record] = run(`SELECT Profile.Name, Id, Profile.UserLicense.Name, Profile.Id FROM User WHERE Id = '${ids.integration}'`).records;
    expect(Object.keys(record)).to.deep.equal(['attributes', 'Profile', 'Id']);
    expect(record.Profile).to.deep.equal({
      attributes: { type: 'Profile', url: `/services/data/v62.0/sobjects/Profile/${ids.profileApi}` },
      Name: 'Minimum Access - API Only Integrations',
      UserLicense: {
        attributes: { type: 'UserLicense', url: `/services/data/v62.0/sobjects/UserLicense/${ids.licenseInt}` },
        Name: 'Salesforce Integration',
      },
      Id: ids.profileApi,
    });
  });

  it('yields null for an empty reference, at any depth', () => {
    const result = run('SELECT Name, Manager.Name, Profile.UserLicense.Name FROM User ORDER BY Name');
    expect(column(result, 'Manager')[0]).to.equal(null);
    const plain = result.records.find((r) => r.Name === 'Pat 100% Plain');
    expect((plain?.Profile as Record<string, unknown>).UserLicense).to.equal(null);
  });

  it('resolves a polymorphic reference through the record the Id points to', () => {
    const result = run('SELECT Subject, Owner.Name FROM Task ORDER BY Subject');
    expect(result.records.map((r) => (r.Owner as { attributes: { type: string } }).attributes.type)).to.deep.equal(['Profile', 'User']);
    expect(result.records.map((r) => (r.Owner as { Name: string }).Name)).to.deep.equal(['Minimum Access - API Only Integrations', 'Ada Admin']);
  });

  it('returns child sub-selects as {totalSize, done, records}, filtered, ordered and limited per parent, or null', () => {
    const result = run(
      "SELECT Name, (SELECT Id, PermissionSet.Name FROM PermissionSetAssignments WHERE PermissionSet.IsOwnedByProfile = false ORDER BY PermissionSet.Name DESC LIMIT 1) FROM User WHERE IsActive = true ORDER BY Name"
    );
    const [admin, integration, plain] = result.records;
    expect(integration.PermissionSetAssignments).to.deep.equal({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'PermissionSetAssignment', url: `/services/data/v62.0/sobjects/PermissionSetAssignment/${ids.psaIntRead}` },
          Id: ids.psaIntRead,
          PermissionSet: {
            attributes: { type: 'PermissionSet', url: `/services/data/v62.0/sobjects/PermissionSet/${ids.psRead}` },
            Name: 'Read_Only',
          },
        },
      ],
    });
    expect((admin.PermissionSetAssignments as { totalSize: number }).totalSize).to.equal(1);
    expect(plain.PermissionSetAssignments).to.equal(null);
  });

  it('reads several child relationships and child parent paths (PermissionSetGroup.DeveloperName)', () => {
    const [record] = run(
      `SELECT Id, (SELECT PermissionSetGroup.DeveloperName FROM PermissionSetAssignments WHERE PermissionSetGroupId != null), (SELECT LoginType FROM LoginHistories) FROM User WHERE Id = '${ids.integration}'`
    ).records;
    const psas = record.PermissionSetAssignments as { records: Array<Record<string, unknown>> };
    expect(psas.records.map((r) => (r.PermissionSetGroup as { DeveloperName: string }).DeveloperName)).to.deep.equal(['ApiGroup']);
    expect((record.LoginHistories as { totalSize: number }).totalSize).to.equal(1);
  });

  it('COUNT() returns the count as totalSize and no records', () => {
    expect(run('SELECT COUNT() FROM User')).to.deep.equal({ totalSize: 4, records: [] });
    expect(run('select count() from User where IsActive = false')).to.deep.equal({ totalSize: 1, records: [] });
  });

  it('COUNT(field) with GROUP BY returns AggregateResult rows (expr0 or alias, grouped field by name)', () => {
    const result = run('SELECT UserType, COUNT(Id) FROM User GROUP BY UserType ORDER BY UserType');
    expect(result).to.deep.equal({
      totalSize: 2,
      records: [
        { attributes: { type: 'AggregateResult' }, UserType: 'Guest', expr0: 1 },
        { attributes: { type: 'AggregateResult' }, UserType: 'Standard', expr0: 3 },
      ],
    });
    const aliased = run('SELECT Profile.Name, COUNT(Department) depts, COUNT(Id) FROM User GROUP BY Profile.Name ORDER BY Profile.Name');
    expect(aliased.records[2]).to.deep.equal({ attributes: { type: 'AggregateResult' }, Name: 'System Administrator', depts: 2, expr0: 2 });
  });

  it('COUNT(Id) without GROUP BY is one row, even when nothing matches', () => {
    expect(run("SELECT COUNT(Id) n FROM User WHERE Name = 'nobody'").records).to.deep.equal([{ attributes: { type: 'AggregateResult' }, n: 0 }]);
  });

  it('returns every matching row (no paging) and applies LIMIT and OFFSET', () => {
    const catalog = sampleCatalog();
    for (let i = 0; i < 2500; i++) catalog.add('Task', { Id: `00T${String(1000 + i).padStart(12, '0')}`, Subject: `t${i}`, OwnerId: ids.admin });
    expect(run('SELECT Id FROM Task', catalog).records).to.have.length(2502);
    expect(column(run('SELECT Name FROM User ORDER BY Name LIMIT 2 OFFSET 1'), 'Name')).to.deep.equal(["Ivy Integration", "Olly O'Brien"]);
  });

  it('orders by several fields and paths, ASC/DESC, with Salesforce null placement', () => {
    expect(column(run('SELECT Department FROM User ORDER BY Department'), 'Department')).to.deep.equal([null, 'IT', 'Sales', 'Sales_Ops']);
    expect(column(run('SELECT Department FROM User ORDER BY Department DESC'), 'Department')).to.deep.equal(['Sales_Ops', 'Sales', 'IT', null]);
    expect(column(run('SELECT Department FROM User ORDER BY Department ASC NULLS LAST'), 'Department')).to.deep.equal(['IT', 'Sales', 'Sales_Ops', null]);
    expect(column(run('SELECT Department FROM User ORDER BY Department DESC NULLS FIRST'), 'Department')).to.deep.equal([null, 'Sales_Ops', 'Sales', 'IT']);
    expect(column(run('SELECT Name FROM User ORDER BY Profile.Name DESC, LoginCount__c'), 'Name')).to.deep.equal([
      "Olly O'Brien",
      'Ada Admin',
      'Pat 100% Plain',
      'Ivy Integration',
    ]);
    expect(column(run('SELECT Name FROM User ORDER BY LastLoginDate DESC LIMIT 1'), 'Name')).to.deep.equal(['Ivy Integration']);
  });

  it('exposes the parsed query and the object a query reads', () => {
    const catalog = sampleCatalog();
    expect(queryObjectName(catalog, 'SELECT Id FROM permissionsetassignment')).to.equal('PermissionSetAssignment');
    const query = parseSoql('SELECT Id, (SELECT Id FROM PermissionSetAssignments) FROM User LIMIT 5');
    expect(query.from.name).to.equal('User');
    expect(query.limit).to.equal(5);
    expect(query.select.map((s) => s.kind)).to.deep.equal(['field', 'subquery']);
    expect(executeSoql(catalog, 'SELECT Id FROM User', { apiVersion: '58.0' }).records[0].attributes).to.deep.equal({
      type: 'User',
      url: `/services/data/v58.0/sobjects/User/${ids.admin}`,
    });
  });
});
