import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import { DEFAULT_THRESHOLDS, parseAuditConfig, readAuditConfig } from '../../../src/shared/audit/config.js';
import { TEST_RULE_IDS } from './fixtures.js';
import { tempDir } from '../../helpers/tmp.js';

function parseError(raw: unknown): SfError {
  try {
    parseAuditConfig(raw, 'audit.json', TEST_RULE_IDS);
  } catch (e) {
    return e as SfError;
  }
  return expect.fail('expected the configuration to be rejected');
}

describe('audit config', () => {
  it('parses the documented example', () => {
    const config = parseAuditConfig(
      {
        rules: { IU010: { enabled: false }, IU004: { severity: 'medium' } },
        thresholds: { dormantDays: 30, seatUsagePercent: 90 },
        allow: [
          { user: 'erp.integration@acme.example.com', rules: ['IU003'], reason: 'migration planned Q3' },
          { user: '*', permissions: ['ViewSetup'] },
        ],
      },
      'audit.json',
      TEST_RULE_IDS
    );
    expect(config.rules).to.deep.equal({ IU010: { enabled: false }, IU004: { severity: 'medium' } });
    expect(config.thresholds).to.deep.equal({ dormantDays: 30, seatUsagePercent: 90 });
    expect(config.allow).to.have.length(2);
    expect(config.allow[0]).to.deep.equal({
      user: 'erp.integration@acme.example.com',
      rules: ['IU003'],
      reason: 'migration planned Q3',
    });
  });

  it('defaults everything for an empty object and canonicalises rule id case', () => {
    expect(parseAuditConfig({}, 'a.json', TEST_RULE_IDS)).to.deep.equal({
      rules: {},
      thresholds: DEFAULT_THRESHOLDS,
      allow: [],
    });
    const config = parseAuditConfig({ rules: { iu004: { enabled: true } }, thresholds: { dormantDays: 10 } }, 'a.json', TEST_RULE_IDS);
    expect(config.rules).to.have.key('IU004');
    expect(config.thresholds).to.deep.equal({ dormantDays: 10, seatUsagePercent: 80 });
  });

  const bad: Array<[string, unknown, string]> = [
    ['unknown top-level key', { rulez: {} }, 'unknown key "rulez"'],
    ['unknown rule id', { rules: { IU999: { enabled: false } } }, 'unknown rule id "IU999"'],
    ['unknown rule key', { rules: { IU004: { level: 'high' } } }, 'rules.IU004: unknown key "level"'],
    ['non-boolean enabled', { rules: { IU004: { enabled: 'no' } } }, 'rules.IU004.enabled must be true or false'],
    ['bad severity', { rules: { IU004: { severity: 'urgent' } } }, 'rules.IU004.severity must be one of info, low, medium, high, critical'],
    ['bad threshold', { thresholds: { dormantDays: -1 } }, 'thresholds.dormantDays must be a whole number from 1 to 3650'],
    ['percent over 100', { thresholds: { seatUsagePercent: 120 } }, 'thresholds.seatUsagePercent must be a whole number'],
    ['unknown threshold', { thresholds: { days: 3 } }, 'thresholds: unknown key "days"'],
    ['allowance without user', { allow: [{ rules: ['IU003'] }] }, 'allow[0].user must be a non-empty string'],
    ['allowance without scope', { allow: [{ user: '*' }] }, 'allow[0] needs "rules" or "permissions"'],
    ['allowance with unknown rule', { allow: [{ user: '*', rules: ['IU404'] }] }, 'allow[0].rules: unknown rule id "IU404"'],
    ['allowance with bad permissions', { allow: [{ user: '*', permissions: [] }] }, 'allow[0].permissions must be a non-empty list'],
    ['allowance with unknown key', { allow: [{ user: '*', rules: ['IU003'], until: '2026' }] }, 'allow[0]: unknown key "until"'],
    ['not an object', [], '(top level) must be an object'],
  ];
  for (const [name, raw, detail] of bad) {
    it(`rejects ${name}, naming the key`, () => {
      const err = parseError(raw);
      expect(err.name).to.equal('InvalidConfigError');
      expect(err.message).to.include('audit.json').and.include(detail);
      expect(err.actions?.join('\n')).to.include('--list-rules');
    });
  }

  it('reads a file, and names the file when it is missing or not JSON', async () => {
    const dir = await tempDir('audit-config-');
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ rules: { IU010: { enabled: false } } }));
    expect((await readAuditConfig(good, TEST_RULE_IDS)).rules).to.deep.equal({ IU010: { enabled: false } });

    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ nope');
    const notJson = await readAuditConfig(broken, TEST_RULE_IDS).then(() => undefined, (e: unknown) => e as SfError);
    expect(notJson?.name).to.equal('FileReadFailedError');
    expect(notJson?.message).to.include(broken);

    const missing = await readAuditConfig(join(dir, 'none.json'), TEST_RULE_IDS).then(() => undefined, (e: unknown) => e as SfError);
    expect(missing?.name).to.equal('FileReadFailedError');
    expect(missing?.message).to.include('none.json');
  });
});
