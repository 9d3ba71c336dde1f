/**
 * Reads and validates an integrations spec (YAML or JSON, one parser for both so both give the same spec),
 * reporting every problem at once with file, line, column, key and what is expected. The rules are those
 * of the committed JSON Schema `schemas/integration-spec.json` (kept in agreement by a test), plus what a
 * schema cannot say: unique names, secret-like keys anywhere, record Ids, real calendar dates.
 */
import { readFile } from 'node:fs/promises';
import { Messages, SfError } from '@salesforce/core';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import {
  DEFAULT_FIELDS,
  ENVIRONMENT_KEYS,
  GRANT_KEYS,
  INTEGRATION_KEYS,
  TOP_KEYS,
  USER_FIELDS,
  type GrantKey,
  type IntegrationBody,
  type Spec,
  type SpecEnvironment,
  type SpecGrant,
  type SpecIntegration,
  type SpecPlace,
  type SpecProblem,
  type UserFieldKey,
} from './types.js';
import { countOf } from '../model/count.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
export const messages = Messages.loadMessages('plugin-integration-user', 'spec');

export type { SpecProblem } from './types.js';

/**
 * deferProblems (plan and apply): a spec whose problems leave it readable (the YAML parses to a map) is
 * returned with them in `problems`, for the plan to report with the ones it finds against the org, all at
 * once. Without it (every other caller) any problem throws.
 */
export type LoadOptions = { deferProblems?: boolean };

/** A key that looks like it would hold a credential. */
const SECRET_KEY = /(pass(word|wd|phrase)?|secret|token|credential|private.?key|api.?key|consumer.?key|client.?key|pwd)$/i;
/** A Salesforce record Id of the kinds a spec could be tempted to hold (user, set, PSL, group, profile, assignment, org). */
const RECORD_ID = /^(005|0PS|0PL|0PG|00e|0Pa|2LA|00D|0Hn)[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SUFFIX = /^[A-Za-z0-9._-]+$/;

type AnyNode = Node | null | undefined;

/** Reads `file` and returns the validated spec; throws one SfError listing every problem. */
export async function loadSpec(file: string, options: LoadOptions = {}): Promise<Spec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw messages.createError('error.SpecUnreadable', [file, (e as Error).message]);
  }
  return parseSpec(text, file, options);
}

/** Parses and validates spec text (`file` names it in errors); throws one SfError listing every problem. */
export function parseSpec(text: string, file: string, options: LoadOptions = {}): Spec {
  const { spec, partial, problems } = checkSpec(text, file);
  if (problems.length > 0 && options.deferProblems && partial) return { ...partial, problems };
  if (problems.length > 0 || !spec) throw specError(file, problems);
  return spec;
}

/** The error listing every problem as `file:line:column: key: message`. */
export function specError(file: string, problems: readonly SpecProblem[]): SfError {
  const bullets = problems.map((p) => specBullet(file, p)).join('\n');
  return messages.createError('error.SpecInvalid', [file, countOf(problems.length, 'problem'), bullets]);
}

/** One problem as the bullet `- file:line:column: key: message`. */
export function specBullet(file: string, p: SpecProblem): string {
  return `- ${file}:${p.line}:${p.column}: ${p.key ? `${p.key}: ` : ''}${p.message}`;
}

/**
 * Parses and validates without throwing: the spec (when valid), every problem found, and the partial spec
 * (values with a problem left out) when the text parses to a map.
 */
