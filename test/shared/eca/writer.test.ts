import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { generateFiles } from '../../../src/shared/eca/generate.js';
import { buildSpec } from '../../../src/shared/eca/spec.js';
import { writeFiles } from '../../../src/shared/eca/writer.js';
import { INPUTS } from './helpers.js';

const files = generateFiles(buildSpec(INPUTS['client-credentials']).spec);

async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).sort();
}

describe('eca writeFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eca-write-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('writes every file and returns their absolute paths', async () => {
    const paths = await writeFiles(join(dir, 'out'), files, { force: false });
    expect(paths).to.deep.equal(files.map((f) => join(dir, 'out', f.path)));
    for (const [i, p] of paths.entries()) {
      expect(await readFile(p, 'utf8')).to.equal(files[i].xml);
    }
  });

  it('refuses existing files, lists them, and writes none of the others', async () => {
    const existing = join(dir, files[2].path);
    await mkdir(join(dir, 'extlClntAppOauthSettings'));
    await writeFile(existing, 'mine');
    const err = (await writeFiles(dir, files, { force: false }).then(() => undefined, (e: unknown) => e)) as SfError;
    expect(err.name).to.equal('FilesExistError');
    expect(err.message).to.include(existing);
    expect(err.actions?.[0]).to.include('--force');
    expect(await tree(dir)).to.deep.equal(['extlClntAppOauthSettings', 'extlClntAppOauthSettings/Billing_Sync.ecaOauth-meta.xml']);
    expect(await readFile(existing, 'utf8')).to.equal('mine');
  });

  it('overwrites existing files with force', async () => {
    await writeFiles(dir, files, { force: false });
    await writeFile(join(dir, files[0].path), 'stale');
    await writeFiles(dir, files, { force: true });
    expect(await readFile(join(dir, files[0].path), 'utf8')).to.equal(files[0].xml);
  });

  it('maps an unwritable output folder to a clear error and leaves nothing behind', async () => {
    await writeFile(join(dir, 'plain-file'), '');
    const out = join(dir, 'plain-file', 'force-app');
    const err = (await writeFiles(out, files, { force: false }).then(() => undefined, (e: unknown) => e)) as SfError;
    expect(err.name).to.equal('OutputNotWritableError');
    expect(err.message).to.include(out).and.include('ENOTDIR');
    expect(await tree(dir)).to.deep.equal(['plain-file']);
  });

  it('removes temporary files and new folders when a write fails part-way', async () => {
    // The second file's target folder is taken by a file, so its mkdir fails after the first folder was made.
    await writeFile(join(dir, 'extlClntAppGlobalOauthSets'), '');
    const err = (await writeFiles(dir, files, { force: false }).then(() => undefined, (e: unknown) => e)) as SfError;
    expect(err.name).to.equal('OutputNotWritableError');
    expect(await tree(dir)).to.deep.equal(['extlClntAppGlobalOauthSets']);
  });
});
