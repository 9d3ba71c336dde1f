/**
 * The org's user licenses and permission set licenses (seats included), and which permission sets a
 * Salesforce Integration user can hold (docs/platform-facts.md §2).
 */
import { API_INTEGRATION_PSL, INTEGRATION_USER_LICENSE } from './constants.js';
import { id15 } from './model/ids.js';
import { num, str, strOrNull, type ReadPart, type Row } from './read.js';

export type Seats = { total: number; used: number; available: number };

export type UserLicense = { id: string; name: string; label: string; status: string; seats: Seats };
export type PermissionSetLicense = {
  id: string;
  developerName: string;
  label: string;
  status: string;
  expirationDate: string | null;
  seats: Seats;
};

export type Licenses = {
  userLicenses: UserLicense[];
  permissionSetLicenses: PermissionSetLicense[];
  /** The Salesforce Integration user license, if the org has it. */
  integrationLicense: UserLicense | undefined;
  /** The Salesforce API Integration permission set license, if the org has it. */
  apiIntegrationPsl: PermissionSetLicense | undefined;
  /** A PermissionSet.LicenseId's target: a user license or a permission set license. */
  byId(id: string): { kind: 'userLicense'; license: UserLicense } | { kind: 'psl'; license: PermissionSetLicense } | undefined;
  /** A PSL by DeveloperName or label (case-insensitive, as SOQL `=` is). */
  findPsl(nameOrLabel: string): PermissionSetLicense | undefined;
};

function seats(row: Row): Seats {
  const total = num(row, 'TotalLicenses') ?? 0;
  const used = num(row, 'UsedLicenses') ?? 0;
  return { total, used, available: Math.max(0, total - used) };
}

/** Both license objects in full: a few dozen rows at most in any org. */
export function licensesRead(): ReadPart<Licenses> {
  return {
    queries: [
      'SELECT Id, Name, MasterLabel, Status, TotalLicenses, UsedLicenses FROM UserLicense',
      'SELECT Id, DeveloperName, MasterLabel, Status, ExpirationDate, TotalLicenses, UsedLicenses FROM PermissionSetLicense',
    ],
    assemble([userLicenseRows, pslRows]): Licenses {
      const userLicenses = userLicenseRows.map((r) => ({
        id: str(r, 'Id'),
        name: str(r, 'Name'),
        label: strOrNull(r, 'MasterLabel') ?? str(r, 'Name'),
        status: str(r, 'Status'),
        seats: seats(r),
      }));
      const permissionSetLicenses = pslRows.map((r) => ({
        id: str(r, 'Id'),
        developerName: str(r, 'DeveloperName'),
        label: str(r, 'MasterLabel'),
        status: str(r, 'Status'),
        expirationDate: strOrNull(r, 'ExpirationDate'),
        seats: seats(r),
      }));
      const index = new Map<string, ReturnType<Licenses['byId']>>();
      for (const license of userLicenses) index.set(id15(license.id), { kind: 'userLicense', license });
      for (const license of permissionSetLicenses) index.set(id15(license.id), { kind: 'psl', license });
      const findPsl = (nameOrLabel: string): PermissionSetLicense | undefined => {
        const wanted = nameOrLabel.toLowerCase();
        return permissionSetLicenses.find(
          (p) => p.developerName.toLowerCase() === wanted || p.label.toLowerCase() === wanted
        );
      };
      return {
        userLicenses,
        permissionSetLicenses,
        integrationLicense: userLicenses.find((l) => l.name === INTEGRATION_USER_LICENSE),
        apiIntegrationPsl: findPsl(API_INTEGRATION_PSL.developerName) ?? findPsl(API_INTEGRATION_PSL.label),
        byId: (id) => index.get(id15(id)),
        findPsl,
      };
    },
  };
}

/**
 * The one home for license fit: whether a permission set with this `LicenseId` can be assigned to a user
 * on the user license named `userLicense` (for a Salesforce Integration user, INTEGRATION_USER_LICENSE):
 * no license, or the user's own user license → yes; a permission set license → yes, once the user holds
 * that PSL (`requiresPsl`); any other user license, or a license the org doesn't have → never (a set's
 * license cannot be changed). See docs/platform-facts.md §2.
 */
export type IntegrationFit =
  | { ok: true; requiresPsl?: PermissionSetLicense }
  | { ok: false; licenseName: string };

export function licenseFit(licenseId: string | null, userLicense: string | null, licenses: Licenses): IntegrationFit {
  if (!licenseId) return { ok: true };
  const target = licenses.byId(licenseId);
  if (!target) return { ok: false, licenseName: licenseId };
  if (target.kind === 'psl') return { ok: true, requiresPsl: target.license };
  return target.license.name === userLicense ? { ok: true } : { ok: false, licenseName: target.license.name };
}
