/**
 * Login volume (`loginsPerUser`): generated LoginHistory rows kept in columns (typed arrays plus a small
 * table of login kinds) instead of one object per row, so a million rows cost tens of MB. Queries scan them
 * through one reused row object whose fields are computed from the columns on read (see Db.scan).
 */
import type { Db } from '../core/db.js';
import { makeId } from '../core/ids.js';
import { loginKindFields, UI_LOGIN } from './seedBuilder.js';
import type { SRecord } from '../core/types.js';
import { markTransient } from '../core/types.js';

const DAY = 86_400_000;
const WINDOW_DAYS = 90;
const KEY_PREFIX = '0Ya';
const BODY_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The LoginHistory fields other than Id, UserId and LoginTime, shared by every row of one kind. */
export type LoginKindFields = Record<string, unknown>;

export type LoginPlan = { userId: string; count: number; end: number; kinds: LoginKindFields[] };

/** Generated LoginHistory rows in columns. Ids are consecutive serials from `firstSerial`. */
export class LoginColumns {
  public readonly size: number;
  private readonly users: string[] = [];
  private readonly kinds: LoginKindFields[] = [];
  private readonly userOf: Uint32Array;
  private readonly kindOf: Uint16Array;
  private readonly timeOf: Float64Array;
  private readonly fieldNames: string[];

  /** Rows of each plan, spread evenly (with a deterministic jitter) over the 90 days ending at `end`. */
  public constructor(
    plans: LoginPlan[],
    public readonly firstSerial: number,
    now: number
  ) {
    this.size = plans.reduce((n, p) => n + p.count, 0);
    this.userOf = new Uint32Array(this.size);
    this.kindOf = new Uint16Array(this.size);
    this.timeOf = new Float64Array(this.size);
    const kindIndex = new Map<string, number>();
    let row = 0;
    for (const plan of plans) {
      const user = this.users.push(plan.userId) - 1;
      const indexes = plan.kinds.map((k) => {
        const key = JSON.stringify(k);
        let index = kindIndex.get(key);
        if (index === undefined) {
          index = this.kinds.push(k) - 1;
          kindIndex.set(key, index);
        }
        return index;
      });
      const start = now - WINDOW_DAYS * DAY;
      const span = Math.max(0, plan.end - start);
      const step = span / Math.max(1, plan.count);
      for (let k = 0; k < plan.count; k++) {
        // newest first: row k sits k steps before the end, moved back by up to half a step
        const jitter = ((Math.imul(row + 1, 2_654_435_761) >>> 0) / 4_294_967_296) * step * 0.5;
        this.userOf[row] = user;
        this.kindOf[row] = indexes[k % indexes.length];
        this.timeOf[row] = Math.floor(plan.end - k * step - jitter);
        row++;
      }
    }
    this.fieldNames = [...new Set(this.kinds.flatMap((k) => Object.keys(k)))];
  }

  /** Row `i` as a stored-record-shaped object of its own. */
  public row(i: number): SRecord {
    const kind = this.kinds[this.kindOf[i]];
    return { Id: makeId(KEY_PREFIX, this.firstSerial + i), UserId: this.users[this.userOf[i]], LoginTime: new Date(this.timeOf[i]).toISOString(), ...kind };
  }

  /** Every row through ONE reused object (a plain object re-filled per row; Id computed on read); copy it (`{...row}`) to keep a row. */
  public *scan(): Generator<SRecord> {
    let i = 0;
    const firstSerial = this.firstSerial;
    const row: Record<string, unknown> = { UserId: null, LoginTime: null };
    for (const name of this.fieldNames) row[name] = null;
    Object.defineProperty(row, 'Id', { get: () => makeId(KEY_PREFIX, firstSerial + i), enumerable: true });
    markTransient(row);
    // only the fields that differ between kinds change from row to row
    const varying = this.fieldNames.filter((name) => this.kinds.some((k) => k[name] !== this.kinds[0][name]));
    if (this.kinds.length > 0) Object.assign(row, this.kinds[0]);
    let kind = 0;
    for (; i < this.size; i++) {
      row.UserId = this.users[this.userOf[i]];
      row.LoginTime = new Date(this.timeOf[i]).toISOString();
      if (this.kindOf[i] !== kind) {
        kind = this.kindOf[i];
        const fields = this.kinds[kind];
        for (const name of varying) row[name] = fields[name];
      }
      yield row as SRecord;
    }
  }