export function checkSpec(text: string, file: string): { spec?: Spec; partial?: Spec; problems: SpecProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, strict: true });
  const problems: SpecProblem[] = [];
  const at = (node: AnyNode | Pair | undefined): { line: number; column: number } => {
    const range = node && 'range' in node ? node.range : node && 'key' in node ? (node.key as Node | null)?.range : undefined;
    const pos = lineCounter.linePos(range?.[0] ?? 0);
    return { line: pos.line, column: pos.col };
  };
  const place = (node: AnyNode | Pair | undefined, key: string): SpecPlace => ({ ...at(node), key });
  const report = (node: AnyNode | Pair | undefined, key: string, id: string, tokens: Array<string | number> = []): void => {
    problems.push({ ...at(node), key, message: messages.getMessage(`problem.${id}`, tokens) });
  };

  for (const error of doc.errors) {
    const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
    problems.push({ line: pos.line, column: pos.col, key: '', message: messages.getMessage('problem.Syntax', [error.message.split(' at line ')[0]]) });
  }
  if (problems.length > 0) return { problems };

  const root = doc.contents;
  if (!isMap(root)) {
    report(root, '', 'NotAMap', ['the spec', describe(root)]);
    return { problems };
  }

  // Secret-like keys and record Ids, anywhere in the document, before any shape check.
  const secretPairs = new Set<Pair>();
  const scan = (node: AnyNode, path: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyOf(pair);
        const here = path ? `${path}.${key}` : key;
        if (SECRET_KEY.test(key)) {
          secretPairs.add(pair);
          report(pair, here, 'SecretKey', [key]);
        } else scan(pair.value as AnyNode, here);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => scan(item as AnyNode, `${path}[${i}]`));
    } else if (isScalar(node) && typeof node.value === 'string' && RECORD_ID.test(node.value.trim())) {
      report(node, path, 'RecordId', [node.value]);
    }
  };
  scan(root, '');

  const str = (node: AnyNode, key: string, what = 'a non-empty string'): string | undefined => {
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value.trim();
    report(node, key, 'Type', [what, describe(node)]);
    return undefined;
  };

  const mapPairs = (node: AnyNode, key: string, allowed: readonly string[], what: string): Pair[] | undefined => {
    if (!isMap(node)) {
      report(node, key, 'NotAMap', [what, describe(node)]);
      return undefined;
    }
    const pairs: Pair[] = [];
    for (const pair of node.items) {
      if (secretPairs.has(pair)) continue;
      const name = keyOf(pair);
      if (!allowed.includes(name)) report(pair, key ? `${key}.${name}` : name, 'UnknownKey', [name, allowed.join(', ')]);
      else pairs.push(pair);
    }
    return pairs;
  };

  const grants = (node: AnyNode, key: string, type: GrantKey): SpecGrant[] | undefined => {
    if (!isSeq(node)) {
      report(node, key, 'Type', [type === 'permissionSets' ? 'a list of names or {name, reason, expires}' : 'a list of names', describe(node)]);
      return undefined;
    }
    const list: SpecGrant[] = [];
    const seen = new Map<string, number>();
    node.items.forEach((item, i) => {
      const here = `${key}[${i}]`;
      let grant: SpecGrant | undefined;
      if (type === 'permissionSets' && isMap(item)) {
        const pairs = mapPairs(item, here, ['name', 'reason', 'expires'], 'a permission set');
        if (!pairs) return;
        const byKey = new Map(pairs.map((p) => [keyOf(p), p]));
        const nameNode = byKey.get('name')?.value as AnyNode;
        if (!byKey.has('name')) report(item, here, 'Required', ['name', 'the permission set API name']);
        const name = byKey.has('name') ? str(nameNode, `${here}.name`) : undefined;
        const reasonPair = byKey.get('reason');
        const reason = reasonPair ? str(reasonPair.value as AnyNode, `${here}.reason`) : undefined;
        const expiresPair = byKey.get('expires');
        const expires = expiresPair ? date(expiresPair.value as AnyNode, `${here}.expires`) : undefined;
        if (name) grant = { name, ...(nameNode ? place(nameNode, `${here}.name`) : place(item, here)), ...(reason ? { reason } : {}), ...(expires ? { expires } : {}) };
      } else {
        const name = str(item as AnyNode, here, type === 'permissionSets' ? 'a name or {name, reason, expires}' : 'a name');
        if (name) grant = { name, ...place(item as AnyNode, here) };
      }
      if (!grant) return;
      const first = seen.get(grant.name.toLowerCase());
      if (first !== undefined) report(item as AnyNode, here, 'DuplicateGrant', [grant.name, first]);
      else {
        seen.set(grant.name.toLowerCase(), grant.line);
        list.push(grant);
      }
    });
    return list;
  };

  const date = (node: AnyNode, key: string): string | undefined => {
    const value = isScalar(node) && (typeof node.value === 'string' || node.value instanceof Date) ? String(node.value instanceof Date ? node.value.toISOString().slice(0, 10) : node.value).trim() : undefined;
    const m = value ? DATE.exec(value) : null;
    if (m) {
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      if (d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])) return value;
    }
    report(node, key, 'BadDate', [isScalar(node) ? String(node.value) : describe(node)]);
    return undefined;
  };

  const userFieldKeys = Object.keys(USER_FIELDS) as UserFieldKey[];
  const bodyKeys = [...INTEGRATION_KEYS.filter((k) => k !== 'name'), ...userFieldKeys, ...GRANT_KEYS];

  /** An integration body's keys (name handled by the caller). */
  const body = (pairs: readonly Pair[], key: string): IntegrationBody => {
    const out: IntegrationBody = { fields: {} };
    for (const pair of pairs) {
      const name = keyOf(pair);
      const value = pair.value as AnyNode;
      const here = `${key}.${name}`;
      if (name === 'name') continue;
      out.at = { ...out.at, [name]: place(value, here) };
      if (name === 'username' || name === 'owner') {
        const v = str(value, here);
        if (v) out[name] = v;
      } else if (name === 'apiIntegrationPsl') {
        if (isScalar(value) && typeof value.value === 'boolean') out.apiIntegrationPsl = value.value;
        else report(value, here, 'Type', ['true or false', describe(value)]);
      } else if (name === 'state') {
        const v = isScalar(value) ? value.value : undefined;
        if (v === 'present' || v === 'inactive' || v === 'absent') out.state = v;
        else report(value, here, 'BadState', [isScalar(value) ? String(v) : describe(value)]);
      } else if ((GRANT_KEYS as readonly string[]).includes(name)) {
        const list = grants(value, here, name as GrantKey);
        if (list) out[name as GrantKey] = list;
      } else {
        const v = str(value, here);
        if (v) out.fields[name as UserFieldKey] = v;
      }
    }
    return out;
  };

  const top = mapPairs(root, '', TOP_KEYS, 'the spec') ?? [];
  const topByKey = new Map(top.map((p) => [keyOf(p), p]));

  const versionPair = topByKey.get('version');
  if (!versionPair) report(root, 'version', 'Required', ['version', 'version: 1']);
  else if (!(isScalar(versionPair.value) && versionPair.value.value === 1)) {
    report(versionPair.value as AnyNode, 'version', 'BadVersion', [isScalar(versionPair.value) ? String(versionPair.value.value) : describe(versionPair.value as AnyNode)]);
  }

  const defaults: Spec['defaults'] = {};
  const defaultsPair = topByKey.get('defaults');
  if (defaultsPair) {
    for (const pair of mapPairs(defaultsPair.value as AnyNode, 'defaults', DEFAULT_FIELDS, 'defaults') ?? []) {
      const v = str(pair.value as AnyNode, `defaults.${keyOf(pair)}`);
      if (v) defaults[keyOf(pair) as keyof Spec['defaults']] = v;
    }
  }

  const integrations: SpecIntegration[] = [];
  const names = new Map<string, number>();
  const integrationsPair = topByKey.get('integrations');
  if (!integrationsPair) report(root, 'integrations', 'Required', ['integrations', 'a list of integrations, each with a name']);
  else if (!isSeq(integrationsPair.value)) {
    report(integrationsPair.value as AnyNode, 'integrations', 'Type', ['a list of integrations', describe(integrationsPair.value as AnyNode)]);
  } else {
    integrationsPair.value.items.forEach((item, i) => {
      const key = `integrations[${i}]`;
      const pairs = mapPairs(item as AnyNode, key, ['name', ...bodyKeys], 'an integration');
      if (!pairs) return;
      const namePair = pairs.find((p) => keyOf(p) === 'name');
      if (!namePair) {
        report(item as AnyNode, key, 'Required', ['name', 'the integration name, e.g. name: Billing Sync']);
        return;
      }
      const name = str(namePair.value as AnyNode, `${key}.name`);
      const parsed = body(pairs, key);
      if (!name) return;
      const first = names.get(name.toLowerCase());
      if (first !== undefined) {
        report(namePair.value as AnyNode, `${key}.name`, 'DuplicateName', [name, first]);
        return;
      }
      const line = at(item as AnyNode).line;
      names.set(name.toLowerCase(), line);
      integrations.push({ ...parsed, at: { ...parsed.at, name: place(namePair.value as AnyNode, `${key}.name`) }, name, line, place: place(item as AnyNode, key) });
    });
  }

  const environments: SpecEnvironment[] = [];
  const environmentsPair = topByKey.get('environments');
  if (environmentsPair) {
    const envNode = environmentsPair.value as AnyNode;
    if (!isMap(envNode)) report(envNode, 'environments', 'NotAMap', ['environments', describe(envNode)]);
    else {
      for (const envPair of envNode.items) {
        if (secretPairs.has(envPair)) continue;
        const envName = keyOf(envPair);
        const key = `environments.${envName}`;
        const pairs = mapPairs(envPair.value as AnyNode, key, ENVIRONMENT_KEYS, `environment "${envName}"`);
        if (!pairs) continue;
        const env: SpecEnvironment = { name: envName, line: at(envPair).line, overrides: [] };
        for (const pair of pairs) {
          const k = keyOf(pair);
          const value = pair.value as AnyNode;
          if (k === 'targetOrg') env.targetOrg = str(value, `${key}.targetOrg`, 'an sf alias or username');
          else if (k === 'usernameSuffix') {
            const v = str(value, `${key}.usernameSuffix`, 'a suffix such as .uat');
            if (v && !SUFFIX.test(v)) report(value, `${key}.usernameSuffix`, 'BadSuffix', [v]);
            else if (v) env.usernameSuffix = v;
          } else if (k === 'integrations') {
            if (!isMap(value)) {
              report(value, `${key}.integrations`, 'NotAMap', ['overrides by integration name', describe(value)]);
              continue;
            }
            for (const o of value.items) {
              if (secretPairs.has(o)) continue;
              const target = keyOf(o);
              const here = `${key}.integrations.${target}`;
              if (!names.has(target.toLowerCase())) report(o, here, 'UnknownIntegration', [envName, target]);
              const oPairs = mapPairs(o.value as AnyNode, here, bodyKeys, `the overrides of "${target}"`);
              if (oPairs) env.overrides.push({ ...body(oPairs, here), name: target, line: at(o).line });
            }
          }
        }
        environments.push(env);
      }
    }
  }

  const spec: Spec = { file, version: 1, defaults, integrations, environments };
  if (problems.length > 0) return { partial: spec, problems: problems.sort((a, b) => a.line - b.line || a.column - b.column) };
  return { spec, problems };
}

function keyOf(pair: Pair): string {
  const key = pair.key as AnyNode;
  return isScalar(key) ? String(key.value) : String(key);
}

function describe(node: AnyNode): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return `"${v}"`;
    return `${typeof v} ${JSON.stringify(v)}`;
  }
  return 'an unsupported value';
}
