/**
 * A real @salesforce/core Connection to the org emulator (or any instance URL + access token), without
 * touching ~/.sfdx: for library tests that go through jsforce exactly as the commands do.
 */
import { AuthInfo, Connection } from '@salesforce/core';

/** With `username` and `orgId` (the emulator has both) core skips its userinfo request. */
export type ConnectTarget = { instanceUrl: string; accessToken: string; username?: string; orgId?: string };

/**
 * Connects with the access token. With `apiVersion` the version is pinned (no discovery request);
 * without it, core asks the org for its latest version (one `GET /services/data` request).
 */
export async function connectTo(target: ConnectTarget, apiVersion?: string): Promise<Connection> {
  const authInfo = await AuthInfo.create({
    accessTokenOptions: {
      accessToken: target.accessToken,
      instanceUrl: target.instanceUrl,
      loginUrl: target.instanceUrl,
      ...(target.username ? { username: target.username } : {}),
      ...(target.orgId ? { orgId: target.orgId } : {}),
    },
  });
  return Connection.create({
    authInfo,
    ...(apiVersion ? { connectionOptions: { version: apiVersion } } : {}),
  });
}
