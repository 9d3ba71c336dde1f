import { expect } from 'chai';
import type { OrgConnection } from '../../../src/shared/api.js';
import { writeAssignments, writeNewUser } from '../../../src/shared/grants/write.js';
import type { ResolvedGrant } from '../../../src/shared/grants/types.js';

type Req = { method: string; url: string; body?: string };
type Sub = { method: string; url: string; referenceId: string; body?: Record<string, unknown> };

/** A fake connection answering with `answer` and keeping every request. */
function fake(answer: (req: Req, body: Record<string, unknown>) => unknown): { conn: OrgConnection; sent: Array<{ url: string; body: Record<string, unknown> }> } {
  const sent: Array<{ url: string; body: Record<string, unknown> }> = [];
  const conn = {
    getApiVersion: () => '62.0',
    getUsername: () => 'admin@acme.example.com',
    request: (req: Req) => {
      const body = JSON.parse(req.body ?? '{}') as Record<string, unknown>;
      sent.push({ url: req.url, body });
      return Promise.resolve(answer(req, body));
    },
  } as unknown as OrgConnection;
  return { conn, sent };
}

const psl: ResolvedGrant = { type: 'permissionSetLicense', id: '0PL1', name: 'SalesforceAPIIntegrationPsl', label: 'API' };
const set: ResolvedGrant = { type: 'permissionSet', id: '0PS1', name: 'Billing_Sync_Access', label: 'Billing' };
const group: ResolvedGrant = { type: 'permissionSetGroup', id: '0PG1', name: 'Integration_Bundle', label: 'Bundle' };
const created = (id: string) => ({ body: { id, success: true, errors: [] }, httpStatusCode: 201 });
const failed = (code: string, message = code) => ({ body: [{ errorCode: code, message }], httpStatusCode: 400 });
const halted = () => failed('PROCESSING_HALTED', 'halted');
const subsOf = (body: Record<string, unknown>): Sub[] => body.compositeRequest as Sub[];

describe('grants: writeNewUser', () => {
  const write = { fields: { Username: 'new@acme.example.com', ProfileId: '00e1' }, grants: [psl, set, group], usernameSuggestion: 'new.prod@acme.example.com' };

  it('writes the user and its grants in one all-or-nothing composite, in order, referencing the new user', async () => {
    const { conn, sent } = fake((_req, body) => ({ compositeResponse: subsOf(body).map((s, i) => ({ ...created(`id${i}`), referenceId: s.referenceId })) }));
    const result = await writeNewUser(conn, write);
    expect(result).to.deep.equal({ userId: 'id0', mode: 'composite', writeRequests: 1 });
    expect(sent).to.have.length(1);
    expect(sent[0].body).to.include({ allOrNone: true, collateSubrequests: false });
    expect(subsOf(sent[0].body).map((s) => `${s.url.split('/').pop()}:${JSON.stringify(s.body)}`)).to.deep.equal([
      'User:{"Username":"new@acme.example.com","ProfileId":"00e1"}',
      'PermissionSetLicenseAssign:{"AssigneeId":"@{newUser.id}","PermissionSetLicenseId":"0PL1"}',
      'PermissionSetAssignment:{"AssigneeId":"@{newUser.id}","PermissionSetId":"0PS1"}',
      'PermissionSetAssignment:{"AssigneeId":"@{newUser.id}","PermissionSetGroupId":"0PG1"}',
    ]);
  });

  it('names the failing grant when the composite is rolled back', async () => {
    const { conn } = fake(() => ({ compositeResponse: [halted(), halted(), failed('FIELD_INTEGRITY_EXCEPTION', "Can't assign"), halted()] }));
    const err = await writeNewUser(conn, write).then(() => undefined, (e: Error & { actions?: string[] }) => e);
    expect(err?.message).to.equal(
      "Nothing was written: creating new@acme.example.com failed on Billing_Sync_Access (FIELD_INTEGRITY_EXCEPTION: Can't assign), so the whole request was rolled back and no user was created."
    );
  });

  it('suggests --username on DUPLICATE_USERNAME', async () => {
    const { conn } = fake(() => ({ compositeResponse: [failed('DUPLICATE_USERNAME', 'Duplicate Username'), halted(), halted(), halted()] }));
    const err = await writeNewUser(conn, write).then(() => undefined, (e: Error & { actions?: string[] }) => e);
    expect(err?.name).to.equal('DuplicateUsernameError');
    expect(err?.actions).to.deep.equal(['Choose another username with --username, for example --username new.prod@acme.example.com.']);
  });

  it('falls back on MIXED_DML_OPERATION: user, then the assignments all-or-nothing', async () => {
    const { conn, sent } = fake((req, body) => {
      if (req.url.endsWith('/composite')) {
        const subs = subsOf(body);
        return { compositeResponse: subs.length > 1 ? [created('x'), failed('MIXED_DML_OPERATION'), halted(), halted()] : [created('005NEW')] };
      }
      return (body.records as unknown[]).map((_, i) => ({ id: `a${i}`, success: true, errors: [] }));
    });
    const result = await writeNewUser(conn, write);
    expect(result).to.deep.equal({ userId: '005NEW', mode: 'separate', writeRequests: 4 });
    expect(sent.slice(2).map((s) => s.url)).to.deep.equal(['/services/data/v62.0/composite/sobjects', '/services/data/v62.0/composite/sobjects']);
    expect(sent.slice(2).every((s) => s.body.allOrNone === true)).to.be.true;
    // Collections take one Setup object type per request: PSLs first, then the sets and groups.
    expect(sent.slice(2).map((s) => (s.body.records as Array<{ attributes: { type: string }; AssigneeId: string }>).map((r) => `${r.attributes.type}:${r.AssigneeId}`))).to.deep.equal([
      ['PermissionSetLicenseAssign:005NEW'],
      ['PermissionSetAssignment:005NEW', 'PermissionSetAssignment:005NEW'],
    ]);
  });

  it('deactivates the new user when the separate assignments fail, and says so', async () => {
    const { conn, sent } = fake((req, body) => {
      if (req.url.endsWith('/composite')) {
        return { compositeResponse: subsOf(body).length > 1 ? [created('x'), failed('MIXED_DML_OPERATION'), halted(), halted()] : [created('005NEW')] };
      }
      if (req.method === 'PATCH') return [{ id: '005NEW', success: true, errors: [] }];
      const records = body.records as Array<{ attributes: { type: string } }>;
      if (records[0].attributes.type === 'PermissionSetLicenseAssign') return [{ id: '2LA1', success: true, errors: [] }];
      return [
        { success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'no PSL' }] },
        { success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'rolled back' }] },
      ];
    });
    const err = await writeNewUser(conn, write).then(() => undefined, (e: Error) => e);
    expect(err?.name).to.equal('AssignmentsFailedUserDeactivatedError');
    expect(err?.message).to.include('The user new@acme.example.com (005NEW) was created, but assigning its grants failed (FIELD_INTEGRITY_EXCEPTION: no PSL)');
    expect(err?.message).to.include('Assigned before the failure: SalesforceAPIIntegrationPsl. Not assigned: Billing_Sync_Access, Integration_Bundle. The user was deactivated');
    expect(sent.at(-1)?.body).to.deep.equal({ allOrNone: true, records: [{ attributes: { type: 'User' }, Id: '005NEW', IsActive: false }] });
  });
});

