/**
 * The emulator's data store: records by object, an Id index, Id serials per key prefix, computed fields,
 * and an undo journal (savepoint / rollbackTo) so composite and collection requests can roll back without trace.
 */
import { makeId } from './ids.js';
import { LoginColumns, type LoginPlan } from './logins.js';
import { objectDef, OBJECTS } from './schema.js';
import type { SObjectDef, SoqlCatalog, SRecord } from './types.js';

/** Objects whose changes alter the computed seat counts. */
const SEAT_INPUTS = new Set(['User', 'Profile', 'UserLicense', 'PermissionSetLicense', 'PermissionSetLicenseAssign']);

type JournalEntry =
  | { kind: 'insert'; type: string; record: SRecord }
  | { kind: 'update'; record: SRecord; previous: Record<string, unknown> }
  | { kind: 'delete'; type: string; record: SRecord; index: number };

export class Db implements SoqlCatalog {
  private readonly tables = new Map<string, SRecord[]>();
  private readonly index = new Map<string, { type: string; record: SRecord }>();
  private readonly serials = new Map<string, number>();
  /** Generated LoginHistory volume (loginsPerUser), in columns. */
  private logins: LoginColumns | undefined;
  /** Objects of this org that differ from the schema (absent fields). */
  private readonly variants = new Map<string, SObjectDef>();
  private journal: JournalEntry[] = [];
  private computedStale = true;
  private changes = 0;

  public constructor() {
    for (const def of OBJECTS) this.tables.set(def.name, []);
  }

  /** The object as this org has it: without the fields `setAbsentFields` removed. */
  public describe(objectName: string): SObjectDef | undefined {
    const def = objectDef(objectName);
    return def ? (this.variants.get(def.name) ?? def) : undefined;
  }

  /**
   * Org variant: these `Object.Field` names do not exist in this org (describe, SOQL and DML see the object
   * without them). Throws for an unknown object or field, and for `Id`.
   */
  public setAbsentFields(names: readonly string[]): void {
    const byObject = new Map<string, Set<string>>();
    for (const name of names) {
      const [objectName, fieldName, ...rest] = name.trim().split('.');
      const def = objectDef(objectName ?? '');
      const field = def && fieldName ? def.fields.find((f) => f.name.toLowerCase() === fieldName.toLowerCase()) : undefined;
      if (!def || !field || rest.length > 0 || field.name === 'Id') throw new Error(`absent field must be Object.Field naming an emulated field other than Id, got "${name}"`);
      const set = byObject.get(def.name) ?? new Set<string>();
      set.add(field.name);
      byObject.set(def.name, set);
    }
    this.variants.clear();
    for (const [objectName, absent] of byObject) {
      const def = objectDef(objectName) as SObjectDef;
      this.variants.set(def.name, { ...def, fields: def.fields.filter((f) => !absent.has(f.name)) });
    }
  }

  /** Every record of the object; for LoginHistory with generated volume this builds every row (tests only: queries use `scan`). */
  public records(objectName: string): readonly SRecord[] {
    this.refreshComputed();
    const def = objectDef(objectName);
    const table = def ? (this.tables.get(def.name) ?? []) : [];
    if (def?.name !== 'LoginHistory' || !this.logins) return table;
    const generated = this.logins;
    return [...table, ...Array.from({ length: generated.size }, (_, i) => generated.row(i))];
  }

  /** The records as an iterable; generated LoginHistory rows come through one reused row object (SoqlCatalog.scan). */
  public *scan(objectName: string): Generator<SRecord> {
    this.refreshComputed();
    const def = objectDef(objectName);
    if (!def) return;
    yield* this.tables.get(def.name) ?? [];
    if (def.name === 'LoginHistory' && this.logins) yield* this.logins.scan();
  }

  /** How many records the object has (without building generated rows). */
  public count(objectName: string): number {
    const def = objectDef(objectName);
    if (!def) return 0;
    return (this.tables.get(def.name)?.length ?? 0) + (def.name === 'LoginHistory' ? (this.logins?.size ?? 0) : 0);
  }

  public byId(id: string): { type: string; record: SRecord } | undefined {
    this.refreshComputed();
    const found = this.index.get(id.slice(0, 15));
    if (found || !this.logins) return found;
    const login = this.logins.byId(id);
    return login ? { type: 'LoginHistory', record: login } : undefined;
  }

  /** Adds generated LoginHistory volume (read-only rows, never journaled); their Ids follow the stored ones. */
  public addLoginVolume(plans: LoginPlan[], now: number): void {
    const def = this.definition('LoginHistory');
    const first = (this.serials.get(def.keyPrefix) ?? 0) + 1;
    this.logins = new LoginColumns(plans, first, now);
    this.serials.set(def.keyPrefix, first + this.logins.size - 1);
  }

