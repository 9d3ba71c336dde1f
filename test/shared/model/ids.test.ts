import { expect } from 'chai';
import { id15, sameId } from '../../../src/shared/model/ids.js';
import { makeId, to18 } from '../../emulator/core/ids.js';

describe('model/ids', () => {
  // A real-shaped user Id and its 18-character form (checksum computed independently by the emulator).
  const body = '005Hn00000Ab3dE';
  const full = to18(body);

  it('id15 of a 15-character Id is the Id itself', () => {
    expect(id15(body)).to.equal(body);
  });

  it('id15 of an 18-character Id is its 15-character body', () => {
    expect(full).to.have.length(18);
    expect(id15(full)).to.equal(body);
  });

  it('an 18-character Id is case-safe: upper- or lower-casing it names the same record', () => {
    expect(id15(full.toUpperCase())).to.equal(body);
    expect(id15(full.toLowerCase())).to.equal(body);
    expect(sameId(full.toLowerCase(), body)).to.be.true;
  });

  it('15-character Ids are case-sensitive', () => {
    expect(sameId(body, body.toLowerCase())).to.be.false;
    expect(sameId(to18(body.toLowerCase()), full)).to.be.false;
  });

  it('sameId compares 15 with 18 characters either way round', () => {
    expect(sameId(body, full)).to.be.true;
    expect(sameId(full, body)).to.be.true;
    expect(sameId(full, full)).to.be.true;
    expect(sameId(makeId('005', 1), makeId('005', 2))).to.be.false;
    expect(sameId(makeId('005', 1).slice(0, 15), makeId('005', 1))).to.be.true;
  });

  it('anything not shaped like an Id compares by plain equality', () => {
    expect(id15('')).to.equal('');
    expect(id15('not-an-id')).to.equal('not-an-id');
    expect(sameId('', '')).to.be.true;
    expect(sameId('abc', 'ABC')).to.be.false;
  });
});