describe('grants: writeAssignments', () => {
  it('writes one user in one all-or-nothing composite, dropping a duplicate and sending the rest again', async () => {
    let call = 0;
    const { conn, sent } = fake((_req, body) => {
      call++;
      const subs = subsOf(body);
      if (call === 1) return { compositeResponse: [halted(), failed('DUPLICATE_VALUE', 'duplicate value found'), halted()] };
      return { compositeResponse: subs.map((s, i) => ({ ...created(`a${i}`), referenceId: s.referenceId })) };
    });
    const { outcomes, writeRequests } = await writeAssignments(conn, [{ userId: '005A', username: 'a@x.com', grants: [psl, set, group] }]);
    expect(writeRequests).to.equal(2);
    expect(outcomes[0].added).to.deep.equal([psl, group]);
    expect(outcomes[0].duplicates).to.deep.equal([set]);
    expect(subsOf(sent[1].body)).to.have.length(2);
  });

  it('writes several users: PSLs first for all, then sets only for users whose PSL succeeded', async () => {
    const { conn, sent } = fake((_req, body) => {
      const records = body.records as Array<{ AssigneeId: string; attributes: { type: string } }>;
      return records.map((r) =>
        r.AssigneeId === '005B' && r.attributes.type === 'PermissionSetLicenseAssign'
          ? { success: false, errors: [{ statusCode: 'LICENSE_LIMIT_EXCEEDED', message: 'no seat' }] }
          : { id: 'ok', success: true, errors: [] }
      );
    });
    const { outcomes, writeRequests } = await writeAssignments(conn, [
      { userId: '005A', username: 'a@x.com', grants: [psl, set] },
      { userId: '005B', username: 'b@x.com', grants: [psl, set, group] },
      { userId: '005C', username: 'c@x.com', grants: [] },
    ]);
    expect(writeRequests).to.equal(2);
    expect(sent.map((s) => (s.body.records as unknown[]).length)).to.deep.equal([2, 1]);
    expect(sent.every((s) => s.body.allOrNone === false)).to.be.true;
    expect(outcomes.map((o) => [o.username, o.added.length, o.failed.length, o.notWritten.length])).to.deep.equal([
      ['a@x.com', 2, 0, 0],
      ['b@x.com', 0, 1, 2],
      ['c@x.com', 0, 0, 0],
    ]);
  });

  it('splits more than 200 assignments into requests of 200', async () => {
    const { conn, sent } = fake((_req, body) => (body.records as unknown[]).map(() => ({ id: 'ok', success: true, errors: [] })));
    const users = Array.from({ length: 60 }, (_, i) => ({ userId: `005${i}`, username: `u${i}@x.com`, grants: [psl, set, group, { ...set, id: '0PS2' }] }));
    const { writeRequests } = await writeAssignments(conn, users);
    expect(sent.map((s) => (s.body.records as unknown[]).length)).to.deep.equal([60, 180]);
    expect(writeRequests).to.equal(2);
  });
});
