import { expect } from 'chai';
import { isValidAppName, MAX_APP_NAME_LENGTH, toAppName } from '../../../src/shared/eca/appName.js';

describe('eca app names (one rule for generate app -n and the name create suggests)', () => {
  it('valid: a letter first, then letters, digits and single underscores, at most 80 characters', () => {
    for (const ok of ['Billing_Sync', 'A', 'CI2_Deploy_v3']) expect(isValidAppName(ok), ok).to.be.true;
    for (const bad of ['Billing-Sync', '_Billing', 'Billing_', 'Billing__Sync', '2fa', '', 'Ünternehmen', 'A'.repeat(81)]) {
      expect(isValidAppName(bad), bad).to.be.false;
    }
  });

  it('toAppName makes a valid name from any text, and keeps a valid one as it is', () => {
    const cases: Array<[string, string]> = [
      ['Billing_Sync', 'Billing_Sync'],
      ['billing sync (ERP)', 'billing_sync_ERP'],
      ['  --ERP--  ', 'ERP'],
      ['2024 import', 'App_2024_import'],
      ['Ünternehmen IT', 'Unternehmen_IT'],
      ['!!!', 'Integration_App'],
    ];
    for (const [text, name] of cases) {
      expect(toAppName(text), text).to.equal(name);
      expect(isValidAppName(toAppName(text)), text).to.be.true;
    }
  });

  it('cuts long names without leaving a trailing underscore', () => {
    const name = toAppName(`${'a'.repeat(MAX_APP_NAME_LENGTH - 1)} b`);
    expect(name.length).to.be.at.most(MAX_APP_NAME_LENGTH);
    expect(isValidAppName(name)).to.be.true;
  });
});
