/**
 * The rules themselves: one pure function per rule over the collected data (model.ts), no I/O.
 * Each returns its findings, fingerprinted by rule, user and the problem's stable subject.
 */
import { Messages } from '@salesforce/core';
import { API_INTEGRATION_PSL, INTEGRATION_USER_LICENSE } from '../constants.js';
import { integrationFit } from '../licenses.js';
import { distinctNames, grantsPermission, later, sourcesOf, type AuditData, type AuditUser, type Source } from './model.js';
import { HIGH_RISK_PERMISSIONS, ruleById } from './rules.js';
import { fingerprintOf, type EvidenceValue, type Finding, type Severity } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'audit.rules');

export type CheckOptions = { dormantDays: number; seatThresholdPercent: number };
export type Check = (data: AuditData, options: CheckOptions) => Finding[];

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_NAMES_IN_EVIDENCE = 10;

function finding(
  ruleId: string,
  user: string | null,
  subject: string,
  severity: Severity,
  message: string,
  evidence: Record<string, EvidenceValue>
): Finding {
  return {
    ruleId,
    severity,
    user,
    message,
    remediation: ruleById(ruleId).remediation,
    evidence,
    fingerprint: fingerprintOf(ruleId, user, subject),
  };
}

const active = (data: AuditData): AuditUser[] => data.users.filter((u) => u.isActive);

/** IU001: an integration-license user without the Salesforce API Integration PSL. */
export const missingApiIntegrationPsl: Check = (data) => {
  const psl = data.licenses.apiIntegrationPsl;
  return active(data)
    .filter((u) => u.isIntegrationLicense && !(psl && u.pslIds.includes(psl.id)))
    .map((u) =>
      finding('IU001', u.username, API_INTEGRATION_PSL.developerName, 'high', messages.getMessage('IU001.message', [u.username]), {
        permissionSetLicense: API_INTEGRATION_PSL.developerName,
        pslInOrg: psl !== undefined,
      })
    );
};

/** IU002: on the deprecated "Salesforce API Only System Integrations" profile. */
export const legacyIntegrationProfile: Check = (data) =>
  active(data)
    .filter((u) => u.isLegacyProfile)
    .map((u) =>
      finding('IU002', u.username, u.profileName ?? u.profileId, 'medium', messages.getMessage('IU002.message', [u.username, u.profileName ?? '']), {
        profile: u.profileName,
      })
    );

/** IU003: an API-only or OAuth-only user on a license other than Salesforce Integration. */
export const integrationOnFullLicense: Check = (data) =>
  active(data)
    .filter((u) => !u.isIntegrationLicense && (u.reasons.includes('apiUserOnly') || u.reasons.includes('oauthOnlyLogins')))
    .map((u) => {
      const why = u.reasons.filter((r) => r === 'apiUserOnly' || r === 'oauthOnlyLogins');
      return finding(
        'IU003',
        u.username,
        u.userLicense ?? 'unknown',
        'high',
        messages.getMessage('IU003.message', [u.username, why.join(', '), u.userLicense ?? '', u.profileName ?? '']),
        { userLicense: u.userLicense, profile: u.profileName, signals: why }
      );
    });

/** IU004: high-risk system permissions, one finding per (user, permission, source). */
export const highRiskSystemPermission: Check = (data) => {
  if (!data.permissionsRead) return [];
  const findings: Finding[] = [];
  for (const user of active(data)) {
    for (const source of sourcesOf(user, data)) {
      for (const [permission, severity] of Object.entries(HIGH_RISK_PERMISSIONS)) {
        const { granted, via } = grantsPermission(source, permission, data.permissionSets);
        if (!granted) continue;
        const evidence: Record<string, EvidenceValue> = { permission, source: source.name, sourceType: source.sourceType };
        if (via.length > 0) evidence.via = via;
        findings.push(
          finding(
            'IU004',
            user.username,
            `${permission}|${source.sourceType}:${source.name}`,
            severity,
            messages.getMessage('IU004.message', [user.username, permission, source.sourceType, source.name]),
            evidence
          )
        );
      }
    }
  }
  return findings;
};

