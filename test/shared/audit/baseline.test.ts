import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { createBaseline, parseBaseline, readBaseline, writeBaseline } from '../../../src/shared/audit/baseline.js';
import { DEFAULT_CONFIG } from '../../../src/shared/audit/config.js';
import { applyPolicy } from '../../../src/shared/audit/policy.js';
import { fingerprintOf } from '../../../src/shared/audit/types.js';
import { ERP, WAREHOUSE, sampleRun } from './fixtures.js';
import { tempDir } from '../../helpers/tmp.js';

const NOW = new Date('2026-03-01T10:00:00.000Z');

describe('audit baseline', () => {
  it('accepts every current finding, once, sorted, keeping earlier notes', () => {
    const run = sampleRun();
    const previous = createBaseline(run.findings.slice(0, 1), NOW);
    previous.findings[0].note = 'accepted until the ERP migration';
    const baseline = createBaseline([...run.findings, run.findings[3]], NOW, previous);
    expect(baseline.version).to.equal(1);
    expect(baseline.generatedAt).to.equal('2026-03-01T10:00:00.000Z');
    expect(baseline.findings).to.have.length(run.findings.length);
    expect(baseline.findings.map((e) => e.ruleId)).to.deep.equal(['IU001', 'IU003', 'IU004', 'IU004', 'IU010', 'IU012']);
    const modifyAll = baseline.findings.find((e) => e.fingerprint === run.findings[0].fingerprint);
    expect(modifyAll).to.deep.include({ ruleId: 'IU004', user: ERP, note: 'accepted until the ERP migration' });
    expect(baseline.findings.filter((e) => e.note)).to.have.length(1);
  });

  it('suppresses baselined findings by fingerprint even when message and severity change', () => {
    const run = sampleRun();
    const baseline = createBaseline(run.findings.filter((f) => f.user === WAREHOUSE), NOW);
    const next = sampleRun();
    next.findings = next.findings.map((f) => (f.user === WAREHOUSE ? { ...f, message: 'reworded', severity: 'critical' } : f));
    const result = applyPolicy(next, { config: DEFAULT_CONFIG, baseline, failOn: 'high' });
    expect(result.summary.suppressed).to.equal(2);
    expect(result.findings.map((f) => f.user)).to.not.include(WAREHOUSE);
    expect(result.summary.findings).to.equal(4);
    expect(result.summary.staleBaselineEntries).to.deep.equal([]);
  });

  it('lists baseline entries that no longer match as stale, but not those of other users in a --user run or of rules not evaluated', () => {
    const fixed = { fingerprint: fingerprintOf('IU001', ERP, 'psl'), ruleId: 'IU001', user: ERP };
    const otherUser = { fingerprint: fingerprintOf('IU001', 'x@acme.example.com', 'psl'), ruleId: 'IU001', user: 'x@acme.example.com' };
    const notEvaluated = { fingerprint: fingerprintOf('IU010', ERP, 'dormant'), ruleId: 'IU010', user: ERP };
    const baseline = { version: 1 as const, generatedAt: '', findings: [fixed, otherUser, notEvaluated] };
    const run = sampleRun();
    run.rulesNotEvaluated = [{ ruleId: 'IU010', reason: 'INSUFFICIENT_ACCESS', requiredPermission: 'ViewSetup' }];

    const all = applyPolicy(run, { config: DEFAULT_CONFIG, baseline, failOn: 'high' });
    expect(all.summary.staleBaselineEntries).to.deep.equal([fixed, otherUser]);
    const scoped = applyPolicy(run, { config: DEFAULT_CONFIG, baseline, failOn: 'high', users: [ERP.toUpperCase()] });
    expect(scoped.summary.staleBaselineEntries).to.deep.equal([fixed]);
  });

  it('round-trips through a file', async () => {
    const dir = await tempDir('audit-baseline-');
    const path = join(dir, 'baseline.json');
    const baseline = createBaseline(sampleRun().findings, NOW);
    await writeBaseline(path, baseline);
    const onDisk = JSON.parse(await readFile(path, 'utf8')) as { version: number; findings: unknown[] };
    expect(onDisk.version).to.equal(1);
    expect(onDisk.findings).to.have.length(6);
    expect(await readBaseline(path)).to.deep.equal(baseline);

    const result = applyPolicy(sampleRun(), { config: DEFAULT_CONFIG, baseline: await readBaseline(path), failOn: 'low' });
    expect(result.findings).to.deep.equal([]);
    expect(result.summary).to.deep.include({ suppressed: 6, findings: 0, exitCode: 0, passed: true });
  });

  it('rejects malformed baselines with the path and the bad key', async () => {
    const bad: Array<[unknown, string]> = [
      [{ version: 2, findings: [] }, 'version must be 1'],
      [{ version: 1 }, 'findings must be an object'],
      [{ version: 1, findings: [{ ruleId: 'IU001' }] }, 'findings[0].fingerprint must be a non-empty string'],
      [{ version: 1, findings: [{ fingerprint: 'a', ruleId: 'IU001', user: 3 }] }, 'findings[0].user'],
      ['nope', '(top level) must be an object'],
    ];
    for (const [raw, detail] of bad) {
      const err = await Promise.resolve()
        .then(() => parseBaseline(raw, 'base.json'))
        .then(() => undefined, (e: unknown) => e as SfError);
      expect(err?.name, detail).to.equal('InvalidBaselineError');
      expect(err?.message).to.include('base.json').and.include(detail);
      expect(err?.actions?.join(' ')).to.include('--write-baseline');
    }
    const dir = await tempDir('audit-baseline-');
    await writeFile(join(dir, 'b.json'), JSON.stringify({ version: 1, findings: [{ fingerprint: 'f', ruleId: 'IU001', user: null, note: 'n' }] }));
    expect((await readBaseline(join(dir, 'b.json'))).findings).to.deep.equal([{ fingerprint: 'f', ruleId: 'IU001', user: null, note: 'n' }]);
  });
});
