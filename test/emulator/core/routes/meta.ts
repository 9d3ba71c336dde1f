/** Identity and discovery: OAuth userinfo, the API versions list and a version's resource map. */
import { API_VERSIONS, type Context } from '../context.js';
import { text, type ApiResponse } from '../http.js';

const SEASONS = ['Winter', 'Spring', 'Summer'];

/** Release label of an API version: 62.0 → "Winter '25", 63.0 → "Spring '25". */
function releaseLabel(version: string): string {
  const index = Number.parseInt(version, 10) - 62;
  const season = SEASONS[((index % 3) + 3) % 3];
  const year = 25 + Math.floor(index / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function versionsList(): ApiResponse {
  return { status: 200, body: API_VERSIONS.map((version) => ({ label: releaseLabel(version), url: `/services/data/v${version}`, version })) };
}

export function resourceMap(version: string): ApiResponse {
  const base = `/services/data/v${version}`;
  const names = ['sobjects', 'query', 'queryAll', 'tooling', 'composite'];
  return { status: 200, body: Object.fromEntries(names.map((n) => [n, `${base}/${n}`])) };
}

export function userinfo(ctx: Context): ApiResponse {
  const user = ctx.db.byId(ctx.org.userId)?.record ?? { Id: ctx.org.userId };
  const base = ctx.instanceUrl;
  const url = (path: string): string => `${base}/services/data/v{version}/${path}`;
  return {
    status: 200,
    body: {
      sub: `${base}/id/${ctx.org.orgId}/${ctx.org.userId}`,
      user_id: ctx.org.userId,
      organization_id: ctx.org.orgId,
      preferred_username: ctx.org.username,
      nickname: user.CommunityNickname ?? null,
      name: user.Name ?? null,
      email: user.Email ?? ctx.org.username,
      email_verified: true,
      given_name: user.FirstName ?? null,
      family_name: user.LastName ?? null,
      zoneinfo: user.TimeZoneSidKey ?? 'America/Los_Angeles',
      locale: user.LocaleSidKey ?? 'en_US',
      language: user.LanguageLocaleKey ?? 'en_US',
      user_type: 'STANDARD',
      active: true,
      is_app_installed: true,
      utcOffset: -28800000,
      updated_at: new Date(text(user.LastModifiedDate) || ctx.now().toISOString()).toISOString().replace(/\.\d+Z$/, 'Z'),
      urls: {
        rest: url(''),
        sobjects: url('sobjects/'),
        query: url('query/'),
        tooling_rest: url('tooling/'),
        profile: `${base}/${ctx.org.userId}`,
        custom_domain: base,
      },
    },
  };
}
