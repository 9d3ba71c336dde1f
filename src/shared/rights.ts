/**
 * The running user's rights: the ONE module that decides what each command needs of the user it runs as.
 *
 * Salesforce lets anyone read their own effective permissions through the `UserPermissionAccess` object
 * (one row; one boolean `Permissions<Name>` field per system permission). We read it with
 * `SELECT FIELDS(STANDARD) FROM UserPermissionAccess`: FIELDS(STANDARD) needs no LIMIT (SOQL reference,
 * "FIELDS()"; API 51.0+), and it never fails on a permission field this org lacks, whereas naming an absent
 * field fails the whole query with INVALID_FIELD. Which `Permissions*` fields exist varies by edition and
 * features, so:
 *   - a right whose field is absent from the answer is **unknown** (`state()` → null), and so is every right
 *     when the object itself could not be read;
 *   - an operation is **refused** (`missingRights`) only when every right that allows it is known to be
 *     off; an operation that no known-held right allows but an unknown one might is **uncertain**
 *     (`uncertainRights`): commands go ahead, say so in one warning, and the org has the last word.
 *
 * Who may do what (Object Reference "Special Access Rules" and Salesforce Help "User Permissions Needed"):
 *   - UserLogin (frozen state): Manage Users. Freezing: Freeze Users or Manage Users.
 *   - PermissionSetAssignment: View Setup and Configuration, Assign Permission Sets, or Manage Users.
 *   - PermissionSetLicenseAssign: View Setup and Configuration or Assign Permission Sets.
 *   - PermissionSet / PermissionSetGroup: View Setup and Configuration or Assign Permission Sets;
 *     PermissionSetGroupComponent and ObjectPermissions: View Setup and Configuration.
 *   - UserLicense and PermissionSetLicense (seats): View Setup and Configuration (strictest plausible reading;
 *     the emulator's README lists it among its unconfirmed choices).
 *   - LoginHistory of other users: Manage Users or Monitor Login History (one's own rows: anyone).
 *   - OauthToken of other users: Customize Application (older doc versions said Manage Users; we follow
 *     the current one); revoking (deleting) a token: Manage Users.
 *   - Creating or editing users: Manage Internal Users or Manage Users.
 *   - Assigning a permission set (or group): Assign Permission Sets.
 *   - Assigning a permission set license: Manage Users.
 *   - Setting or resetting a password: Reset User Passwords and Unlock Users, or Manage Users.
 * Commands never list operations themselves: they ask `needsOf(command)`.
 */
import { Messages, SfError } from '@salesforce/core';
import type { PlatformError } from './api.js';
import type { ReadContext, ReadPart, Row } from './read.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'rights');

/** A system permission, named as its `UserPermissionAccess` field minus the `Permissions` prefix. */
export type Right =
  | 'ManageUsers'
  | 'ManageInternalUsers'
  | 'FreezeUsers'
  | 'ResetPasswords'
  | 'ViewSetup'
  | 'AssignPermissionSets'
  | 'CustomizeApplication'
  | 'MonitorLoginHistory'
  | 'ViewAllUsers'
  | 'ModifyAllData'
  | 'ApiEnabled';

/** Each right's name in Setup, for messages. */
export const RIGHT_LABELS: Readonly<Record<Right, string>> = {
  ManageUsers: 'Manage Users',
  ManageInternalUsers: 'Manage Internal Users',
  FreezeUsers: 'Freeze Users',
  ResetPasswords: 'Reset User Passwords and Unlock Users',
  ViewSetup: 'View Setup and Configuration',
  AssignPermissionSets: 'Assign Permission Sets',
  CustomizeApplication: 'Customize Application',
  MonitorLoginHistory: 'Monitor Login History',
  ViewAllUsers: 'View All Users',
  ModifyAllData: 'Modify All Data',
  ApiEnabled: 'API Enabled',
};

export const ALL_RIGHTS = Object.keys(RIGHT_LABELS) as Right[];

/**
 * Something a command does that needs a right. Other helpers may add entries here (this is the one home):
 * add the name to this union and its rights to OPERATION_RIGHTS, and a `purpose.<op with : as .>` message
 * to messages/rights.md.
 */
