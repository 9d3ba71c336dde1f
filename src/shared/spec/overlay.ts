/**
 * Environment overlays: one spec, several orgs. An environment's overrides replace the keys they give
 * (a list replaces the whole list), and its `usernameSuffix` is appended to every username, explicit or
 * derived from the name (derivation needs the running user, so it happens in the plan: see usernames.ts).
 */
import type { ResolvedIntegration, ResolvedSpec, Spec } from './types.js';
import { messages, specError } from './load.js';

/** The spec as it applies to `environment` (or to no environment). */
export function resolveSpec(spec: Spec, environment?: string): ResolvedSpec {
  const env = environment === undefined ? undefined : spec.environments.find((e) => e.name === environment);
  if (environment !== undefined && !env) {
    // a spec with problems of its own may have lost the environment to them: those come first
    if (spec.problems && spec.problems.length > 0) throw specError(spec.file, spec.problems);
    throw messages.createError('error.UnknownEnvironment', [environment, spec.environments.map((e) => e.name).join(', ') || 'none']);
  }
  const integrations = spec.integrations.map((integration): ResolvedIntegration => {
    const override = env?.overrides.find((o) => o.name.toLowerCase() === integration.name.toLowerCase());
    const merged = { ...integration, ...(override ?? {}), fields: { ...integration.fields, ...(override?.fields ?? {}) } };
    const username = merged.username ? `${merged.username}${env?.usernameSuffix ?? ''}`.toLowerCase() : undefined;
    return {
      name: integration.name,
      line: integration.line,
      ...(integration.place ? { place: integration.place } : {}),
      at: { ...integration.at, ...(override?.at ?? {}) },
      state: merged.state ?? 'present',
      fields: merged.fields,
      permissionSetLicenses: merged.permissionSetLicenses ?? [],
      permissionSets: merged.permissionSets ?? [],
      permissionSetGroups: merged.permissionSetGroups ?? [],
      ...(username ? { username } : {}),
      ...(merged.owner ? { owner: merged.owner } : {}),
      ...(merged.apiIntegrationPsl === false ? { apiIntegrationPsl: false as const } : {}),
    };
  });
  return {
    file: spec.file,
    defaults: spec.defaults,
    integrations,
    ...(spec.problems && spec.problems.length > 0 ? { problems: spec.problems } : {}),
    ...(env ? { environment: env.name } : {}),
    ...(env?.targetOrg ? { targetOrg: env.targetOrg } : {}),
    ...(env?.usernameSuffix ? { usernameSuffix: env.usernameSuffix } : {}),
  };
}
