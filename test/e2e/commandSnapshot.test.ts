import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { expect } from 'chai';
import {
  commandSnapshot,
  compareSnapshots,
  describeSnapshotDiff,
  MANIFEST_FILE,
  newestSource,
  readManifest,
  readSnapshot,
  ROOT,
  SNAPSHOT_FILE,
  type CommandSnapshot,
  type Manifest,
} from '../../scripts/snapshot.js';
import { commandFiles } from '../../scripts/schemas.js';

const clone = <T>(value: T): T => structuredClone(value);

describe('command snapshot (command-snapshot.json against the built oclif.manifest.json)', () => {
  let manifest: Manifest;
  let current: CommandSnapshot[];

  before(function () {
    expect(existsSync(MANIFEST_FILE), 'no oclif.manifest.json: run `npm run build` first').to.be.true;
    manifest = readManifest();
    current = commandSnapshot(manifest);
  });

  it('the manifest is built from the current sources (else run `npm run build`)', () => {
    const newest = newestSource();
    expect(
      statSync(MANIFEST_FILE).mtimeMs,
      `oclif.manifest.json is older than ${relative(ROOT, newest.file)}: run \`npm run build\``
    ).to.be.at.least(newest.mtimeMs);
    const ids = commandFiles().map((file) => relative(`${ROOT}/src/commands`, file).replace(/\.ts$/, '').split('/').join(':'));
    expect(Object.keys(manifest.commands).sort()).to.deep.equal(ids.sort());
  });

  it('the committed snapshot lists every command, flag, alias and flag character as the manifest does', () => {
    expect(existsSync(SNAPSHOT_FILE), 'no command-snapshot.json: run `npm run snapshot:update`').to.be.true;
    const report = describeSnapshotDiff(compareSnapshots(readSnapshot(), current));
    expect(report, report).to.equal('');
    expect(readSnapshot()).to.deep.equal(current);
  });

  it('records the official shape: command, alias, flags, flagAliases, flagChars, plugin, sorted', () => {
    const list = current.find((c) => c.command === 'integration:user:list');
    expect(list).to.include({ plugin: 'plugin-integration-user' });
    expect(list?.flags).to.include.members(['target-org', 'api-version', 'json', 'flags-dir']);
    expect(list?.flagChars).to.include('o');
    for (const c of current) expect(c.flags).to.deep.equal([...c.flags].sort());
  });

  describe('the comparator (on modified copies of the current snapshot)', () => {
    it('a removed flag is a breaking removal, named with its command', () => {
      const modified = clone(current);
      const list = modified.find((c) => c.command === 'integration:user:list')!;
      list.flags = list.flags.filter((f) => f !== 'api-version');
      const diff = compareSnapshots(current, modified);
      expect(diff).to.deep.equal({ removed: ['flag --api-version of integration:user:list'], added: [] });
      expect(describeSnapshotDiff(diff)).to.include('removed (breaks users').and.include('npm run snapshot:update');
    });

    it('a changed flag character is the old one removed and the new one added', () => {
      const modified = clone(current);
      const list = modified.find((c) => c.command === 'integration:user:list')!;
      list.flagChars = list.flagChars.filter((c) => c !== 'o').concat('t');
      expect(compareSnapshots(current, modified)).to.deep.equal({
        removed: ['flag character -o of integration:user:list'],
        added: ['flag character -t of integration:user:list'],
      });
    });

    it('a removed command, alias or flag alias is breaking; a new flag is only an addition', () => {
      const withExtras = clone(current);
      withExtras[0].alias.push('old:name');
      withExtras[0].flagAliases.push('targetusername');
      const modified = clone(current).slice(1);
      modified.find((c) => c.command === current[1].command)!.flags.push('brand-new');
      const diff = compareSnapshots(withExtras, modified);
      expect(diff.removed).to.deep.equal([`command ${current[0].command}`]);
      expect(diff.added).to.deep.equal([`flag --brand-new of ${current[1].command}`]);
      const aliasDiff = compareSnapshots(withExtras, current);
      expect(aliasDiff.removed).to.deep.equal([`alias old:name of ${current[0].command}`, `flag alias --targetusername of ${current[0].command}`]);
    });

    it('no difference, no report', () => {
      expect(describeSnapshotDiff(compareSnapshots(current, clone(current)))).to.equal('');
    });
  });

  it("every command in the manifest carries its EXIT CODES section (what sf's help renders) with 0, 1 and 2", () => {
    const problems: string[] = [];
    for (const [id, command] of Object.entries(manifest.commands as Record<string, { errorCodes?: { header: string; body: Array<{ name: string }> } }>)) {
      const section = command.errorCodes;
      if (section?.header !== 'EXIT CODES') problems.push(`${id}: ${section ? `header ${section.header}` : 'no errorCodes'}`);
      for (const code of ['0', '1', '2']) if (section && !section.body.some((b) => b.name === code)) problems.push(`${id}: no exit code ${code}`);
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('command-snapshot.json is the file `npm run snapshot:update` writes (same serialisation)', () => {
    expect(readFileSync(SNAPSHOT_FILE, 'utf8')).to.equal(`${JSON.stringify(current, null, 2)}\n`);
  });
});
