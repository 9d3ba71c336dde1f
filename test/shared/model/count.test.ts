import { expect } from 'chai';
import { COUNTED_NOUNS, countOf } from '../../../src/shared/model/count.js';

describe('model/count: countOf', () => {
  it('every noun in the right number: 1 in the singular, 0 and 2 in the plural', () => {
    for (const noun of COUNTED_NOUNS) {
      const [zero, one, two] = [0, 1, 2].map((n) => countOf(n, noun));
      expect(one, noun).to.match(/^1 \S/);
      expect(two, noun).to.match(/^2 \S/);
      expect(zero, noun).to.equal(two.replace(/^2/, '0'));
      expect(two, noun).to.not.equal(one.replace(/^1/, '2'));
      expect(`${one} ${two}`, noun).to.not.include('(s)');
    }
  });

  it('words', () => {
    expect([countOf(1, 'missingGrant'), countOf(3, 'missingGrant'), countOf(1, 'day'), countOf(90, 'day'), countOf(2, 'baselineEntry'), countOf(1, 'token')]).to.deep.equal([
      '1 missing grant',
      '3 missing grants',
      '1 day',
      '90 days',
      '2 baseline entries',
      '1 OAuth token',
    ]);
  });
});
