import { expect } from 'chai';
import { hasControlCharacters, isEmailShaped, showControlCharacters } from '../../../src/shared/model/text.js';

describe('model/text', () => {
  it('tells an email-shaped value', () => {
    for (const ok of ['a@b.co', 'billing.sync+int@acme.example.com', 'admin@acme.example.com.uat']) expect(isEmailShaped(ok), ok).to.equal(true);
    for (const bad of ['a@b', 'a b@c.de', 'a@@b.co', '@b.co', 'a@b.co.', 'nobody']) expect(isEmailShaped(bad), bad).to.equal(false);
  });

  it('finds control characters (C0, DEL, C1; tab and line breaks included) and shows them escaped', () => {
    for (const bad of ['a\tb', 'a\nb', 'a\rb', 'a\u0000b', 'a\u007Fb', 'a\u0085b']) expect(hasControlCharacters(bad), JSON.stringify(bad)).to.equal(true);
    for (const ok of ['Billing Sync', 'Синхронизация', '数据同步', 'Café']) expect(hasControlCharacters(ok), ok).to.equal(false);
    expect(showControlCharacters('a\tb\u007F')).to.equal('a\\u0009b\\u007F');
  });
});
