/**
 * Resolves permission sets and permission set groups (with their component sets) by name: one IN query
 * per object type, whatever the number of names, as a ReadPart to share round trips with other reads.
 * Permission set licenses need no query of their own: licensesRead() has them all.
 */
import { INTEGRATION_PROFILE, INTEGRATION_USER_LICENSE } from '../constants.js';
import { sameId } from '../model/ids.js';
import { str, strOrNull, type ReadPart } from '../read.js';
import { inList, quote } from '../soql.js';

export type CatalogSet = { id: string; name: string; label: string; licenseId: string | null };
export type CatalogGroup = { id: string; name: string; label: string; status: string; components: CatalogSet[] };

export type Catalog = {
  permissionSets: CatalogSet[];
  groups: CatalogGroup[];
  /** By Name, case-insensitive (as SOQL `=` is). */
  findSet(name: string): CatalogSet | undefined;
  /** By DeveloperName, case-insensitive. */
  findGroup(name: string): CatalogGroup | undefined;
};

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The named permission sets and groups (and the groups' component sets). No query for an empty list. */
export function catalogRead(names: { permissionSets: readonly string[]; permissionSetGroups: readonly string[] }): ReadPart<Catalog> {
  const hasSets = names.permissionSets.length > 0;
  const hasGroups = names.permissionSetGroups.length > 0;
  const queries: string[] = [];
  if (hasSets) {
    queries.push(
      `SELECT Id, Name, Label, LicenseId FROM PermissionSet WHERE IsOwnedByProfile = false AND Name IN ${inList(names.permissionSets)}`
    );
  }
  if (hasGroups) {
    const groups = inList(names.permissionSetGroups);
    queries.push(
      `SELECT Id, DeveloperName, MasterLabel, Status FROM PermissionSetGroup WHERE DeveloperName IN ${groups}`,
      `SELECT PermissionSetGroupId, PermissionSetId, PermissionSet.Name, PermissionSet.Label, PermissionSet.LicenseId FROM PermissionSetGroupComponent WHERE PermissionSetGroup.DeveloperName IN ${groups}`
    );
  }
  return {
    queries,
    assemble(rows): Catalog {
      const setRows = hasSets ? rows[0] : [];
      const groupRows = hasGroups ? rows[hasSets ? 1 : 0] : [];
      const componentRows = hasGroups ? rows[hasSets ? 2 : 1] : [];
      const permissionSets = setRows.map((r) => ({
        id: str(r, 'Id'),
        name: str(r, 'Name'),
        label: strOrNull(r, 'Label') ?? str(r, 'Name'),
        licenseId: strOrNull(r, 'LicenseId'),
      }));
      const groups = groupRows.map((r) => ({
        id: str(r, 'Id'),
        name: str(r, 'DeveloperName'),
        label: strOrNull(r, 'MasterLabel') ?? str(r, 'DeveloperName'),
        status: str(r, 'Status'),
        components: componentRows
          .filter((c) => sameId(str(c, 'PermissionSetGroupId'), str(r, 'Id')))
          .map((c) => ({
            id: str(c, 'PermissionSetId'),
            name: strOrNull(c, 'PermissionSet.Name') ?? str(c, 'PermissionSetId'),
            label: strOrNull(c, 'PermissionSet.Label') ?? strOrNull(c, 'PermissionSet.Name') ?? str(c, 'PermissionSetId'),
            licenseId: strOrNull(c, 'PermissionSet.LicenseId'),
          })),
      }));
      return {
        permissionSets,
        groups,
        findSet: (name) => permissionSets.find((s) => same(s.name, name)),
        findGroup: (name) => groups.find((g) => same(g.name, name)),
      };
    },
  };
}

/** Every assignable permission set and group name: read only when a name was not found, for suggestions. */
export type CandidateNames = { permissionSets: string[]; permissionSetGroups: string[] };

export function candidatesRead(): ReadPart<CandidateNames> {
  return {
    queries: [
      'SELECT Name, PermissionSetGroupId FROM PermissionSet WHERE IsOwnedByProfile = false',
      'SELECT DeveloperName FROM PermissionSetGroup',
    ],
    assemble([setRows, groupRows]): CandidateNames {
      return {
        permissionSets: setRows.filter((r) => !strOrNull(r, 'PermissionSetGroupId')).map((r) => str(r, 'Name')),
        permissionSetGroups: groupRows.map((r) => str(r, 'DeveloperName')),
      };
    },
  };
}

export type IntegrationProfile = { id: string; name: string };

/**
 * The profile to give a new user, found through the Salesforce Integration license (not by its translated
 * name): "Minimum Access - API Only Integrations" when present, else the license's first profile. One query.
 */
export function integrationProfileRead(): ReadPart<IntegrationProfile | undefined> {
  return {
    queries: [`SELECT Id, Name FROM Profile WHERE UserLicense.Name = ${quote(INTEGRATION_USER_LICENSE)} ORDER BY Name`],
    assemble([profileRows]): IntegrationProfile | undefined {
      const profiles = profileRows.map((r) => ({ id: str(r, 'Id'), name: str(r, 'Name') }));
      return profiles.find((p) => p.name === INTEGRATION_PROFILE) ?? profiles[0];
    },
  };
}