export type Operation =
  | 'read:UserLogin'
  | 'read:PermissionSetAssignment'
  | 'read:PermissionSetLicenseAssign'
  | 'read:PermissionSet'
  | 'read:PermissionSetGroup'
  | 'read:PermissionSetGroupComponent'
  | 'read:ObjectPermissions'
  | 'read:UserLicense'
  | 'read:PermissionSetLicense'
  | 'read:LoginHistory:others'
  | 'read:OauthToken:others'
  | 'write:User'
  | 'write:UserLogin'
  | 'write:PermissionSetAssignment'
  | 'write:PermissionSetLicenseAssign'
  | 'delete:OauthToken'
  | 'write:UserPassword';

/** The rights that allow each operation: any one of them is enough. */
export const OPERATION_RIGHTS: Readonly<Record<Operation, readonly Right[]>> = {
  'read:UserLogin': ['ManageUsers'],
  'read:PermissionSetAssignment': ['ViewSetup', 'AssignPermissionSets', 'ManageUsers'],
  'read:PermissionSetLicenseAssign': ['ViewSetup', 'AssignPermissionSets'],
  'read:PermissionSet': ['ViewSetup', 'AssignPermissionSets'],
  'read:PermissionSetGroup': ['ViewSetup', 'AssignPermissionSets'],
  'read:PermissionSetGroupComponent': ['ViewSetup'],
  'read:ObjectPermissions': ['ViewSetup'],
  'read:UserLicense': ['ViewSetup'],
  'read:PermissionSetLicense': ['ViewSetup'],
  'read:LoginHistory:others': ['ManageUsers', 'MonitorLoginHistory'],
  'read:OauthToken:others': ['CustomizeApplication'],
  'write:User': ['ManageUsers', 'ManageInternalUsers'],
  'write:UserLogin': ['ManageUsers', 'FreezeUsers'],
  'write:PermissionSetAssignment': ['AssignPermissionSets'],
  'write:PermissionSetLicenseAssign': ['ManageUsers'],
  'delete:OauthToken': ['ManageUsers'],
  'write:UserPassword': ['ResetPasswords', 'ManageUsers'],
};

export type RunningUserRights = {
  /** False when UserPermissionAccess could not be read at all: every right is then unknown. */
  readonly known: boolean;
  /** true / false, or null when unknown (field absent from this org's UserPermissionAccess, or unreadable). */
  state(right: Right): boolean | null;
  /** Known to hold the right. */
  has(right: Right): boolean;
  /** Known to be allowed the operation (holds one of the rights that allow it). */
  can(op: Operation): boolean;
  /** true: allowed; false: every right that allows it is known to be off; null: can't tell. */
  canState(op: Operation): boolean | null;
  /** Every modelled right and its state, e.g. for a JSON result. */
  summary(): Record<Right, boolean | null>;
};

/** Builds the rights from a UserPermissionAccess row (undefined: the row could not be read). */
export function rightsFromRow(row: Row | undefined): RunningUserRights {
  const state = (right: Right): boolean | null => {
    if (!row) return null;
    const value = row[`Permissions${right}`];
    return typeof value === 'boolean' ? value : null;
  };
  const canState = (op: Operation): boolean | null => {
    const states = OPERATION_RIGHTS[op].map(state);
    if (states.includes(true)) return true;
    return states.every((s) => s === false) ? false : null;
  };
  return {
    known: row !== undefined,
    state,
    has: (right) => state(right) === true,
    can: (op) => canState(op) === true,
    canState,
    summary: () => Object.fromEntries(ALL_RIGHTS.map((r) => [r, state(r)])) as Record<Right, boolean | null>,
  };
}

/** Rights made up from a list of held rights (every other modelled right off): for tests and dry reasoning. */
export function rightsOf(held: readonly Right[]): RunningUserRights {
  return rightsFromRow(Object.fromEntries(ALL_RIGHTS.map((r) => [`Permissions${r}`, held.includes(r)])));
}

export const RIGHTS_QUERY = 'SELECT FIELDS(STANDARD) FROM UserPermissionAccess';

/** How a refusal is worded and when it is made. */
export type RefusalOptions = {
  /** The running user's username, named in the error (default: what the read knows of the connection, else "The running user"). */
  runningUsername?: string;
  /** Whether the command writes at all (words the error); default: whether any needed operation is a write. */
  writes?: boolean;
  /**
   * Refuse only when a needed READ is missing (the reads would fail), then naming every missing operation of
   * `needs`, writes included. A command whose exact writes are known only after reading (create, assign) sets
   * this, passes the writes the run may make in `needs`, and checks the exact ones with assertRights later.
   */
  refuseOnReads?: boolean;
};

