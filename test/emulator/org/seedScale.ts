/**
 * The scale seed: `count` more users built deterministically (seeded PRNG) on the default catalogue —
 * about 80% humans and 20% integration users, 2–4 assignments each, ~3 logins each, some OAuth tokens.
 */
import type { Catalog } from './seed.js';
import { DOMAIN, UI_LOGIN, type SeedBuilder } from './seedBuilder.js';
import type { SRecord } from '../core/types.js';

/** mulberry32: a small deterministic PRNG in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Alex', 'Sam', 'Maria', 'Wei', 'Fatima', 'Lucas', 'Aiko', 'Omar', 'Nina', 'Raj', 'Elena', 'Tom'];
const LAST = ['Garcia', 'Chen', 'Muller', 'Okafor', 'Silva', 'Kowalski', 'Tanaka', 'Haddad', 'Novak', 'Singh', 'Rossi', 'Brown'];
const APPS = ['MuleSoft', 'Workato', 'Boomi', 'Fivetran', 'Informatica', 'Jitterbit'];

export function seedScale(b: SeedBuilder, c: Catalog, count: number): void {
  const random = prng(20_240_601);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const extraSeats = Math.ceil(count * 0.25);
  b.db.update(c.licenses.salesforce, { TotalLicenses: 50 + count });
  b.db.update(c.licenses.platform, { TotalLicenses: 20 + count });
  if (c.licenses.integration) b.db.update(c.licenses.integration, { TotalLicenses: Number(c.licenses.integration.TotalLicenses) + extraSeats });
  b.db.update(c.psls.api, { TotalLicenses: Number(c.psls.api.TotalLicenses) + extraSeats });

  const width = String(count).length;
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(width, '0');
    const integration = c.licenses.integration !== undefined && random() < 0.2;
    const user = integration ? integrationUser(b, c, n, random, pick) : humanUser(b, c, n, random, pick);
    const logins = 2 + Math.floor(random() * 3);
    for (let l = 0; l < logins; l++) {
      const kind = integration ? { type: 'Remote Access 2.0', subType: 'OauthClientCredentials', application: `App ${n}` } : UI_LOGIN;
      b.login(user, Math.floor(random() * 60), kind, Math.floor(random() * 24));
    }
  }
}

function humanUser(b: SeedBuilder, c: Catalog, n: string, random: () => number, pick: <T>(items: T[]) => T): SRecord {
  const profileName = random() < 0.8 ? 'Standard User' : 'Standard Platform User';
  const p = c.profiles[profileName];
  const user = b.user({
    username: `user.${n}@${DOMAIN}`,
    first: pick(FIRST),
    last: pick(LAST),
    profile: p.profile,
    active: random() < 0.95,
    createdDaysAgo: 30 + Math.floor(random() * 900),
    lastLoginDaysAgo: Math.floor(random() * 120),
  });
  b.assign(user, p.set);
  const options = profileName === 'Standard User' ? ['Marketing_Shared', 'Data_Steward_ViewAll', 'Sales_User_Extras'] : ['Marketing_Shared', 'Data_Steward_ViewAll'];
  const extra = 1 + Math.floor(random() * options.length);
  for (const name of options.slice(0, extra)) b.assign(user, c.sets[name]);
  return user;
}

function integrationUser(b: SeedBuilder, c: Catalog, n: string, random: () => number, pick: <T>(items: T[]) => T): SRecord {
  const p = c.profiles['Minimum Access - API Only Integrations'];
  const user = b.user({
    username: `integration.${n}@${DOMAIN}`,
    last: `Integration ${n}`,
    profile: p.profile,
    active: random() < 0.9,
    createdDaysAgo: 30 + Math.floor(random() * 700),
    lastLoginDaysAgo: Math.floor(random() * 200),
    frozen: random() < 0.05,
  });
  b.assign(user, p.set);
  const hasPsl = random() < 0.9;
  if (hasPsl) b.assignPsl(user, c.psls.api);
  b.assign(user, c.sets.Billing_Sync_Access);
  if (random() < 0.5) b.assign(user, hasPsl ? c.sets.Integration_API_Access : c.sets.Integration_Reader);
  if (hasPsl && random() < 0.3) b.assignGroup(user, c.groups.Integration_Bundle);
  if (random() < 0.3) b.oauthToken(user, pick(APPS), Math.floor(random() * 90), Math.floor(random() * 500));
  return user;
}
