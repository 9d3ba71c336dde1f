import { expect } from 'chai';
import { INTEGRATION_USER_LICENSE } from '../../src/shared/constants.js';
import { licenseFit, type Licenses, type PermissionSetLicense, type UserLicense } from '../../src/shared/licenses.js';
import { sameId } from '../../src/shared/model/ids.js';

const seats = { total: 5, used: 1, available: 4 };
const integration: UserLicense = { id: '100000000000001AAA', name: INTEGRATION_USER_LICENSE, label: 'Salesforce Integration', status: 'Active', seats };
const salesforce: UserLicense = { id: '100000000000002AAA', name: 'Salesforce', label: 'Salesforce', status: 'Active', seats };
const psl: PermissionSetLicense = {
  id: '0PL000000000001AAA',
  developerName: 'SalesforceAPIIntegrationPsl',
  label: 'Salesforce API Integration',
  status: 'Active',
  expirationDate: null,
  seats,
};

const licenses: Licenses = {
  userLicenses: [integration, salesforce],
  permissionSetLicenses: [psl],
  integrationLicense: integration,
  apiIntegrationPsl: psl,
  byId: (id) => {
    const user = [integration, salesforce].find((l) => sameId(l.id, id));
    if (user) return { kind: 'userLicense', license: user };
    return sameId(psl.id, id) ? { kind: 'psl', license: psl } : undefined;
  },
  findPsl: () => undefined,
};

describe('licenseFit', () => {
  it('a set with no license fits any user', () => {
    expect(licenseFit(null, INTEGRATION_USER_LICENSE, licenses)).to.deep.equal({ ok: true });
    expect(licenseFit(null, 'Salesforce', licenses)).to.deep.equal({ ok: true });
    expect(licenseFit(null, null, licenses)).to.deep.equal({ ok: true });
  });

  it("a set on the user's own user license fits (15- or 18-character LicenseId)", () => {
    expect(licenseFit(integration.id, INTEGRATION_USER_LICENSE, licenses)).to.deep.equal({ ok: true });
    expect(licenseFit(salesforce.id.slice(0, 15), 'Salesforce', licenses)).to.deep.equal({ ok: true });
  });

  it('a set on another user license never fits, and names that license', () => {
    expect(licenseFit(salesforce.id, INTEGRATION_USER_LICENSE, licenses)).to.deep.equal({ ok: false, licenseName: 'Salesforce' });
    expect(licenseFit(integration.id, 'Salesforce', licenses)).to.deep.equal({ ok: false, licenseName: INTEGRATION_USER_LICENSE });
    expect(licenseFit(salesforce.id, null, licenses)).to.deep.equal({ ok: false, licenseName: 'Salesforce' });
  });

  it('a set on a permission set license fits once the user holds that PSL', () => {
    expect(licenseFit(psl.id, INTEGRATION_USER_LICENSE, licenses)).to.deep.equal({ ok: true, requiresPsl: psl });
    expect(licenseFit(psl.id, 'Salesforce', licenses)).to.deep.equal({ ok: true, requiresPsl: psl });
  });

  it("a license the org doesn't have never fits, and is named by its Id", () => {
    expect(licenseFit('100000000000009AAA', INTEGRATION_USER_LICENSE, licenses)).to.deep.equal({ ok: false, licenseName: '100000000000009AAA' });
  });
});