/**
 * The running user's rights, as a ReadPart: put it FIRST in the command's first `readParts` call (it adds one
 * query to that round trip, no request). Its own failure never fails the read (rights become unknown).
 * Given `needs`, it refuses: when a required operation is known to be missing it throws
 * missingRightsError naming every missing one, and because readParts assembles answered parts before
 * reporting failed queries, the user sees which permission is missing instead of the raw error of a read it
 * would have allowed.
 */
export function rightsRead(needs?: CommandNeeds | readonly Operation[], options: RefusalOptions = {}): ReadPart<RunningUserRights> {
  return {
    queries: [RIGHTS_QUERY],
    optional: [0],
    assemble([rows], failures?: ReadonlyArray<PlatformError | undefined>, context?: ReadContext): RunningUserRights {
      const rights = rightsFromRow(failures?.[0] ? undefined : rows[0]);
      if (needs) {
        const required = isNeeds(needs) ? needs.required : needs;
        const missing = missingRights(rights, required);
        const refuse = options.refuseOnReads ? missing.some((m) => !isWrite(m.operation)) : missing.length > 0;
        if (refuse) {
          throw missingRightsError(missing, options.runningUsername ?? context?.runningUsername, options.writes ?? required.some(isWrite));
        }
      }
      return rights;
    },
  };
}

/** Refuses (missingRightsError) when any of `ops` is known to be missing; for writes known only after the first read. */
export function assertRights(rights: RunningUserRights, ops: readonly Operation[], runningUsername?: string): void {
  const missing = missingRights(rights, ops);
  if (missing.length > 0) throw missingRightsError(missing, runningUsername, true);
}

/** A write or delete (as opposed to a read). */
export function isWrite(op: Operation): boolean {
  return !op.startsWith('read:');
}

export type MissingRight = { operation: Operation; anyOf: Right[]; purpose: string };

/** The operations (in order, de-duplicated) the running user is known not to be allowed, with why each is needed. */
export function missingRights(rights: RunningUserRights, ops: readonly Operation[]): MissingRight[] {
  return unique(ops)
    .filter((op) => rights.canState(op) === false)
    .map(describe);
}

/** The operations whose rights could not be told (field absent or UserPermissionAccess unreadable). */
export function uncertainRights(rights: RunningUserRights, ops: readonly Operation[]): MissingRight[] {
  return unique(ops)
    .filter((op) => rights.canState(op) === null)
    .map(describe);
}

/** What an operation is needed for, in words ("to read which users are frozen"). */
export function purposeOf(op: Operation): string {
  return messages.getMessage(`purpose.${op.replace(/:/g, '.')}`);
}

