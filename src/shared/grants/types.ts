/** Vocabulary shared by the grant modules (create and assign). */

/** What the caller asked for, by name: PSL DeveloperName or label, permission set Name, group DeveloperName. */
export type GrantNames = {
  permissionSetLicenses: string[];
  permissionSets: string[];
  permissionSetGroups: string[];
};

export type GrantType = 'permissionSetLicense' | 'permissionSet' | 'permissionSetGroup';

/** One grant resolved against the org. */
export type ResolvedGrant = {
  type: GrantType;
  /** PermissionSetLicense, PermissionSet or PermissionSetGroup Id. */
  id: string;
  /** DeveloperName (PSL, group) or Name (permission set). */
  name: string;
  label: string;
  /** A PSL added because a permission set (or a group's component) needs it: that set's name. */
  neededBy?: string;
};

/** A grant in a user's plan: to add, or already held. */
export type PlannedGrant = ResolvedGrant & { status: 'add' | 'present' };

/** One problem found by validation: what is wrong and what to do about it. */
export type Problem = { message: string; actions: string[] };

export function emptyGrantNames(): GrantNames {
  return { permissionSetLicenses: [], permissionSets: [], permissionSetGroups: [] };
}
