import { expect } from 'chai';
import { SalesforceError } from '../types.js';
import { queryObjectName } from './index.js';
import { failure } from './helpers.js';
import { sampleCatalog } from './testCatalog.js';

const CUSTOM_FIELD_HINT =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

describe('SOQL engine: errors', () => {
  it('INVALID_TYPE for an unknown object, with excerpt, caret and 1-based column', () => {
    const error = failure('SELECT Id FROM Usr');
    expect(error).to.be.instanceOf(SalesforceError);
    expect(error.errorCode).to.equal('INVALID_TYPE');
    expect(error.status).to.equal(400);
    expect(error.message).to.equal(
      "\nSELECT Id FROM Usr\n               ^\nERROR at Row:1:Column:16\nsObject type 'Usr' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
    );
    expect(() => queryObjectName(sampleCatalog(), 'SELECT Id FROM Usr')).to.throw(SalesforceError, "sObject type 'Usr' is not supported");
  });

  it('INVALID_FIELD "No such column" for unknown fields in SELECT, WHERE and ORDER BY, naming the entity of the path', () => {
    const select = failure('SELECT Id, Foo FROM User');
    expect(select.errorCode).to.equal('INVALID_FIELD');
    expect(select.message).to.equal(`\nSELECT Id, Foo FROM User\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'User'. ${CUSTOM_FIELD_HINT}`);
    expect(failure("SELECT Id FROM User WHERE Profile.Nam = 'x'").message).to.match(/Column:35\nNo such column 'Nam' on entity 'Profile'\./);
    expect(failure('SELECT Id FROM User ORDER BY Profile.UserLicense.Foo').message).to.match(/No such column 'Foo' on entity 'UserLicense'\./);
    expect(failure('SELECT Prof.Name FROM User').message).to.match(/Column:8\nNo such column 'Prof' on entity 'User'\./);
    expect(failure('SELECT Owner.Foo FROM Task').message).to.match(/No such column 'Foo' on entity 'Name'\./);
    expect(failure('SELECT Id, (SELECT Foo FROM PermissionSetAssignments) FROM User').message).to.match(
      /No such column 'Foo' on entity 'PermissionSetAssignment'\./
    );
  });

  it('counts rows and columns per line in multi-line queries', () => {
    expect(failure("SELECT Id\nFROM User\nWHERE Nme = 'x'").message).to.equal(
      `\nWHERE Nme = 'x'\n      ^\nERROR at Row:3:Column:7\nNo such column 'Nme' on entity 'User'. ${CUSTOM_FIELD_HINT}`
    );
  });

  it('shows about 30 characters of context either side of the token, widened to whole words', () => {
    const error = failure('SELECT Id, Name, Username, Profile.Name, Profile.UserLicense.Name FROM User WHERE Departmant = null ORDER BY Name');
    expect(error.message.split('\n').slice(1, 3)).to.deep.equal([
      'Profile.UserLicense.Name FROM User WHERE Departmant = null ORDER BY Name',
      '                                         ^',
    ]);
  });

  it('INVALID_TYPE "Didn\'t understand relationship" for an unknown child relationship', () => {
    const error = failure('SELECT Id, (SELECT Id FROM Assignments) FROM User');
    expect(error.errorCode).to.equal('INVALID_TYPE');
    expect(error.message).to.match(/\nERROR at Row:1:Column:28\nDidn't understand relationship 'Assignments' in FROM part of query call\./);
  });

  it('rejects WHERE and ORDER BY on non-filterable fields', () => {
    const where = failure("SELECT Id FROM LoginHistory WHERE Status = 'Success'");
    expect(where.errorCode).to.equal('INVALID_FIELD');
    expect(where.message).to.equal(
      "\nSELECT Id FROM LoginHistory WHERE Status = 'Success'\n                                  ^\nERROR at Row:1:Column:35\nfield 'Status' can not be filtered in a query call"
    );
    expect(failure("SELECT Id FROM LoginHistory WHERE UserId != null AND application IN ('Browser')").message).to.match(
      /field 'Application' can not be filtered in a query call$/
    );
    // Application is Group and Sort but not Filter (Object Reference); a Filter-only field cannot be sorted
    expect(failure('SELECT Id FROM LoginHistory ORDER BY PermissionsX').message).to.match(/field 'PermissionsX' can not be sorted in a query call$/);
    expect(failure("SELECT Id, (SELECT Id FROM LoginHistories WHERE Status = 'x') FROM User").errorCode).to.equal('INVALID_FIELD');
  });

  it('MALFORMED_QUERY "unexpected token" for syntax errors', () => {
    const cases: Array<[string, string]> = [
      ['SELECT Id FROM User WHERE', '\nSELECT Id FROM User WHERE\n                         ^\nERROR at Row:1:Column:26\nunexpected token: <EOF>'],
      ['SELECT Id User', "\nSELECT Id User\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'User'"],
      ['select id from user limit x', "\nselect id from user limit x\n                          ^\nERROR at Row:1:Column:27\nunexpected token: 'x'"],
      ["SELECT Id FROM User WHERE Name # 'a'", "\nSELECT Id FROM User WHERE Name # 'a'\n                               ^\nERROR at Row:1:Column:32\nunexpected token: '#'"],
    ];
    for (const [soql, message] of cases) {
      const error = failure(soql);
      expect(error.errorCode, soql).to.equal('MALFORMED_QUERY');
      expect(error.message, soql).to.equal(message);
    }
    expect(failure("SELECT Id FROM User WHERE Name = 'x' garbage").message).to.match(/unexpected token: 'garbage'$/);
    expect(failure('SELECT Id FROM User WHERE LastLoginDate = SOMEDAY').message).to.match(/unexpected token: 'SOMEDAY'$/);
    expect(failure('SELECT Id FROM User WHERE LastLoginDate = LAST_N_DAYS').message).to.match(/unexpected token: <EOF>$/);
    expect(failure('SELECT Id FROM User ORDER Name').message).to.match(/unexpected token: 'Name'$/);
  });

  it('MALFORMED_QUERY when AND and OR are mixed without parentheses', () => {
    const error = failure("SELECT Id FROM User WHERE IsActive = true AND Name = 'x' OR Name = 'y'");
    expect(error.errorCode).to.equal('MALFORMED_QUERY');
    expect(error.message).to.match(/ERROR at Row:1:Column:58\nunexpected token: 'OR'$/);
    expect(failure("SELECT Id FROM User WHERE Name = 'x' OR Name = 'y' AND IsActive = true").message).to.match(/unexpected token: 'AND'$/);
  });

  it('MALFORMED_QUERY for bad string literals', () => {
    expect(failure("SELECT Id FROM User WHERE Name = 'a\\qb'").message).to.match(
      /Invalid string literal 'a\\qb'\. Illegal character sequence '\\q' in string literal\.$/
    );
    expect(failure("SELECT Id FROM User WHERE Name = 'abc").errorCode).to.equal('MALFORMED_QUERY');
  });

  it('rejects a duplicate field in the select list', () => {
    const error = failure('SELECT Id, Name, name FROM User');
    expect(error.errorCode).to.equal('INVALID_FIELD');
    expect(error.message).to.match(/Column:18\nduplicate field selected: Name$/);
    expect(failure('SELECT Profile.Name, profile.name FROM User').message).to.match(/duplicate field selected: Profile\.Name$/);
  });

  it('NUMBER_OUTSIDE_VALID_RANGE for OFFSET over 2000', () => {
    const error = failure('SELECT Id FROM User OFFSET 2001');
    expect(error.errorCode).to.equal('NUMBER_OUTSIDE_VALID_RANGE');
    expect(error.message).to.match(/Column:28\nMaximum SOQL offset allowed is 2000$/);
  });

  it('rejects literals of the wrong type for the field', () => {
    const cases: Array<[string, string]> = [
      ["IsActive = 'true'", "field 'IsActive' must be of type boolean and should not be enclosed in quotes"],
      ['Name = 5', "field 'Name' must be of type string and should be enclosed in quotes"],
      ["LoginCount__c > '3'", "field 'LoginCount__c' must be of type integer and should not be enclosed in quotes"],
      ['LastLoginDate > 2026-01-01', "field 'LastLoginDate' must be of type dateTime and should not be enclosed in quotes"],
      ['HireDate__c > 2026-01-01T00:00:00Z', "field 'HireDate__c' must be of type date and should not be enclosed in quotes"],
      ["HireDate__c = '2026-01-01'", "field 'HireDate__c' must be of type date and should not be enclosed in quotes"],
    ];
    for (const [where, reason] of cases) {
      const error = failure(`SELECT Id FROM User WHERE ${where}`);
      expect(error.errorCode, where).to.equal('INVALID_FIELD');
      expect(error.message, where).to.match(new RegExp(`value of filter criterion for ${reason}$`));
    }
    expect(failure("SELECT Id FROM User WHERE IsActive LIKE 'x'").message).to.match(/invalid operator on field 'IsActive': LIKE$/);
    expect(failure("SELECT Id FROM User WHERE Name INCLUDES ('x')").message).to.match(/includes or excludes operator only valid on multipicklist field$/);
  });

  it('INVALID_QUERY_FILTER_OPERATOR for a malformed Id', () => {
    const error = failure("SELECT Id FROM User WHERE Id = 'abc'");
    expect(error.errorCode).to.equal('INVALID_QUERY_FILTER_OPERATOR');
    expect(error.message).to.match(/Column:32\ninvalid ID field: abc$/);
    expect(failure("SELECT Id FROM User WHERE ProfileId IN ('00e000000000001AAB')").errorCode).to.equal('INVALID_QUERY_FILTER_OPERATOR');
  });

  it('rejects semi-join sub-selects that do not select exactly one Id field, and nested semi-joins', () => {
    const two = failure('SELECT Id FROM User WHERE Id IN (SELECT AssigneeId, Id FROM PermissionSetAssignment)');
    expect(two.errorCode).to.equal('MALFORMED_QUERY');
    expect(two.message).to.match(/Column:51\nunexpected token: ','$/);
    const name = failure('SELECT Id FROM User WHERE Id IN (SELECT Name FROM PermissionSet)');
    expect(name.errorCode).to.equal('INVALID_FIELD');
    expect(name.message).to.match(/semi join sub-selects can only query id fields, cannot use: 'Name'$/);
    expect(failure("SELECT Id FROM User WHERE Name IN (SELECT Id FROM PermissionSet)").message).to.match(/only supported on Id fields/);
    expect(failure('SELECT Id FROM User WHERE Id IN (SELECT AssigneeId FROM Nope)').errorCode).to.equal('INVALID_TYPE');
    const nested = failure(
      'SELECT Id FROM User WHERE Id IN (SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSetId IN (SELECT Id FROM PermissionSet))'
    );
    expect(nested.message).to.match(/Nesting of semi join sub-selects is not supported$/);
  });

  it('rejects semi-joins under OR and on the outer query\'s own object', () => {
    const or = failure("SELECT Id FROM User WHERE IsActive = false OR Id IN (SELECT AssigneeId FROM PermissionSetAssignment)");
    expect(or.errorCode).to.equal('MALFORMED_QUERY');
    expect(or.message).to.match(/Column:53\nSemi join sub-selects are not allowed with the 'OR' operator$/);
    expect(failure("SELECT Id FROM User WHERE IsActive = false OR (Name = 'x' AND Id NOT IN (SELECT AssigneeId FROM PermissionSetAssignment))").message).to.match(
      /not allowed with the 'OR' operator$/
    );
    const same = failure('SELECT Id FROM User WHERE ManagerId IN (SELECT Id FROM User WHERE IsActive = true)');
    expect(same.errorCode).to.equal('MALFORMED_QUERY');
    expect(same.message).to.match(/The inner and outer selects should not be on the same object type$/);
  });

  it('rejects COUNT() with other columns, in child sub-selects, and ungrouped fields in aggregate queries', () => {
    expect(failure('SELECT Id, (SELECT COUNT() FROM PermissionSetAssignments) FROM User').message).to.match(/Column:20\nunexpected token: 'COUNT'$/);
    expect(failure('SELECT Id, COUNT() FROM User').message).to.match(/Column:12\nCOUNT\(\) must be the only element in the SELECT list\.$/);
    const ungrouped = failure('SELECT Name, COUNT(Id) FROM User GROUP BY UserType');
    expect(ungrouped.errorCode).to.equal('MALFORMED_QUERY');
    expect(ungrouped.message).to.match(/Field must be grouped or aggregated: Name$/);
    expect(failure('SELECT UserType, COUNT(Id) FROM User GROUP BY UserType ORDER BY Name').message).to.match(
      /Ordered field must be grouped or aggregated: Name$/
    );
  });
});
