import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { nodeVersionProblem, REQUIRED_NODE_MAJOR } from '../../bin/node-version.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs a bin script with process.versions.node faked to `version` before the script loads. */
function runWithNodeVersion(script: string, version: string): { status: number | null; stdout: string; stderr: string } {
  const fake = `Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '${version}' } });`;
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(fake)}`, join(ROOT, 'bin', script), '--version'], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('Node.js version check (bin/node-version.js)', () => {
  it('Node.js 20: one line with the found version, the required version and how to get it', () => {
    const message = nodeVersionProblem({ node: '20.18.1' }, '/usr/bin/node');
    expect(message).to.be.a('string');
    expect(message).to.not.include('\n');
    expect(message).to.include('Node.js 20.18.1 (/usr/bin/node)');
    expect(message).to.include('Node.js 22 or later');
    expect(message).to.include('nvm install');
    expect(message).to.include('https://nodejs.org');
  });

  it('Node.js 22 and later pass; a missing or odd version does not', () => {
    expect(nodeVersionProblem({ node: '22.0.0' })).to.equal(undefined);
    expect(nodeVersionProblem({ node: '24.1.0' })).to.equal(undefined);
    expect(nodeVersionProblem({ node: '21.7.3' })).to.include('21.7.3');
    expect(nodeVersionProblem({})).to.include('Node.js unknown');
  });

  it('agrees with package.json engines and .nvmrc', () => {
    const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pjson.engines.node).to.equal(`>=${REQUIRED_NODE_MAJOR}`);
    expect(readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim()).to.equal(String(REQUIRED_NODE_MAJOR));
  });

  for (const script of ['run.js', 'dev.js']) {
    it(`bin/${script} under a faked Node.js 20: exactly that one line on stderr, nothing on stdout, exit 1`, () => {
      const r = runWithNodeVersion(script, '20.18.1');
      expect(r.status).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr.trimEnd().split('\n')).to.deep.equal([nodeVersionProblem({ node: '20.18.1' }, process.execPath)]);
    });
  }

  it('bin/run.js under the real (22+) Node.js runs the CLI', () => {
    const r = runWithNodeVersion('run.js', process.versions.node);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^plugin-integration-user\/\d+\.\d+\.\d+ /);
  });

  describe('scripts/node22.sh (npm test, npm run demo, .ci/run)', () => {
    it('npm test, npm run demo and .ci/run go through it', () => {
      const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      expect(pjson.scripts.test).to.match(/^sh scripts\/node22\.sh npm run /);
      expect(pjson.scripts.demo).to.match(/^sh scripts\/node22\.sh npm run /);
      expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).to.include('scripts/node22.sh');
    });

    it('under an older node: one line saying so, then the command runs with the cached Node.js 22 first on PATH', () => {
      const dir = mkdtempSync(join(tmpdir(), 'node22-'));
      try {
        // an "old" node first on PATH, and a cache that already holds Node.js 22 (this one): no download
        mkdirSync(join(dir, 'old'));
        writeFileSync(join(dir, 'old', 'node'), '#!/bin/sh\necho 20.18.1\n');
        chmodSync(join(dir, 'old', 'node'), 0o755);
        mkdirSync(join(dir, 'cache', 'node_modules', '.bin'), { recursive: true });
        symlinkSync(process.execPath, join(dir, 'cache', 'node_modules', '.bin', 'node'));
        const r = spawnSync('sh', [join(ROOT, 'scripts', 'node22.sh'), 'node', '-p', 'process.versions.node'], {
          encoding: 'utf8',
          env: { PATH: `${join(dir, 'old')}:/usr/bin:/bin`, HOME: dir, NODE22_HOME: join(dir, 'cache'), npm_lifecycle_event: 'test' },
        });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stderr.trimEnd().split('\n')).to.deep.equal([
          `npm run test: found Node.js 20.18.1, need 22 or later; running under Node.js 22 from the npm registry (cached in ${join(dir, 'cache')})`,
        ]);
        expect(r.stdout.trim()).to.equal(process.versions.node);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('under Node.js 22 or later: runs the command as it is, silently', () => {
      const r = spawnSync('sh', [join(ROOT, 'scripts', 'node22.sh'), 'node', '-p', '1 + 1'], { encoding: 'utf8', env: { ...process.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` } });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stderr).to.equal('');
      expect(r.stdout.trim()).to.equal('2');
    });
  });
});
