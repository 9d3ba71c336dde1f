import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs a module script under tsx and returns what it printed. */
function run(script: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
  return r.stdout.trim();
}

const XML_LOADED = `Object.keys((await import('node:module')).createRequire(import.meta.url).cache).some((k) => k.includes('fast-xml-parser'))`;

describe('the XML stack loads when a format needs it', function () {
  this.timeout(60_000);

  it('only src/shared/xml.ts imports fast-xml-parser (any other import would load it at start-up)', () => {
    const importers = readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => join(e.parentPath, e.name))
      .filter((file) => /^import (?!type\b)[^;]*from 'fast-xml-parser'/m.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(importers).to.deep.equal([]);
  });

  it('loading generate app does not load it; writing a metadata file does', () => {
    const out = run(`
      await import('./src/commands/integration/user/generate/app.ts');
      const before = ${XML_LOADED};
      const { metadataXml } = await import('./src/shared/eca/xml.ts');
      metadataXml('ExternalClientApplication', { label: 'X' });
      console.log(JSON.stringify([before, ${XML_LOADED}]));
    `);
    expect(JSON.parse(out)).to.deep.equal([false, true]);
  });
});
