import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { connectTo } from '../../helpers/connection.js';
import { parseSpec } from '../../../src/shared/spec/load.js';
import { resolveSpec } from '../../../src/shared/spec/overlay.js';
import { planSpec } from '../../../src/shared/spec/plan.js';
import type { OrgConnection } from '../../../src/shared/api.js';
import { importSpec } from '../../../src/shared/spec/import.js';
import { loadSpec } from '../../../src/shared/spec/load.js';

const spec = (text: string, env?: string) => resolveSpec(parseSpec(text, 'integrations.yaml'), env);

describe('spec: plan against the emulator', () => {
  let emu: Emulator;
  let conn: OrgConnection;
  before(async () => {
    emu = await startEmulator({ seed: 'default', integrationLicenses: 30 });
    conn = await connectTo({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, username: emu.username, orgId: emu.orgId }, '66.0');
  });
  after(async () => emu?.close());

  it('is converged for a spec of what billing.sync holds', async () => {
    const { block } = await planSpec(
      conn,
      spec(`version: 1
integrations:
  - name: Billing Sync
    username: billing.sync@acme.example.com
    permissionSets: [Billing_Sync_Access]
    permissionSetGroups: [Integration_Bundle]
`),
      { prune: false, targetOrg: 'emu' }
    );
    expect(block.changes).to.deep.equal([]);
    expect(block.drift).to.deep.equal([]);
    expect(block.converged).to.equal(true);
    expect(block.readRequests).to.be.at.most(3);
    expect(block.writeRequests).to.equal(0);
  });

  it('plans a new integration, field updates, drift and --prune', async () => {
    const text = `version: 1
integrations:
  - name: Billing Sync
    username: billing.sync@acme.example.com
    email: billing-owner@acme.example.com
    permissionSetGroups: [Integration_Bundle]
  - name: Invoice Feed
    permissionSets:
      - name: Integration_Reader
        reason: reads invoices
        expires: 2099-06-30
`;
    const { block } = await planSpec(conn, spec(text), { prune: false, targetOrg: 'emu' });
    const summary = block.changes.map((c) => `${c.integration}|${c.action}|${c.type}|${c.name}|${c.from ?? ''}|${c.to ?? ''}`);
    expect(summary).to.include('Billing Sync|update|field|Email|billing.sync@acme.example.com|billing-owner@acme.example.com');
    expect(summary).to.include('Invoice Feed|create|user|invoice.feed.integration@acme.example.com||');
    expect(summary).to.include('Invoice Feed|assign|permissionSetLicense|SalesforceAPIIntegrationPsl||');
    expect(summary).to.include('Invoice Feed|assign|permissionSet|Integration_Reader||2099-06-30');
    expect(block.drift.map((d) => `${d.integration}|${d.type}|${d.name}`)).to.deep.equal(['Billing Sync|permissionSet|Billing_Sync_Access']);
    expect(block.converged).to.equal(false);
    expect(block.writeRequests).to.equal(1);
    const pruned = await planSpec(conn, spec(text), { prune: true, targetOrg: 'emu' });
    expect(pruned.block.changes.filter((c) => c.action === 'unassign').map((c) => c.name)).to.deep.equal(['Billing_Sync_Access']);
  });

  it('reports every problem at once with the integration and its line', async () => {
    const text = `version: 1
integrations:
  - name: A
    permissionSets: [Integration_Readr]
  - name: jane
    username: jane.doe@acme.example.com
  - name: 数据同步
`;
    const error = await planSpec(conn, spec(text), { prune: false, targetOrg: 'emu' }).then(
      () => undefined,
      (e: Error) => e
    );
    expect(error?.message).to.include('3 problems to fix first');
    // each at its key's line:column (the set's own, the name's), else at the integration's entry
    expect(error?.message).to.include('integrations.yaml:4:22: integrations[0].permissionSets[0]: Permission set "Integration_Readr"');
    expect(error?.message).to.include('integrations.yaml:5:5: integrations[1]: Integration "jane": jane.doe@acme.example.com is not an integration user');
    expect(error?.message).to.include('integrations.yaml:7:11: integrations[2].name: The name "数据同步" has no Latin letter');
    // the problems' own actions come with the error (what to do for each)
    const actions = (error as Error & { actions?: string[] }).actions ?? [];
    expect(actions).to.not.be.empty;
    for (const a of actions) expect(a.trim()).to.not.equal('');
  });

  it('a spec loaded with deferProblems: its own problems and the plan\'s in one error, in line order', async () => {
    const text = [
      'version: 1',
      'integrations:',
      '  - name: All Sync',
      '    alias: fifteen_chars_x',
      '    email: not-an-email',
      '    permissionSets:',
      '      - name: Biling_Sync_Access',
      '        expires: 2027-02-30',
      '',
    ].join('\n');
    expect(() => parseSpec(text, 'integrations.yaml'), 'without deferProblems a problem still throws').to.throw(/expected a date/);
    const loaded = parseSpec(text, 'integrations.yaml', { deferProblems: true });
    expect(loaded.problems?.map((p) => `${p.line}:${p.column}: ${p.key}`)).to.deep.equal(['8:18: integrations[0].permissionSets[0].expires']);
    const error = await planSpec(conn, resolveSpec(loaded), { prune: false, targetOrg: 'emu' }).then(
      () => undefined,
      (e: Error & { actions?: string[] }) => e
    );
    const bullets = (error?.message ?? '').split('\n').filter((l) => l.startsWith('- ')).map((l) => l.split(': ')[0]);
    expect(bullets).to.deep.equal([
      '- integrations.yaml:4:12',
      '- integrations.yaml:5:12',
      '- integrations.yaml:7:15',
      '- integrations.yaml:8:18',
    ]);
    expect(error?.message).to.include('4 problems to fix first');
    expect(error?.actions?.join('\n')).to.include('Did you mean: Billing_Sync_Access?');
    expect(error?.actions?.join('\n')).not.to.include('--alias');
    // an environment the problems removed: the problems, not "no environment"
    expect(() => resolveSpec(parseSpec(`${text}environments:\n  uat: 12\n`, 'integrations.yaml', { deferProblems: true }), 'uat')).to.throw(/is not a valid integrations spec: 2 problems/);
  });

  it('import of the default seed plans converged: a user lacking the API PSL gets apiIntegrationPsl: false with a comment', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spec-import-'));
    try {
      const file = join(dir, 'integrations.yaml');
      const imported = await importSpec(conn, file, { force: false, orgLabel: 'emu' });
      expect(imported.missingApiPsl).to.deep.equal(['warehouse.sync@acme.example.com']);
      const text = await readFile(file, 'utf8');
      // the comment sits right above the key, in the warehouse.sync entry only
      expect(text).to.match(/# This user lacks the SalesforceAPIIntegrationPsl PSL[^\n]*\n\s*#[^\n]*\n\s*apiIntegrationPsl: false\n/);
      expect(text.match(/apiIntegrationPsl: false/g)).to.have.length(1);
      const loaded = await loadSpec(file);
      const warehouse = loaded.integrations.find((i) => i.username === 'warehouse.sync@acme.example.com');
      expect(warehouse?.apiIntegrationPsl).to.equal(false);
      const { block } = await planSpec(conn, resolveSpec(loaded), { prune: false, targetOrg: 'emu' });
      expect(block.changes).to.deep.equal([]);
      expect(block.drift).to.deep.equal([]);
      expect(block.converged).to.equal(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('apiIntegrationPsl: false leaves the implied PSL out of a new integration; the default assigns it', async () => {
    const text = (flag: string) => `version: 1
integrations:
  - name: Invoice Feed${flag}
    permissionSets: [Integration_Reader]
`;
    const off = await planSpec(conn, spec(text('\n    apiIntegrationPsl: false')), { prune: false, targetOrg: 'emu' });
    expect(off.block.changes.map((c) => `${c.action}|${c.name}`)).to.deep.equal(['create|invoice.feed.integration@acme.example.com', 'assign|Integration_Reader']);
    const on = await planSpec(conn, spec(text('')), { prune: false, targetOrg: 'emu' });
    expect(on.block.changes.map((c) => `${c.action}|${c.name}`)).to.include('assign|SalesforceAPIIntegrationPsl');
  });

  it('refuses apiIntegrationPsl that is not a boolean, with its line', () => {
    expect(() => parseSpec('version: 1\nintegrations:\n  - name: A\n    apiIntegrationPsl: no-thanks\n', 'integrations.yaml')).to.throw(/integrations\.yaml:4:24: integrations\[0\]\.apiIntegrationPsl: expected true or false/);
  });
});