  /** Row by Id, or undefined when the Id is not one of these rows. */
  public byId(id: string): SRecord | undefined {
    if (!id.startsWith(KEY_PREFIX)) return undefined;
    let serial = 0;
    for (const c of id.slice(4, 15)) {
      const digit = BODY_CHARS.indexOf(c);
      if (digit < 0) return undefined;
      serial = serial * 62 + digit;
    }
    const i = serial - this.firstSerial;
    return i >= 0 && i < this.size ? this.row(i) : undefined;
  }
}

/** Fields of a stored LoginHistory row that are not its kind. */
const OWN_FIELDS = new Set(['Id', 'UserId', 'LoginTime']);

export type VolumeSource = {
  users: readonly SRecord[];
  /** Existing (seeded) LoginHistory rows: each user's kinds of login are taken from its own rows. */
  logins: readonly SRecord[];
  /** Whether the user is an integration user (see loginPlans). */
  isIntegration(user: SRecord, ownLogins: readonly SRecord[]): boolean;
  /** Kinds for a user without seeded rows. */
  defaultKind(integration: boolean, user: SRecord): LoginKindFields;
};

/**
 * `perUser` rows for every active integration user, `floor(perUser / 10)` for every active human, spread over
 * the 90 days before the user's LastLoginDate (none when it is empty or older than 90 days), cycling through
 * the kinds of login (application, type, …) the user's seeded rows already have.
 */
export function loginPlans(source: VolumeSource, perUser: number, now: number): LoginPlan[] {
  const byUser = new Map<string, SRecord[]>();
  for (const row of source.logins) {
    const key = String(row.UserId).slice(0, 15);
    const list = byUser.get(key);
    if (list) list.push(row);
    else byUser.set(key, [row]);
  }
  const plans: LoginPlan[] = [];
  for (const user of source.users) {
    if (user.IsActive !== true || typeof user.LastLoginDate !== 'string') continue;
    const end = Math.min(now, Date.parse(user.LastLoginDate));
    if (end <= now - WINDOW_DAYS * DAY) continue;
    const own = byUser.get(user.Id.slice(0, 15)) ?? [];
    const integration = source.isIntegration(user, own);
    const count = integration ? perUser : Math.floor(perUser / 10);
    if (count === 0) continue;
    const kinds = new Map<string, LoginKindFields>();
    for (const row of own) {
      const kind: LoginKindFields = {};
      for (const [name, value] of Object.entries(row)) if (!OWN_FIELDS.has(name)) kind[name] = value;
      kinds.set(JSON.stringify(kind), kind);
    }
    if (kinds.size === 0) kinds.set('', source.defaultKind(integration, user));
    plans.push({ userId: user.Id, count, end, kinds: [...kinds.values()] });
  }
  return plans;
}

/**
 * Adds `perUser` generated logins per integration user (a tenth per human) to the store (loginPlans).
 * Integration user: its profile is on the Salesforce Integration license, it holds API Only User (profile or
 * an assigned set), or it has logged in through OAuth.
 */
export function seedLoginVolume(db: Db, perUser: number, now: Date): void {
  const profiles = new Map(db.records('Profile').map((p) => [p.Id, p]));
  const licenses = new Map(db.records('UserLicense').map((l) => [l.Id, l]));
  const apiOnlySets = new Set(db.records('PermissionSet').filter((s) => s.PermissionsApiUserOnly === true).map((s) => s.Id));
  const apiOnlyUsers = new Set(
    db.records('PermissionSetAssignment').filter((a) => apiOnlySets.has(String(a.PermissionSetId))).map((a) => String(a.AssigneeId).slice(0, 15))
  );
  const isIntegration = (user: SRecord, own: readonly SRecord[]): boolean => {
    const profile = profiles.get(String(user.ProfileId));
    const license = licenses.get(String(profile?.UserLicenseId));
    return (
      license?.Name === 'Salesforce Integration' ||
      profile?.PermissionsApiUserOnly === true ||
      apiOnlyUsers.has(user.Id.slice(0, 15)) ||
      own.some((l) => l.LoginType !== 'Application')
    );
  };
  const defaultKind = (integration: boolean, user: SRecord): LoginKindFields =>
    loginKindFields(integration ? { type: 'Remote Access 2.0', subType: 'OauthClientCredentials', application: String(user.LastName) } : UI_LOGIN);
  const plans = loginPlans({ users: db.records('User'), logins: db.records('LoginHistory'), isIntegration, defaultKind }, perUser, now.getTime());
  db.addGeneratedRows('LoginHistory', (first) => new LoginColumns(plans, first, now.getTime()));
}
