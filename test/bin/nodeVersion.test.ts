import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
});
