/**
 * The human tables of `integration user list`. The default one fits a 100-column terminal (username, name,
 * status, legacy, grant counts, last login date): when the output is narrower than the table, the Name
 * column wraps so that usernames stay whole (they are never truncated). The output's width is the
 * terminal's, or COLUMNS when stdout is piped; piped without COLUMNS, rows stay whole (no width to fit).
 * `--verbose` shows every grant by name, one per line in its cell.
 */
import { Messages } from '@salesforce/core';
import type { IntegrationUserListItem, IntegrationUserListResult } from './list.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'users');

type Column<K extends string> = { key: K; name: string; overflow?: 'wrap'; width?: number };
export type ListTable<K extends string = string> = {
  title: string;
  data: Array<Record<K, string>>;
  columns: Array<Column<K>>;
};

const DEFAULT_KEYS = ['username', 'name', 'status', 'legacy', 'grants', 'lastLogin'] as const;
const VERBOSE_KEYS = [
  'username',
  'name',
  'status',
  'profile',
  'userLicense',
  'permissionSetLicenses',
  'permissionSets',
  'permissionSetGroups',
  'lastLogin',
] as const;

/** Cell padding and borders as sf's table draws them: one space each side, one border between columns. */
const PADDING = 1;

/** A user's state in one word: frozen wins over active; an unknown frozen state says so. */
export function statusOf(user: Pick<IntegrationUserListItem, 'active' | 'frozen'>): string {
  if (!user.active) return messages.getMessage('value.inactive');
  if (user.frozen === true) return messages.getMessage('value.frozen');
  return messages.getMessage(user.frozen === null ? 'value.activeFrozenUnknown' : 'value.active');
}

/** The table for `list` (`verbose`: every grant by name); `terminalWidth`: the width to fit it to (outputWidth). */
export function listTable(result: IntegrationUserListResult, options: { verbose?: boolean; terminalWidth?: number } = {}): ListTable {
  const title = messages.getMessage('table.title', [result.org.name, result.org.edition]);
  if (options.verbose) {
    return {
      title,
      data: result.users.map(verboseRow),
      columns: VERBOSE_KEYS.map((key) => ({ key, name: messages.getMessage(`column.${key}`) })),
    };
  }
  const data = result.users.map(defaultRow);
  const columns: Array<Column<(typeof DEFAULT_KEYS)[number]>> = DEFAULT_KEYS.map((key) => ({
    key,
    name: messages.getMessage(`column.${key}`),
    ...(key === 'username' ? { overflow: 'wrap' as const } : {}),
  }));
  fitName(columns, data, options.terminalWidth);
  return { title, data, columns };
}

/**
 * The width to fit the table to: the terminal's columns when stdout is a terminal, else COLUMNS (a positive
 * integer) when set, else none.
 */
export function outputWidth(
  stdout: { isTTY?: boolean; columns?: number } = process.stdout,
  env: NodeJS.ProcessEnv = process.env
): number | undefined {
  if (stdout.isTTY && stdout.columns) return stdout.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}

/** The line under the default table that says what the grant counts are. */
export function grantsLegend(): string {
  return messages.getMessage('table.grantsLegend');
}

/** The width sf's table gives these columns when nothing is shrunk. */
export function naturalWidth(columns: ReadonlyArray<Column<string>>, data: ReadonlyArray<Record<string, string>>): number {
  return columns.reduce((sum, c) => sum + columnWidth(c, data), 0) + columns.length + 1;
}

function columnWidth(column: Column<string>, data: ReadonlyArray<Record<string, string>>): number {
  const cells = data.map((row) => Math.max(...(row[column.key] ?? '').split('\n').map((line) => line.length)));
  return Math.max(column.name.length, ...cells) + PADDING * 2;
}

/** Narrows the Name column (wrapping its text) when the table is wider than the terminal. */
function fitName(columns: Array<Column<string>>, data: ReadonlyArray<Record<string, string>>, terminalWidth: number | undefined): void {
  if (!terminalWidth) return;
  const excess = naturalWidth(columns, data) - terminalWidth;
  const name = columns.find((c) => c.key === 'name');
  if (excess <= 0 || !name) return;
  const minimum = name.name.length + PADDING * 2;
  name.width = Math.max(minimum, columnWidth(name, data) - excess);
  name.overflow = 'wrap';
}

function defaultRow(user: IntegrationUserListItem): Record<(typeof DEFAULT_KEYS)[number], string> {
  return {
    username: user.username,
    name: user.name,
    status: statusOf(user),
    legacy: messages.getMessage(user.legacy ? 'value.yes' : 'value.no'),
    grants: `${user.permissionSetLicenses.length}/${user.permissionSets.length}/${user.permissionSetGroups.length}`,
    lastLogin: user.lastLogin ? user.lastLogin.slice(0, 10) : messages.getMessage('value.never'),
  };
}

function verboseRow(user: IntegrationUserListItem): Record<(typeof VERBOSE_KEYS)[number], string> {
  const profile = user.profile ?? messages.getMessage('value.unknown');
  return {
    username: user.username,
    name: user.name,
    status: statusOf(user),
    profile: user.legacy ? messages.getMessage('value.legacy', [profile]) : profile,
    userLicense: user.userLicense ?? messages.getMessage('value.unknown'),
    permissionSetLicenses: user.permissionSetLicenses.join('\n'),
    permissionSets: user.permissionSets.join('\n'),
    permissionSetGroups: user.permissionSetGroups.join('\n'),
    lastLogin: user.lastLogin ?? messages.getMessage('value.never'),
  };
}
