import { expect } from 'chai';
import { makeId } from '../ids.js';
import { run } from './helpers.js';
import { ids, sampleCatalog, type TestCatalog } from './testCatalog.js';

const USERS = 10_000;
const PER_USER = 5;
const SETS = 100;

/** 10,000 users and 50,000 assignments over 100 permission sets, on top of the sample data. */
function bigCatalog(): TestCatalog {
  const catalog = sampleCatalog();
  for (let s = 0; s < SETS; s++) {
    catalog.add('PermissionSet', { Id: makeId('0PS', 100 + s), Name: `PS_${s}`, Label: `Set ${s}`, IsOwnedByProfile: false, ProfileId: null, PermissionSetGroupId: null });
  }
  for (let u = 0; u < USERS; u++) {
    const userId = makeId('005', 100 + u);
    const profileId = u % 10 === 0 ? ids.profileApi : ids.profileAdmin;
    catalog.add('User', { Id: userId, Username: `u${u}@example.com`, Name: `User ${u}`, IsActive: u % 2 === 0, ProfileId: profileId });
    for (let k = 0; k < PER_USER; k++) {
      const setId = makeId('0PS', 100 + ((u + k * 7) % SETS));
      catalog.add('PermissionSetAssignment', { Id: makeId('0Pa', 100 + u * PER_USER + k), AssigneeId: userId, PermissionSetId: setId, PermissionSetGroupId: null });
    }
  }
  return catalog;
}

describe('SOQL engine: large catalogs', () => {
  it('joins 10,000 users with 50,000 assignments (semi-join, parent paths, child sub-select, anti-join, COUNT)', () => {
    const catalog = bigCatalog();
    const users = run(
      "SELECT Id, Username, Profile.Name, Profile.UserLicense.Name, (SELECT PermissionSet.Name, PermissionSetGroup.DeveloperName FROM PermissionSetAssignments ORDER BY PermissionSet.Name) FROM User WHERE IsActive = true AND Id IN (SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.Name = 'PS_1') ORDER BY Username",
      catalog
    );
    // PS_1 goes to users with (u + 7k) % 100 == 1 for some k < 5 (u ≡ 1, 94, 87, 80, 73); the even ones are active
    expect(users.totalSize).to.equal((USERS / 100) * 2);
    expect((users.records[0].PermissionSetAssignments as { totalSize: number }).totalSize).to.equal(PER_USER);

    const integration = run(
      "SELECT AssigneeId, PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId IN (SELECT Id FROM User WHERE Profile.UserLicense.Name = 'Salesforce Integration')",
      catalog
    );
    expect(integration.totalSize).to.equal((USERS / 10) * PER_USER + 3);

    expect(run('SELECT COUNT() FROM User WHERE Id NOT IN (SELECT AssigneeId FROM PermissionSetAssignment)', catalog).totalSize).to.equal(2);
    expect(run('SELECT PermissionSet.Name, COUNT(Id) FROM PermissionSetAssignment GROUP BY PermissionSet.Name', catalog).totalSize).to.equal(SETS + 3);
  });
});
