/** A fake org for the create/assign command tests. */
export type Rows = Record<string, Array<Record<string, unknown>>>;

export const BASE_ROWS: Rows = {
  Organization: [{ Id: '00D000000000001AAA', Name: 'Acme', OrganizationType: 'Enterprise Edition', IsSandbox: false, TrialExpirationDate: null }],
  UserLicense: [{ Id: '100000000000002AAA', Name: 'Salesforce Integration', MasterLabel: 'Salesforce Integration', Status: 'Active', TotalLicenses: 5, UsedLicenses: 4 }],
  PermissionSetLicense: [
    { Id: '0PL000000000001AAA', DeveloperName: 'SalesforceAPIIntegrationPsl', MasterLabel: 'Salesforce API Integration', Status: 'Active', TotalLicenses: 5, UsedLicenses: 1 },
  ],
  PermissionSet: [{ Id: '0PS000000000001AAA', Name: 'Billing_Sync_Access', Label: 'Billing Sync Access', LicenseId: null }],
  Profile: [{ Id: '00e000000000001AAA', Name: 'Minimum Access - API Only Integrations' }],
};

/** A fake org: composite queries answered by queried object (User rows filtered by the quoted usernames), writes recorded and accepted. */
export function fakeOrg(rows: Rows, writes: Array<{ url: string; body: Record<string, unknown> }>) {
  return (request: unknown): Promise<unknown> => {
    const { url, body } = request as { url: string; body?: string };
    const parsed = JSON.parse(body ?? '{}') as Record<string, unknown>;
    if (url.endsWith('/composite/sobjects')) {
      writes.push({ url, body: parsed });
      return Promise.resolve((parsed.records as unknown[]).map((_, i) => ({ id: `0Pa00000000000${i}AAA`, success: true, errors: [] })));
    }
    if (!url.endsWith('/composite')) return Promise.reject(new Error(`unexpected request ${url}`));
    const subs = parsed.compositeRequest as Array<{ method: string; url: string; referenceId: string }>;
    if (subs.some((s) => s.method !== 'GET')) {
      writes.push({ url, body: parsed });
      return Promise.resolve({ compositeResponse: subs.map((s, i) => ({ referenceId: s.referenceId, httpStatusCode: 201, body: { id: `005NEW00000000${i}AAA`, success: true, errors: [] } })) });
    }
    return Promise.resolve({
      compositeResponse: subs.map(({ url: subUrl, referenceId }) => {
        const soql = decodeURIComponent(subUrl.split('q=')[1] ?? '');
        const object = /\bFROM\s+(\w+)/i.exec(soql.replace(/\(SELECT[^)]*\)/gi, ''))?.[1] ?? '';
        let records = rows[object] ?? [];
        if (object === 'User') records = records.filter((r) => soql.toLowerCase().includes(`'${String(r.Username).toLowerCase()}'`));
        return { referenceId, httpStatusCode: 200, body: { totalSize: records.length, done: true, records } };
      }),
    });
  };
}

