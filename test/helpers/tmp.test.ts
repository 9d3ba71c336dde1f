import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { removeTempDirs, tempDir, tempDirSync } from './tmp.js';

describe('test helper: temp dirs', () => {
  it('makes fresh dirs under os.tmpdir() and removes them, files and all', async () => {
    const a = await tempDir('tmp-helper-');
    const b = tempDirSync('tmp-helper-');
    expect(a).to.not.equal(b);
    expect(a.startsWith(join(tmpdir(), 'tmp-helper-'))).to.equal(true);
    await writeFile(join(a, 'f.txt'), 'x');
    expect(existsSync(join(a, 'f.txt'))).to.equal(true);
    await removeTempDirs();
    expect([existsSync(a), existsSync(b)]).to.deep.equal([false, false]);
  });
});