/** `Manage Users` or `View Setup and Configuration, Assign Permission Sets or Manage Users`. */
export function rightsText(anyOf: readonly Right[]): string {
  const labels = anyOf.map((r) => RIGHT_LABELS[r]);
  return labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

/**
 * One error naming every missing permission and what it is needed for, with the action to take.
 * Exit code 1 (could not run); nothing was written. `writes`: whether the command writes at all (a read-only
 * command's refusal doesn't speak of writing); default: whether a missing operation is a write.
 */
export function missingRightsError(missing: readonly MissingRight[], runningUsername?: string, writes?: boolean): SfError {
  const lines = bulletLines(missing);
  // What to ask for: the first (most usual) right named for each operation, de-duplicated.
  const ask = unique(missing.map((m) => m.anyOf[0]));
  const askText = rightsText(ask).replace(/ or ([^,]+)$/, ' and $1');
  const key = (writes ?? missing.some((m) => isWrite(m.operation))) ? 'error.MissingRights' : 'error.MissingRightsReadOnly';
  // One error name for every refusal, read-only or not.
  const error = new SfError(
    messages.getMessage(key, [runningUsername || messages.getMessage('runningUser'), lines]),
    'MissingRightsError',
    messages.getMessages(`${key}.actions`, [askText])
  );
  error.setData({ missingRights: missing.map((m) => ({ operation: m.operation, anyOf: m.anyOf, purpose: m.purpose })) });
  error.exitCode = 1;
  return error;
}

/** One warning for operations whose rights could not be told (empty string when there are none). */
export function uncertainRightsWarning(uncertain: readonly MissingRight[]): string {
  if (uncertain.length === 0) return '';
  const lines = bulletLines(uncertain);
  return messages.getMessage('warning.UncertainRights', [lines]);
}

// ---------------------------------------------------------------------------------------------------------
// What each command needs

/** `required`: refused before any read is trusted or any write is made; `optional`: the command degrades (and says so). */
export type CommandNeeds = { required: readonly Operation[]; optional: readonly Operation[] };

export type CommandName = 'list' | 'create' | 'assign' | 'audit' | 'generate app';

/** What a run grants: decides whether assigning sets/groups and PSLs is needed. Omitted: everything. */
export type GrantKinds = {
  permissionSets: boolean;
  permissionSetLicenses: boolean;
  /** create only: the run creates or updates the User record (default true; false: converging an existing user's grants). */
  userRecord?: boolean;
};

const GRANT_READS: readonly Operation[] = [
  'read:PermissionSetAssignment',
  'read:PermissionSetLicenseAssign',
  'read:PermissionSet',
  'read:PermissionSetGroup',
];

const AUDIT_READS: readonly Operation[] = [
  'read:PermissionSetAssignment',
  'read:PermissionSetLicenseAssign',
  'read:PermissionSet',
  'read:PermissionSetGroup',
  'read:PermissionSetGroupComponent',
  'read:ObjectPermissions',
  'read:UserLicense',
  'read:PermissionSetLicense',
  'read:UserLogin',
  'read:LoginHistory:others',
  'read:OauthToken:others',
];

/** The per-command table (with every grant kind); use needsOf for a run's exact needs. */
export const COMMAND_NEEDS: Readonly<Record<CommandName, CommandNeeds>> = {
  // Lists users and their grants; without Manage Users the frozen state is shown as unknown.
  list: { required: ['read:PermissionSetAssignment', 'read:PermissionSetLicenseAssign'], optional: ['read:UserLogin'] },
  // Creates the user (or converges on it) and assigns its PSLs and sets/groups; --dry-run needs the same.
  create: {
    required: ['write:User', ...GRANT_READS, 'write:PermissionSetLicenseAssign', 'write:PermissionSetAssignment'],
    optional: ['read:UserLogin'],
  },
  // Adds the missing grants of existing users; --dry-run needs the same.
  assign: {
    required: [...GRANT_READS, 'write:PermissionSetLicenseAssign', 'write:PermissionSetAssignment'],
    optional: ['read:UserLogin'],
  },
  // Read-only: a read it cannot make marks exactly the rules that need it as not evaluated.
  audit: { required: [], optional: AUDIT_READS },
  // Checks the run-as user and its API Only permission set before writing local files.
  'generate app': { required: [], optional: ['read:PermissionSetAssignment', 'read:PermissionSet', 'read:UserLogin'] },
};

/**
 * What one run of a command needs. For create and assign, `grants` narrows the writes: no permission set
 * license to assign → no Manage Users for it; no set/group → no Assign Permission Sets; create converging an
 * existing user without touching its record → no Manage Users or Manage Internal Users for the User write.
 * Before the first read a command passes the most the run may write (with rightsRead's refuseOnReads);
 * once its plan is known, the exact kinds (with assertRights).
 */
export function needsOf(command: CommandName, grants?: GrantKinds): CommandNeeds {
  const needs = COMMAND_NEEDS[command];
  if (!grants || (command !== 'create' && command !== 'assign')) return needs;
  return {
    required: needs.required.filter(
      (op) =>
        (op !== 'write:PermissionSetLicenseAssign' || grants.permissionSetLicenses) &&
        (op !== 'write:PermissionSetAssignment' || grants.permissionSets) &&
        (op !== 'write:User' || grants.userRecord !== false)
    ),
    optional: needs.optional,
  };
}

function bulletLines(items: readonly MissingRight[]): string {
  return items.map((m) => `- ${messages.getMessage('missing.line', [rightsText(m.anyOf), m.purpose])}`).join('\n');
}

function isNeeds(value: CommandNeeds | readonly Operation[]): value is CommandNeeds {
  return !Array.isArray(value);
}

function describe(op: Operation): MissingRight {
  return { operation: op, anyOf: [...OPERATION_RIGHTS[op]], purpose: purposeOf(op) };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
