/** `sf integration user deactivate -f SPEC [--env ENV]`: the integrations spec is part of the dependency check (end to end, org emulator). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeResult, startE2E, type E2E } from './harness.js';
import { emulatorSecrets, expectNoLeak } from './lifecycleSecrets.js';

type Result = { status: string; isActive: boolean; forced: boolean; dependencies: Array<{ kind: string; detail: string; path?: string; line?: number }> };
type Envelope = { status: number; result: Result };
type Failure = { status: number; name: string; message: string; actions?: string[] };

const USERNAME = 'legacy.etl@acme.example.com';
const isActive = (e2e: E2E): unknown => e2e.emu.db.records('User').find((u) => u.Username === USERNAME)?.IsActive;
const dataRequests = (e2e: E2E) => e2e.emu.requests.filter((r) => r.path.startsWith('/services/data/v'));

const spec = (state: string, envState?: string): string => `version: 1
integrations:
  - name: Legacy ETL
    username: ${USERNAME}
    state: ${state}
environments:
  prod:
    targetOrg: emu
    integrations:
      Legacy ETL:
        state: ${envState ?? state}
`;

describe('e2e: sf integration user deactivate --spec-file', function () {
  this.timeout(240_000);
  let e2e: E2E;
  let dir: string;
  const file = (name: string): string => join(dir, name);
  before(async () => {
    e2e = await startE2E();
    dir = await mkdtemp(join(tmpdir(), 'iu-deactivate-spec-'));
    await writeFile(file('present.yaml'), spec('present'));
    await writeFile(file('absent.yaml'), spec('absent'));
    await writeFile(file('absent-in-prod.yaml'), spec('present', 'absent'));
    await writeFile(file('broken.yaml'), 'version: 1\nintegrations:\n  - name: Legacy ETL\n    state: gone\n');
  });
  after(async () => {
    await e2e?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a spec that fails to load is an error before any request; an unknown --env too', async () => {
    e2e.emu.resetRequestLog();
    const out = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', USERNAME, '-f', file('broken.yaml'), '--json'], { cwd: dir });
    expect(out.exitCode, describeResult(out)).to.equal(1);
    expect((out.json as Failure).message).to.include('broken.yaml');
    const env = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', USERNAME, '-f', file('absent.yaml'), '--env', 'nope', '--json'], { cwd: dir });
    expect(env.exitCode, describeResult(env)).to.equal(1);
    expect(dataRequests(e2e)).to.have.length(0);
    expect(isActive(e2e)).to.equal(true);
  });

  it('refuses when the spec lists the user with state present (exit 1, org unchanged), also as --env leaves it', async () => {
    e2e.emu.resetRequestLog();
    const out = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', USERNAME, '-f', file('present.yaml'), '--json'], { cwd: dir });
    expect(out.exitCode, describeResult(out)).to.equal(1);
    const err = out.json as Failure;
    expect(err.message).to.include('The spec lists it').and.to.include('Set state: absent').and.to.include('present.yaml');
    expect(err.actions?.join(' ')).to.include('--force');
    expect(dataRequests(e2e).length, JSON.stringify(dataRequests(e2e))).to.equal(1);
    expect(isActive(e2e)).to.equal(true);
    await expectNoLeak(e2e, out, emulatorSecrets(e2e), dir);

    const dry = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', USERNAME, '-f', file('present.yaml'), '--env', 'prod', '--dry-run', '--json'], { cwd: dir });
    expect(dry.exitCode, describeResult(dry)).to.equal(1);
    const plan = (dry.json as Envelope).result;
    expect(plan.status).to.equal('refused');
    expect(plan.dependencies).to.have.length(1);
    expect(plan.dependencies[0]).to.include({ kind: 'specFile', line: 3 });
    expect(plan.dependencies[0].detail).to.include('environment prod');
    expect(isActive(e2e)).to.equal(true);
  });

  it('state absent (in the file, or in the --env overlay) is not a dependency', async () => {
    const dry = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', USERNAME, '-f', file('absent.yaml'), '--dry-run', '--json'], { cwd: dir });
    expect(dry.exitCode, describeResult(dry)).to.equal(0);
    expect((dry.json as Envelope).result).to.include({ status: 'wouldDeactivate' });
    expect((dry.json as Envelope).result.dependencies).to.deep.equal([]);
    const env = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', USERNAME, '-f', file('absent-in-prod.yaml'), '--env', 'prod', '--dry-run', '--json'], { cwd: dir });
    expect(env.exitCode, describeResult(env)).to.equal(0);
    expect((env.json as Envelope).result.dependencies).to.deep.equal([]);
    expect(isActive(e2e)).to.equal(true);
  });

  it('--force deactivates despite the spec, listing it in the result', async () => {
    const out = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', USERNAME, '-f', file('present.yaml'), '--force', '--json'], { cwd: dir });
    expect(out.exitCode, describeResult(out)).to.equal(0);
    const { result } = out.json as Envelope;
    expect(result).to.include({ status: 'deactivated', isActive: false, forced: true });
    expect(result.dependencies.map((d) => d.kind)).to.deep.equal(['specFile']);
    expect(isActive(e2e)).to.equal(false);
    const human = await e2e.run(['integration', 'user', 'deactivate', '-o', 'emu', '-u', USERNAME, '-f', file('present.yaml')], { cwd: dir });
    expect(human.exitCode, describeResult(human)).to.equal(0);
    expect(human.stdout).to.include('already inactive');
    await expectNoLeak(e2e, out, emulatorSecrets(e2e), dir);
  });
});