/** IU005: View All / Modify All records on an object, per (user, object, source). */
export const objectViewModifyAll: Check = (data) => {
  const findings: Finding[] = [];
  for (const user of active(data)) {
    for (const source of sourcesOf(user, data)) {
      const byObject = new Map<string, { viewAll: boolean; modifyAll: boolean }>();
      const setIds = source.sourceType === 'PermissionSetGroup' && source.setIds.length === 0 ? source.componentSetIds : source.setIds;
      for (const setId of setIds) {
        for (const access of data.objectAccess.get(setId) ?? []) {
          const seen = byObject.get(access.object) ?? { viewAll: false, modifyAll: false };
          byObject.set(access.object, { viewAll: seen.viewAll || access.viewAll, modifyAll: seen.modifyAll || access.modifyAll });
        }
      }
      for (const [object, access] of [...byObject.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const level = access.modifyAll ? 'Modify All' : 'View All';
        findings.push(
          finding(
            'IU005',
            user.username,
            `${object}|${source.sourceType}:${source.name}`,
            access.modifyAll ? 'high' : 'medium',
            messages.getMessage('IU005.message', [user.username, level, object, source.sourceType, source.name]),
            { object, access: level, source: source.name, sourceType: source.sourceType }
          )
        );
      }
    }
  }
  return findings;
};

/** IU006: a permission set whose license the user lacks (PSL) or cannot have (another user license). */
export const permissionSetLicenseMismatch: Check = (data) => {
  const findings: Finding[] = [];
  for (const user of active(data)) {
    const held: Array<{ setId: string; group: Source | null }> = user.setIds.map((setId) => ({ setId, group: null }));
    for (const source of sourcesOf(user, data)) {
      if (source.sourceType === 'PermissionSetGroup') held.push(...source.componentSetIds.map((setId) => ({ setId, group: source })));
    }
    for (const { setId, group } of held) {
      const set = data.permissionSets.get(setId);
      if (!set?.licenseId) continue;
      const problem = licenseProblem(user, set.licenseId, data);
      if (!problem) continue;
      const subject = `${group ? `PermissionSetGroup:${group.name}|` : ''}PermissionSet:${set.name}`;
      const grantText = group ? `PermissionSetGroup "${group.name}" > PermissionSet` : 'PermissionSet';
      const evidence: Record<string, EvidenceValue> = {
        permissionSet: set.name,
        license: problem.license,
        licenseType: problem.kind,
        problem: problem.missingPsl ? 'missingPsl' : 'wrongLicense',
      };
      if (group) evidence.group = group.name;
      findings.push(
        finding(
          'IU006',
          user.username,
          subject,
          'high',
          messages.getMessage('IU006.message', [
            user.username,
            grantText,
            set.name,
            problem.license,
            messages.getMessage(problem.missingPsl ? 'IU006.missingPsl' : 'IU006.wrongLicense'),
          ]),
          evidence
        )
      );
    }
  }
  return findings;
};

function licenseProblem(
  user: AuditUser,
  licenseId: string,
  data: AuditData
): { license: string; kind: 'PermissionSetLicense' | 'UserLicense'; missingPsl: boolean } | undefined {
  const target = data.licenses.byId(licenseId);
  if (target?.kind === 'psl') {
    return user.pslIds.includes(target.license.id)
      ? undefined
      : { license: target.license.developerName, kind: 'PermissionSetLicense', missingPsl: true };
  }
  if (user.isIntegrationLicense) {
    const fit = integrationFit(licenseId, data.licenses);
    return fit.ok ? undefined : { license: fit.licenseName, kind: 'UserLicense', missingPsl: false };
  }
  const name = target?.license.name ?? licenseId;
  return name === user.userLicense ? undefined : { license: name, kind: 'UserLicense', missingPsl: false };
}

/** IU007: a permission set or group the integration user shares with active human users. */
export const sharedPermissionAssignment: Check = (data) => {
  const findings: Finding[] = [];
  const isBasic = (setId: string): boolean => {
    const licenseId = data.permissionSets.get(setId)?.licenseId;
    const target = licenseId ? data.licenses.byId(licenseId) : undefined;
    if (!target) return false;
    return target.kind === 'psl'
      ? target.license.id === data.licenses.apiIntegrationPsl?.id
      : target.license.name === INTEGRATION_USER_LICENSE;
  };
  for (const user of active(data)) {
    const grants = [
      ...user.setIds.filter((id) => !isBasic(id)).map((id) => ({ id, type: 'PermissionSet', name: data.permissionSets.get(id)?.name ?? id })),
      ...user.groupIds.map((id) => ({ id, type: 'PermissionSetGroup', name: data.groups.get(id)?.name ?? id })),
    ];
    for (const grant of grants) {
      const humans = data.humanHolders.get(grant.id) ?? [];
      if (humans.length === 0) continue;
      const sample = [...humans].sort().slice(0, MAX_NAMES_IN_EVIDENCE);
      findings.push(
        finding(
          'IU007',
          user.username,
          `${grant.type}:${grant.name}`,
          'medium',
          messages.getMessage('IU007.message', [user.username, grant.type, grant.name, humans.length, sample.join(', ')]),
          { grant: grant.name, grantType: grant.type, humanCount: humans.length, humans: sample }
        )
      );
    }
  }
  return findings;
};

/** IU008: more than one OAuth app/client (OauthToken AppName, API LoginHistory Application). */
export const multipleOauthClients: Check = (data) =>
  active(data).flatMap((user) => {
    const apps = distinctNames([...(data.oauthApps?.get(user.id) ?? []), ...(data.logins?.get(user.id)?.apps ?? [])]);
    if (apps.length < 2) return [];
    return [
      finding('IU008', user.username, 'oauth-clients', 'high', messages.getMessage('IU008.message', [user.username, apps.length, apps.join(', ')]), {
        apps,
      }),
    ];
  });

/** IU009: successful UI logins in the window. */
export const interactiveLogin: Check = (data) =>
  active(data).flatMap((user) => {
    const summary = data.logins?.get(user.id);
    if (!summary || summary.uiLogins === 0) return [];
    return [
      finding(
        'IU009',
        user.username,
        'ui-login',
        'high',
        messages.getMessage('IU009.message', [user.username, summary.uiLogins, data.loginWindowDays, summary.lastUiLogin ?? '']),
        { uiLogins: summary.uiLogins, lastUiLogin: summary.lastUiLogin, windowDays: data.loginWindowDays }
      ),
    ];
  });

/** IU010: active, not frozen, no login for `dormantDays` (User.LastLoginDate, or LoginHistory if later; never = since creation). */
export const dormantIntegrationUser: Check = (data, options) =>
  active(data).flatMap((user) => {
    if (user.isFrozen) return [];
    const lastLogin = later(user.lastLoginDate, data.logins?.get(user.id)?.lastLogin ?? null);
    const since = lastLogin ?? user.createdDate;
    if (since === null) return [];
    const days = Math.floor((data.now.getTime() - Date.parse(since)) / DAY_MS);
    if (days < options.dormantDays) return [];
    const shown = lastLogin ?? messages.getMessage('IU010.never');
    return [
      finding('IU010', user.username, 'dormant', 'medium', messages.getMessage('IU010.message', [user.username, days, shown]), {
        lastLogin,
        days,
        dormantDays: options.dormantDays,
      }),
    ];
  });

/** IU011: frozen or inactive users still holding PSLs, permission sets or groups. */
export const inactiveUserWithGrants: Check = (data) =>
  data.users.flatMap((user) => {
    if (user.isActive && !user.isFrozen) return [];
    const grants = [
      ...user.pslIds.map((id) => `PermissionSetLicense:${pslName(data, id)}`),
      ...user.setIds.map((id) => `PermissionSet:${data.permissionSets.get(id)?.name ?? id}`),
      ...user.groupIds.map((id) => `PermissionSetGroup:${data.groups.get(id)?.name ?? id}`),
    ];
    if (grants.length === 0) return [];
    const state = user.isActive ? 'frozen' : 'inactive';
    return [
      finding(
        'IU011',
        user.username,
        state,
        'low',
        messages.getMessage('IU011.message', [user.username, messages.getMessage(`IU011.${state}`), grants.join(', ')]),
        { state, grants }
      ),
    ];
  });

/** IU012: Salesforce Integration license / API Integration PSL seats at or above the threshold (org-level). */
export const integrationSeatsNearLimit: Check = (data, options) => {
  const pools = [
    { subject: `UserLicense:${INTEGRATION_USER_LICENSE}`, name: INTEGRATION_USER_LICENSE, seats: data.licenses.integrationLicense?.seats },
    {
      subject: `PermissionSetLicense:${API_INTEGRATION_PSL.developerName}`,
      name: API_INTEGRATION_PSL.label,
      seats: data.licenses.apiIntegrationPsl?.seats,
    },
  ];
  return pools.flatMap(({ subject, name, seats }) => {
    if (!seats || seats.total <= 0) return [];
    const percent = Math.round((seats.used / seats.total) * 100);
    const exhausted = seats.used >= seats.total;
    if (!exhausted && (seats.used / seats.total) * 100 < options.seatThresholdPercent) return [];
    return [
      finding('IU012', null, subject, exhausted ? 'medium' : 'low', messages.getMessage('IU012.message', [name, seats.used, seats.total, percent]), {
        license: name,
        used: seats.used,
        total: seats.total,
        percent,
        thresholdPercent: options.seatThresholdPercent,
      }),
    ];
  });
};

/** IU013: an External Client App's client-credentials run-as user that is missing, inactive or not API-only. */
export const ecaRunAsUserInvalid: Check = (data) =>
  data.ecaPolicies.flatMap((file) => {
    let problem: 'missing' | 'notFound' | 'inactive' | 'notIntegration' | undefined;
    if (!file.runAsUser) {
      problem = file.clientCredentialsEnabled ? 'missing' : undefined;
    } else {
      const user = data.runAsUsers.get(file.runAsUser.toLowerCase());
      if (!user) problem = 'notFound';
      else if (!user.isActive) problem = 'inactive';
      else if (!user.isIntegrationLicense && !user.hasApiUserOnly) problem = 'notIntegration';
    }
    if (!problem) return [];
    const username = file.runAsUser ?? null;
    return [
      finding(
        'IU013',
        username,
        file.path,
        'high',
        messages.getMessage('IU013.message', [file.path, username ?? '', messages.getMessage(`IU013.${problem}`)]),
        { file: file.path, runAsUser: username, problem }
      ),
    ];
  });

function pslName(data: AuditData, id: string): string {
  const target = data.licenses.byId(id);
  return target?.kind === 'psl' ? target.license.developerName : target?.license.name ?? id;
}

/** Every rule's check, in rule order. */
export const CHECKS: Readonly<Record<string, Check>> = {
  IU001: missingApiIntegrationPsl,
  IU002: legacyIntegrationProfile,
  IU003: integrationOnFullLicense,
  IU004: highRiskSystemPermission,
  IU005: objectViewModifyAll,
  IU006: permissionSetLicenseMismatch,
  IU007: sharedPermissionAssignment,
  IU008: multipleOauthClients,
  IU009: interactiveLogin,
  IU010: dormantIntegrationUser,
  IU011: inactiveUserWithGrants,
  IU012: integrationSeatsNearLimit,
  IU013: ecaRunAsUserInvalid,
};
