/**
 * The emulator's data store: records by object (the objects of an OrgModel), an Id index, Id serials per key
 * prefix, computed fields, read-only generated rows, and an undo journal (savepoint / rollbackTo) so
 * composite and collection requests can roll back without trace.
 */
import { makeId } from './ids.js';
import type { ComputedFields, OrgModel } from './model.js';
import type { SObjectDef, SoqlCatalog, SRecord } from './types.js';

/**
 * Read-only rows of one object kept outside the tables (e.g. a large generated LoginHistory volume, stored in
 * columns): never journaled; `scan` may reuse one row object (SoqlCatalog.scan).
 */
export type GeneratedRows = {
  readonly size: number;
  row(index: number): SRecord;
  scan(): Iterable<SRecord>;
  byId(id: string): SRecord | undefined;
};

type JournalEntry =
  | { kind: 'insert'; type: string; record: SRecord }
  | { kind: 'update'; record: SRecord; previous: Record<string, unknown> }
  | { kind: 'delete'; type: string; record: SRecord; index: number };

export class Db implements SoqlCatalog {
  private readonly tables = new Map<string, SRecord[]>();
  private readonly index = new Map<string, { type: string; record: SRecord }>();
  private readonly serials = new Map<string, number>();
  private readonly byName = new Map<string, SObjectDef>();
  private readonly byKeyPrefix = new Map<string, SObjectDef>();
  private readonly computed: ComputedFields | undefined;
  private readonly computedInputs: Set<string>;
  /** Generated rows by object name (addGeneratedRows). */
  private readonly generated = new Map<string, GeneratedRows>();
  /** Objects of this org that differ from the schema (absent fields). */
  private readonly variants = new Map<string, SObjectDef>();
  private journal: JournalEntry[] = [];
  private computedStale = true;
  private changes = 0;

  public constructor(model: Pick<OrgModel, 'objects' | 'computed'>) {
    for (const def of model.objects) {
      this.tables.set(def.name, []);
      this.byName.set(def.name.toLowerCase(), def);
      this.byKeyPrefix.set(def.keyPrefix, def);
    }
    this.computed = model.computed;
    this.computedInputs = new Set(model.computed?.inputs ?? []);
  }

  /** The object as this org has it (case-insensitive name): without the fields `setAbsentFields` removed. */
  public describe(objectName: string): SObjectDef | undefined {
    const def = this.schemaDef(objectName);
    return def ? (this.variants.get(def.name) ?? def) : undefined;
  }

  /** The object whose key prefix starts the Id (or is the 3-character prefix), as this org has it. */
  public byPrefix(idOrPrefix: string): SObjectDef | undefined {
    const def = this.byKeyPrefix.get(idOrPrefix.slice(0, 3));
    return def ? (this.variants.get(def.name) ?? def) : undefined;
  }

  /** Every object, as this org has it (in the model's order). */
  public objects(): SObjectDef[] {
    return [...this.byName.values()].map((def) => this.variants.get(def.name) ?? def);
  }

  /**
   * Org variant: these `Object.Field` names do not exist in this org (describe, SOQL and DML see the object
   * without them). Throws for an unknown object or field, and for `Id`.
   */
  public setAbsentFields(names: readonly string[]): void {
    const byObject = new Map<string, Set<string>>();
    for (const name of names) {
      const [objectName, fieldName, ...rest] = name.trim().split('.');
      const def = this.schemaDef(objectName ?? '');
      const field = def && fieldName ? def.fields.find((f) => f.name.toLowerCase() === fieldName.toLowerCase()) : undefined;
      if (!def || !field || rest.length > 0 || field.name === 'Id') throw new Error(`absent field must be Object.Field naming an emulated field other than Id, got "${name}"`);
      const set = byObject.get(def.name) ?? new Set<string>();
      set.add(field.name);
      byObject.set(def.name, set);
    }
    this.variants.clear();
    for (const [objectName, absent] of byObject) {
      const def = this.schemaDef(objectName) as SObjectDef;
      this.variants.set(def.name, { ...def, fields: def.fields.filter((f) => !absent.has(f.name)) });
    }
  }

  /** Every record of the object; with generated rows this builds every one of them (tests only: queries use `scan`). */
  public records(objectName: string): readonly SRecord[] {
    this.refreshComputed();
    const def = this.schemaDef(objectName);
    const table = def ? (this.tables.get(def.name) ?? []) : [];
    const generated = def ? this.generated.get(def.name) : undefined;
    if (!generated) return table;
    return [...table, ...Array.from({ length: generated.size }, (_, i) => generated.row(i))];
  }

  /** The records as an iterable; generated rows may come through one reused row object (SoqlCatalog.scan). */
  public *scan(objectName: string): Generator<SRecord> {
    this.refreshComputed();
    const def = this.schemaDef(objectName);
    if (!def) return;
    yield* this.tables.get(def.name) ?? [];
    const generated = this.generated.get(def.name);
    if (generated) yield* generated.scan();
  }

  /** How many records the object has (without building generated rows). */
  public count(objectName: string): number {
    const def = this.schemaDef(objectName);
    if (!def) return 0;
    return (this.tables.get(def.name)?.length ?? 0) + (this.generated.get(def.name)?.size ?? 0);
  }

  public byId(id: string): { type: string; record: SRecord } | undefined {
    this.refreshComputed();
    const found = this.index.get(id.slice(0, 15));
    if (found || this.generated.size === 0) return found;
    const def = this.byKeyPrefix.get(id.slice(0, 3));
    const row = def ? this.generated.get(def.name)?.byId(id) : undefined;
    return row && def ? { type: def.name, record: row } : undefined;
  }

  /**
   * Adds read-only generated rows to `type` (never journaled, one set per object); `make` gets the first Id
   * serial they may use, and their Ids follow the stored ones.
   */
  public addGeneratedRows(type: string, make: (firstSerial: number) => GeneratedRows): void {
    const def = this.definition(type);
    const first = (this.serials.get(def.keyPrefix) ?? 0) + 1;
    const rows = make(first);
    this.generated.set(def.name, rows);
    this.serials.set(def.keyPrefix, first + rows.size - 1);
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
    if (this.computedInputs.has(type)) this.computedStale = true;
  }

  /** The model's definition (without this org's absent fields). */
  private schemaDef(name: string): SObjectDef | undefined {
    return this.byName.get(name.toLowerCase());
  }

  private definition(type: string): SObjectDef {
    const def = this.schemaDef(type);
    if (!def) throw new Error(`unknown object ${type}`);
    return def;
  }

  private table(type: string): SRecord[] {
    const table = this.tables.get(type);
    if (!table) throw new Error(`unknown object ${type}`);
    return table;
  }

  private refreshComputed(): void {
    if (!this.computedStale) return;
    this.computedStale = false;
    this.computed?.refresh(this);
  }
}