  /** Stores a new record of `type` (canonical name) with the next Id of its key prefix; returns it. */
  public insert(type: string, fields: Record<string, unknown>): SRecord {
    const def = this.definition(type);
    const serial = (this.serials.get(def.keyPrefix) ?? 0) + 1;
    this.serials.set(def.keyPrefix, serial);
    const record: SRecord = { ...fields, Id: makeId(def.keyPrefix, serial) };
    this.table(def.name).push(record);
    this.index.set(record.Id.slice(0, 15), { type: def.name, record });
    this.journal.push({ kind: 'insert', type: def.name, record });
    this.touch(def.name);
    return record;
  }

  /** Sets fields on a stored record (in place, so every holder sees the change). */
  public update(record: SRecord, fields: Record<string, unknown>): void {
    const previous: Record<string, unknown> = {};
    for (const key of Object.keys(fields)) previous[key] = record[key];
    Object.assign(record, fields);
    this.journal.push({ kind: 'update', record, previous });
    this.touch(this.index.get(record.Id.slice(0, 15))?.type ?? '');
  }

  public delete(id: string): void {
    const found = this.index.get(id.slice(0, 15));
    if (!found) return;
    const table = this.table(found.type);
    const at = table.indexOf(found.record);
    table.splice(at, 1);
    this.index.delete(id.slice(0, 15));
    this.journal.push({ kind: 'delete', type: found.type, record: found.record, index: at });
    this.touch(found.type);
  }

  /** A mark to roll back to. */
  public savepoint(): number {
    return this.journal.length;
  }

  /** Undoes every change made after `mark` (Id serials keep advancing, as on the platform). */
  public rollbackTo(mark: number): void {
    while (this.journal.length > mark) {
      const entry = this.journal.pop() as JournalEntry;
      if (entry.kind === 'insert') {
        const table = this.table(entry.type);
        table.splice(table.lastIndexOf(entry.record), 1);
        this.index.delete(entry.record.Id.slice(0, 15));
      } else if (entry.kind === 'update') {
        for (const [key, value] of Object.entries(entry.previous)) {
          if (value === undefined) delete entry.record[key];
          else entry.record[key] = value;
        }
      } else {
        this.table(entry.type).splice(entry.index, 0, entry.record);
        this.index.set(entry.record.Id.slice(0, 15), { type: entry.type, record: entry.record });
      }
    }
    this.computedStale = true;
    this.changes++;
  }

  /** Forgets the journal (end of a request: nothing left to roll back). */
  public commit(): void {
    this.journal = [];
  }

  /** Changes with every write and rollback (for caches of derived facts, e.g. the running user's rights). */
  public get generation(): number {
    return this.changes;
  }

  private touch(type: string): void {
    this.changes++;
    if (SEAT_INPUTS.has(type)) this.computedStale = true;
  }

  private definition(type: string): SObjectDef {
    const def = objectDef(type);
    if (!def) throw new Error(`unknown object ${type}`);
    return def;
  }

  private table(type: string): SRecord[] {
    const table = this.tables.get(type);
    if (!table) throw new Error(`unknown object ${type}`);
    return table;
  }

  /**
   * Seat counts: `UserLicense.UsedLicenses` = active users whose profile is on the license;
   * `PermissionSetLicense.UsedLicenses` = assignments held by active users.
   */
  private refreshComputed(): void {
    if (!this.computedStale) return;
    this.computedStale = false;
    const profileLicense = new Map<string, string>();
    for (const p of this.table('Profile')) profileLicense.set(p.Id, String(p.UserLicenseId));
    const activeUsers = new Set<string>();
    const usedByLicense = new Map<string, number>();
    for (const u of this.table('User')) {
      if (u.IsActive !== true) continue;
      activeUsers.add(u.Id);
      const license = profileLicense.get(String(u.ProfileId));
      if (license) usedByLicense.set(license, (usedByLicense.get(license) ?? 0) + 1);
    }
    for (const l of this.table('UserLicense')) l.UsedLicenses = usedByLicense.get(l.Id) ?? 0;
    const usedByPsl = new Map<string, number>();
    for (const a of this.table('PermissionSetLicenseAssign')) {
      if (!activeUsers.has(String(a.AssigneeId))) continue;
      const psl = String(a.PermissionSetLicenseId);
      usedByPsl.set(psl, (usedByPsl.get(psl) ?? 0) + 1);
    }
    for (const l of this.table('PermissionSetLicense')) l.UsedLicenses = usedByPsl.get(l.Id) ?? 0;
  }
}
