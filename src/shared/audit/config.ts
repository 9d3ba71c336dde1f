/** The audit configuration file (`--config`): rules on/off, severity overrides, thresholds, allowances. */
import { readFile } from 'node:fs/promises';
import { Messages } from '@salesforce/core';
import { SEVERITIES, type Severity } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'audit');

export type RuleOverride = { enabled?: boolean; severity?: Severity };

/**
 * Accepts findings of `user` (a username, case-insensitive, or `*` for every user and org-level findings).
 * With `rules`, only findings of those rules; with `permissions`, only findings whose `evidence.permission`
 * or `evidence.permissionSet` is listed; with both, findings matching both.
 */
export type Allowance = { user: string; rules?: string[]; permissions?: string[]; reason?: string };

export type AuditThresholds = { dormantDays: number; seatUsagePercent: number };

export type AuditConfig = {
  rules: Record<string, RuleOverride>;
  thresholds: AuditThresholds;
  allow: Allowance[];
};

export const DEFAULT_THRESHOLDS: AuditThresholds = { dormantDays: 90, seatUsagePercent: 80 };

export const DEFAULT_CONFIG: AuditConfig = { rules: {}, thresholds: { ...DEFAULT_THRESHOLDS }, allow: [] };

const TOP_KEYS = ['$schema', 'rules', 'thresholds', 'allow'];
const RULE_KEYS = ['enabled', 'severity'];
const THRESHOLD_KEYS = ['dormantDays', 'seatUsagePercent'];
const ALLOW_KEYS = ['user', 'rules', 'permissions', 'reason'];

class ConfigProblem extends Error {}

function problem(key: string, ...tokens: Array<string | number>): never {
  throw new ConfigProblem(messages.getMessage(key, tokens));
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) problem('config.notObject', path);
  return value as Record<string, unknown>;
}

function onlyKeys(obj: Record<string, unknown>, path: string, allowed: string[]): void {
  const bad = Object.keys(obj).find((k) => !allowed.includes(k));
  if (bad !== undefined) problem('config.unknownKey', path, bad, allowed.join(', '));
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problem('config.notInteger', path, min, max);
  }
  return value;
}

function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') problem('config.notString', path);
  return value;
}

function stringList(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
    problem('config.notStringArray', path);
  }
  return value as string[];
}

function ruleId(id: string, path: string, knownRuleIds: readonly string[]): string {
  const match = knownRuleIds.find((known) => known.toUpperCase() === id.toUpperCase());
  if (match === undefined) problem('config.unknownRule', path, id);
  return match;
}

function parseRules(value: unknown, knownRuleIds: readonly string[]): Record<string, RuleOverride> {
  const rules: Record<string, RuleOverride> = {};
  for (const [id, raw] of Object.entries(asObject(value, 'rules'))) {
    const path = `rules.${id}`;
    const canonical = ruleId(id, 'rules', knownRuleIds);
    const obj = asObject(raw, path);
    onlyKeys(obj, path, RULE_KEYS);
    const override: RuleOverride = {};
    if (obj.enabled !== undefined) {
      if (typeof obj.enabled !== 'boolean') problem('config.notBoolean', `${path}.enabled`);
      override.enabled = obj.enabled;
    }
    if (obj.severity !== undefined) {
      if (!SEVERITIES.includes(obj.severity as Severity)) {
        problem('config.notSeverity', `${path}.severity`, SEVERITIES.join(', '));
      }
      override.severity = obj.severity as Severity;
    }
    rules[canonical] = override;
  }
  return rules;
}

function parseThresholds(value: unknown): AuditThresholds {
  const obj = asObject(value, 'thresholds');
  onlyKeys(obj, 'thresholds', THRESHOLD_KEYS);
  return {
    dormantDays:
      obj.dormantDays === undefined
        ? DEFAULT_THRESHOLDS.dormantDays
        : integer(obj.dormantDays, 'thresholds.dormantDays', 1, 3650),
    seatUsagePercent:
      obj.seatUsagePercent === undefined
        ? DEFAULT_THRESHOLDS.seatUsagePercent
        : integer(obj.seatUsagePercent, 'thresholds.seatUsagePercent', 1, 100),
  };
}

function parseAllow(value: unknown, knownRuleIds: readonly string[]): Allowance[] {
  if (!Array.isArray(value)) problem('config.notStringArray', 'allow');
  return (value as unknown[]).map((raw, i) => {
    const path = `allow[${i}]`;
    const obj = asObject(raw, path);
    onlyKeys(obj, path, ALLOW_KEYS);
    const allowance: Allowance = { user: nonEmptyString(obj.user, `${path}.user`) };
    if (obj.rules !== undefined) {
      allowance.rules = stringList(obj.rules, `${path}.rules`).map((id) => ruleId(id, `${path}.rules`, knownRuleIds));
    }
    if (obj.permissions !== undefined) allowance.permissions = stringList(obj.permissions, `${path}.permissions`);
    if (obj.reason !== undefined) allowance.reason = nonEmptyString(obj.reason, `${path}.reason`);
    if (allowance.rules === undefined && allowance.permissions === undefined) problem('config.allowNeedsScope', path);
    return allowance;
  });
}

/** Validates a parsed configuration strictly; the error names the file and the bad key. */
export function parseAuditConfig(raw: unknown, source: string, knownRuleIds: readonly string[]): AuditConfig {
  try {
    const obj = asObject(raw, '(top level)');
    onlyKeys(obj, '(top level)', TOP_KEYS);
    return {
      rules: obj.rules === undefined ? {} : parseRules(obj.rules, knownRuleIds),
      thresholds: obj.thresholds === undefined ? { ...DEFAULT_THRESHOLDS } : parseThresholds(obj.thresholds),
      allow: obj.allow === undefined ? [] : parseAllow(obj.allow, knownRuleIds),
    };
  } catch (e) {
    if (e instanceof ConfigProblem) throw messages.createError('error.InvalidConfig', [source, e.message]);
    throw e;
  }
}

/** Reads a JSON file; a missing file or bad JSON becomes an SfError naming `what` and the path. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (e) {
    throw messages.createError('error.FileReadFailed', [what, path, e instanceof Error ? e.message : String(e)]);
  }
}

export async function readAuditConfig(path: string, knownRuleIds: readonly string[]): Promise<AuditConfig> {
  return parseAuditConfig(await readJsonFile(path, 'the configuration'), path, knownRuleIds);
}
