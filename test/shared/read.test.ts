import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import { licensesRead } from '../../src/shared/licenses.js';
import { lifecycleUsersRead } from '../../src/shared/lifecycle/users.js';
import { bool, children, field, num, str, strOrNull, type Row } from '../../src/shared/read.js';

/** A row as the org answers it: every record (and nested relationship record) carries its `attributes`. */
const user: Row = {
  attributes: { type: 'User', url: '/services/data/v66.0/sobjects/User/005000000000001AAA' },
  Id: '005000000000001AAA',
  Name: 'Billing Sync',
  IsActive: true,
  IsFrozen: 'true',
  LastLoginDate: null,
  Count: 3,
  Zero: 0,
  Profile: {
    attributes: { type: 'Profile' },
    Name: 'Minimum Access - API Only Integrations',
    UserLicense: { attributes: { type: 'UserLicense' }, Name: 'Salesforce Integration' },
  },
  Manager: null,
  PermissionSetAssignments: {
    totalSize: 1,
    done: true,
    records: [{ attributes: { type: 'PermissionSetAssignment' }, Id: '0Pa000000000001AAA' }],
  },
  Logins: null,
};

function decodeFailure(run: () => unknown): Error & { actions?: string[] } {
  try {
    run();
  } catch (error) {
    if (error instanceof SfError) return error as Error & { actions?: string[] };
    throw error;
  }
  throw new Error('expected a decode error, got a value');
}

describe('read: typed row decoding', () => {
  describe('str', () => {
    it('returns a string field, flat and along a relationship path', () => {
      expect(str(user, 'Id')).to.equal('005000000000001AAA');
      expect(str(user, 'Profile.UserLicense.Name')).to.equal('Salesforce Integration');
    });

    it('keeps an empty string (a value, not an absence)', () => {
      expect(str({ Name: '' }, 'Name')).to.equal('');
    });

    it('throws a decode error naming the object and field when the field is absent — never "undefined"', () => {
      const error = decodeFailure(() => str(user, 'Email'));
      expect(error.name).to.equal('RowDecodeError');
      expect(error.message).to.include('User.Email').and.include('absent').and.not.include('undefined');
      expect(error.actions?.join(' ')).to.include('--api-version');
    });

    it('throws when the field is null, or a record on its path is null or absent', () => {
      expect(decodeFailure(() => str(user, 'LastLoginDate')).message).to.include('User.LastLoginDate').and.include('null');
      expect(decodeFailure(() => str(user, 'Manager.Name')).message).to.include('User.Manager.Name');
      expect(decodeFailure(() => str(user, 'Owner.Name')).message).to.include('User.Owner.Name').and.include('absent');
    });

    it('throws when the value is not a string, saying what it is', () => {
      expect(decodeFailure(() => str(user, 'Count')).message).to.include('User.Count').and.include('a number');
      expect(decodeFailure(() => str(user, 'IsActive')).message).to.include('a boolean');
      expect(decodeFailure(() => str(user, 'Profile')).message).to.include('a record');
    });

    it('names the field alone when the row carries no attributes', () => {
      const error = decodeFailure(() => str({ Id: 1 }, 'Id'));
      expect(error.message).to.include(' Id should be a string but is a number');
    });

    it('does not fail on a row that is not an object', () => {
      expect(decodeFailure(() => str(undefined, 'Id')).message).to.include('Id').and.include('absent');
      expect(decodeFailure(() => str('text', 'length')).message).to.include('absent');
    });
  });

  describe('strOrNull', () => {
    it('returns the string, or null for absent, null, a null record on the path, or a non-string', () => {
      expect(strOrNull(user, 'Profile.Name')).to.equal('Minimum Access - API Only Integrations');
      expect(strOrNull(user, 'Email')).to.equal(null);
      expect(strOrNull(user, 'LastLoginDate')).to.equal(null);
      expect(strOrNull(user, 'Manager.Name')).to.equal(null);
      expect(strOrNull(user, 'Count')).to.equal(null);
      expect(strOrNull(null, 'Name')).to.equal(null);
    });
  });

  describe('bool', () => {
    it('is true only for true', () => {
      expect(bool(user, 'IsActive')).to.equal(true);
      expect(bool({ IsActive: false }, 'IsActive')).to.equal(false);
      expect(bool(user, 'IsFrozen'), 'the string "true" is not true').to.equal(false);
      expect(bool(user, 'LastLoginDate')).to.equal(false);
      expect(bool(user, 'Missing')).to.equal(false);
      expect(bool(user, 'Manager.IsActive')).to.equal(false);
      expect(bool({ Flag: 1 }, 'Flag')).to.equal(false);
    });
  });

  describe('num', () => {
    it('returns a number (0 included), or null when absent, null or not a number', () => {
      expect(num(user, 'Count')).to.equal(3);
      expect(num(user, 'Zero')).to.equal(0);
      expect(num(user, 'Missing')).to.equal(null);
      expect(num(user, 'LastLoginDate')).to.equal(null);
      expect(num({ expr0: '3' }, 'expr0')).to.equal(null);
    });
  });

  describe('children', () => {
    it('returns the records of a child subquery, [] when the org answers null', () => {
      expect(children(user, 'PermissionSetAssignments').map((r) => str(r, 'Id'))).to.deep.equal(['0Pa000000000001AAA']);
      expect(children(user, 'Logins')).to.deep.equal([]);
      expect(children(user, 'Missing')).to.deep.equal([]);
    });
  });

  describe('field (untyped, kept for callers not converted yet)', () => {
    it('reads a nested value as it is, null when absent', () => {
      expect(field(user, 'Profile', 'UserLicense', 'Name')).to.equal('Salesforce Integration');
      expect(field(user, 'Manager', 'Name')).to.equal(null);
      expect(field<number>(user, 'Count')).to.equal(3);
      expect(field(undefined, 'Id')).to.equal(null);
    });
  });

  describe('in a module\'s read part', () => {
    it('a row without a required field fails the read naming it, instead of an "undefined" Id', () => {
      const broken = [[{ attributes: { type: 'UserLicense' }, Name: 'Salesforce Integration', Status: 'Active', TotalLicenses: 5, UsedLicenses: 1 }], []];
      const error = decodeFailure(() => licensesRead().assemble(broken));
      expect(error.name).to.equal('RowDecodeError');
      expect(error.message).to.include('UserLicense.Id should be a string but is absent');
    });

    it('optional fields stay null and checkboxes false, as before', () => {
      const [user] = lifecycleUsersRead(['a@b.c']).assemble([
        [{ attributes: { type: 'User' }, Id: '005000000000001AAA', Username: 'a@b.c', Name: null, IsActive: null, ProfileId: '00e000000000001AAA', Profile: null }],
        [],
      ]);
      expect(user).to.include({ name: '', isActive: false, isFrozen: false, loginId: null, profileName: null, userLicense: null, userLicenseId: null });
    });
  });
});
