import { expect } from 'chai';
import { column, run } from './helpers.js';
import { ids, sampleCatalog } from './testCatalog.js';

const names = (where: string): unknown[] => column(run(`SELECT Name FROM User WHERE ${where} ORDER BY Name`), 'Name');

const ADA = 'Ada Admin';
const IVY = 'Ivy Integration';
const OLLY = "Olly O'Brien";
const PAT = 'Pat 100% Plain';

describe('SOQL engine: WHERE', () => {
  it('compares with = != <> < <= > >= on numbers', () => {
    expect(names('LoginCount__c = 3')).to.deep.equal([IVY]);
    expect(names('LoginCount__c != 3')).to.deep.equal([ADA, OLLY, PAT]);
    expect(names('LoginCount__c <> 3')).to.deep.equal([ADA, OLLY, PAT]);
    expect(names('LoginCount__c < 3')).to.deep.equal([OLLY]);
    expect(names('LoginCount__c <= 3')).to.deep.equal([IVY, OLLY]);
    expect(names('LoginCount__c > 7')).to.deep.equal([ADA]);
    expect(names('LoginCount__c >= 7.0')).to.deep.equal([ADA, PAT]);
  });

  it('compares strings case-insensitively, treats \'\' as no value, and != matches nulls', () => {
    expect(names("Department = 'it'")).to.deep.equal([ADA]);
    expect(names("Department != 'IT'")).to.deep.equal([IVY, OLLY, PAT]);
    expect(names("Department = ''")).to.deep.equal([IVY]);
    expect(names("Department > 'Sales'")).to.deep.equal([OLLY]);
  });

  it('handles null comparisons and booleans', () => {
    expect(names('Department = null')).to.deep.equal([IVY]);
    expect(names('Department != NULL')).to.deep.equal([ADA, OLLY, PAT]);
    expect(names('IsActive = false')).to.deep.equal([OLLY]);
    expect(names('IsActive != TRUE')).to.deep.equal([OLLY]);
  });

  it('supports IN and NOT IN lists (case-insensitive, nulls not in)', () => {
    expect(names("UserType IN ('guest')")).to.deep.equal([PAT]);
    expect(names("Department IN ('IT', 'SALES')")).to.deep.equal([ADA, PAT]);
    expect(names("Department NOT IN ('IT', 'Sales')")).to.deep.equal([IVY, OLLY]);
    expect(names('LoginCount__c IN (0, 3)')).to.deep.equal([IVY, OLLY]);
  });

  it('supports LIKE with % and _ (case-insensitive) and escaped \\% \\_', () => {
    expect(names("Name LIKE 'i%'")).to.deep.equal([IVY]);
    expect(names("Name LIKE '%AdMiN'")).to.deep.equal([ADA]);
    expect(names("Username LIKE '___@example.com'")).to.deep.equal([IVY, OLLY]);
    expect(names("Name LIKE '%100\\%%'")).to.deep.equal([PAT]);
    expect(names("Name LIKE '%1_0\\%%'")).to.deep.equal([PAT]);
    expect(names("Department LIKE 'Sales\\_%'")).to.deep.equal([OLLY]);
    expect(names("Department LIKE 'Sales_'")).to.deep.equal([]);
  });

  it('decodes string escapes (\\\' \\\\ \\n \\")', () => {
    expect(names("Name = 'Olly O\\'Brien'")).to.deep.equal([OLLY]);
    const catalog = sampleCatalog();
    catalog.add('Task', { Id: '00T000000000099', Subject: 'a\\b\n"c"', OwnerId: null });
    expect(column(run("SELECT Subject FROM Task WHERE Subject = 'a\\\\b\\n\\\"c\\\"'", catalog), 'Subject')).to.deep.equal(['a\\b\n"c"']);
  });

  it('supports INCLUDES and EXCLUDES on multi-select picklists', () => {
    expect(names("Channels__c INCLUDES ('phone')")).to.deep.equal([ADA, PAT]);
    expect(names("Channels__c INCLUDES ('Email;Phone', 'Api')")).to.deep.equal([ADA, IVY]);
    expect(names("Channels__c INCLUDES ('Api;Phone')")).to.deep.equal([]);
    expect(names("Channels__c EXCLUDES ('Phone')")).to.deep.equal([IVY, OLLY]);
    expect(names("Channels__c = 'phone;email'")).to.deep.equal([ADA]);
  });

  it('combines AND, OR and NOT with parentheses', () => {
    expect(names("IsActive = true AND (Department = 'IT' OR Department = null)")).to.deep.equal([ADA, IVY]);
    expect(names("(IsActive = false OR UserType = 'Guest') AND LoginCount__c < 5")).to.deep.equal([OLLY]);
    expect(names("NOT Department = 'IT'")).to.deep.equal([IVY, OLLY, PAT]);
    expect(names("NOT (IsActive = true AND LoginCount__c > 5) AND Name != null")).to.deep.equal([IVY, OLLY]);
    expect(names("IsActive = true AND LoginCount__c > 1 AND UserType = 'Standard'")).to.deep.equal([ADA, IVY]);
  });

  it('accepts 15- and 18-character Ids for Id and reference fields', () => {
    expect(names(`Id = '${ids.admin.slice(0, 15)}'`)).to.deep.equal([ADA]);
    expect(names(`Id IN ('${ids.admin}', '${ids.plain.slice(0, 15)}')`)).to.deep.equal([ADA, PAT]);
    expect(names(`ProfileId = '${ids.profileAdmin.slice(0, 15)}'`)).to.deep.equal([ADA, OLLY]);
    expect(names(`ManagerId != '${ids.admin}'`)).to.deep.equal([ADA, PAT]);
  });

  it('filters on parent paths of any depth', () => {
    expect(names("Profile.UserLicense.Name = 'salesforce integration'")).to.deep.equal([IVY]);
    expect(names("Profile.UserLicense.Name != 'Salesforce Integration'")).to.deep.equal([ADA, OLLY, PAT]);
    expect(names("Manager.Manager.Name = 'Ada Admin'")).to.deep.equal([PAT]);
  });

  it('compares datetimes with datetime literals (Z and offsets) and dates with date literals', () => {
    expect(names('LastLoginDate > 2026-03-14T23:59:58Z')).to.deep.equal([IVY]);
    expect(names('LastLoginDate >= 2026-03-15T00:59:59+01:00')).to.deep.equal([IVY]);
    expect(names('LastLoginDate < 2026-03-14T18:59:59-05:00')).to.deep.equal([ADA, PAT]);
    expect(names('LastLoginDate = 2026-03-14T23:59:59.000Z')).to.deep.equal([IVY]);
    expect(names('HireDate__c = 2026-03-01')).to.deep.equal([IVY]);
    expect(names('HireDate__c < 2020-05-01')).to.deep.equal([OLLY]);
    expect(names('HireDate__c <= 2020-05-01')).to.deep.equal([ADA, OLLY]);
  });

  it('evaluates relative date literals against options.now in UTC', () => {
    // now = 2026-03-15T12:00:00Z
    expect(names('LastLoginDate = YESTERDAY')).to.deep.equal([IVY]);
    expect(names('LastLoginDate = TODAY')).to.deep.equal([]);
    expect(names('LastLoginDate < TODAY')).to.deep.equal([ADA, IVY, PAT]);
    expect(names('LastLoginDate = LAST_N_DAYS:5')).to.deep.equal([ADA, IVY]);
    expect(names('LastLoginDate = LAST_N_DAYS:1')).to.deep.equal([IVY]);
    expect(names('LastLoginDate = N_DAYS_AGO:5')).to.deep.equal([ADA]);
    expect(names('LastLoginDate < N_DAYS_AGO:5')).to.deep.equal([PAT]);
    expect(names('LastLoginDate = LAST_N_MONTHS:2')).to.deep.equal([PAT]);
    expect(names('HireDate__c = LAST_N_DAYS:14')).to.deep.equal([IVY]);
    expect(names('HireDate__c = THIS_MONTH')).to.deep.equal([IVY]);
    const future = sampleCatalog();
    expect(names('LastLoginDate = NEXT_N_DAYS:3')).to.deep.equal([]);
    expect(column(run('SELECT Name FROM User WHERE LastLoginDate = NEXT_N_DAYS:3', future, new Date('2026-03-12T20:00:00Z')), 'Name')).to.deep.equal([IVY]);
    expect(column(run('SELECT Name FROM User WHERE LastLoginDate = TOMORROW', future, new Date('2026-03-13T20:00:00Z')), 'Name')).to.deep.equal([IVY]);
  });

  it('semi-joins: Id IN (SELECT AssigneeId …) and reference IN (SELECT Id …), evaluated against the sub-select', () => {
    expect(names("Id IN (SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.Name = 'Read_Only')")).to.deep.equal([ADA, IVY]);
    const psas = run("SELECT Id FROM PermissionSetAssignment WHERE AssigneeId IN (SELECT Id FROM User WHERE Profile.UserLicense.Name = 'Salesforce Integration') ORDER BY Id");
    expect(column(psas, 'Id')).to.deep.equal([ids.psaIntApi, ids.psaIntRead, ids.psaIntGroup]);
  });

  it('anti-joins: NOT IN (SELECT …)', () => {
    expect(names('Id NOT IN (SELECT AssigneeId FROM PermissionSetAssignment)')).to.deep.equal([OLLY, PAT]);
    expect(names("IsActive = true AND Id NOT IN (SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.IsOwnedByProfile = true)")).to.deep.equal([ADA, PAT]);
  });
});
