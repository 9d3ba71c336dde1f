/**
 * The audit's reads, by name: what each one takes of the running user (its rights.ts operations). Rules
 * declare the reads they need (rule.ts); the collector marks a rule "not evaluated" when one of them could
 * not be made, naming the permission.
 */
import type { Operation } from '../rights.js';

export type ReadName =
  | 'licenses'
  | 'permissionSets'
  | 'groupComponents'
  | 'objectAccess'
  | 'assignments'
  | 'pslAssignments'
  | 'frozen'
  | 'logins'
  | 'oauthTokens';

/**
 * The operations each read performs (rights.ts says which rights allow each). `ownRowsWithoutRight`: Salesforce answers a user without the right with their own rows only, not an error,
 * so those reads are judged by the rights alone.
 */
export const READS: Readonly<Record<ReadName, { operations: readonly Operation[]; ownRowsWithoutRight?: true }>> = {
  licenses: { operations: ['read:UserLicense', 'read:PermissionSetLicense'] },
  permissionSets: { operations: ['read:PermissionSet'] },
  groupComponents: { operations: ['read:PermissionSetGroupComponent'] },
  objectAccess: { operations: ['read:ObjectPermissions'] },
  assignments: { operations: ['read:PermissionSetAssignment', 'read:PermissionSetGroup'] },
  pslAssignments: { operations: ['read:PermissionSetLicenseAssign'] },
  frozen: { operations: ['read:UserLogin'] },
  logins: { operations: ['read:LoginHistory:others'], ownRowsWithoutRight: true },
  oauthTokens: { operations: ['read:OauthToken:others'], ownRowsWithoutRight: true },
};
