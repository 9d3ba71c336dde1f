import { expect } from 'chai';
import { similarUsernames, usernameCandidatesQuery } from '../../../src/shared/model/names.js';

describe('model/names', () => {
  const org = ['billing.sync@acme.example.com', 'billing.reader@acme.example.com', 'shared.connector@acme.example.com', 'billing.sync@other.example.com'];

  it('similarUsernames: same domain and a close local part first, else the closest whole username', () => {
    expect(similarUsernames('biling.sync@acme.example.com', org)).to.deep.equal(['billing.sync@acme.example.com']);
    expect(similarUsernames('billing.sync@acme.exmple.com', org)).to.deep.equal(['billing.sync@acme.example.com']);
    expect(similarUsernames('shared.connector', org)).to.deep.equal(['shared.connector@acme.example.com']);
    expect(similarUsernames('zzz@acme.example.com', org)).to.deep.equal([]);
  });

  it('usernameCandidatesQuery: the names\' domains and local parts, LIKE wildcards and quotes escaped', () => {
    expect(usernameCandidatesQuery(['A_b@acme.example.com', "o'x"])).to.equal(
      "SELECT Username FROM User WHERE Username LIKE '%@acme.example.com' OR Username LIKE 'a\\_b@%' OR Username LIKE 'o\\'x%' ORDER BY Username LIMIT 2000"
    );
  });
});
