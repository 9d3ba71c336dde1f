import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { expect } from 'chai';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { generateFiles, LAYOUT } from '../../../src/shared/eca/generate.js';
import { buildSpec } from '../../../src/shared/eca/spec.js';
import { FLOWS, type EcaFile, type Flow } from '../../../src/shared/eca/types.js';
import { exampleFieldNames, FIXTURES, FORBIDDEN, INPUTS, NAMESPACE, parseMetadata } from './helpers.js';

/** Documented fields (docs/platform-facts.md §15.2) no example file shows: the run-as user and pre-authorised sets. */
const DOCUMENTED_NOT_IN_EXAMPLES: Record<string, string[]> = {
  ExtlClntAppOauthConfigurablePolicies: ['clientCredentialsFlowUser', 'commaSeparatedPermissionSet'],
};

const EXPECTED_TYPES: Record<Flow, string[]> = {
  'client-credentials': [
    'ExternalClientApplication',
    'ExtlClntAppGlobalOauthSettings',
    'ExtlClntAppOauthConfigurablePolicies',
    'ExtlClntAppOauthSettings',
  ],
  jwt: [
    'ExternalClientApplication',
    'ExtlClntAppConfigurablePolicies',
    'ExtlClntAppGlobalOauthSettings',
    'ExtlClntAppOauthConfigurablePolicies',
    'ExtlClntAppOauthSettings',
  ],
  'web-server': [
    'ExternalClientApplication',
    'ExtlClntAppConfigurablePolicies',
    'ExtlClntAppGlobalOauthSettings',
    'ExtlClntAppOauthConfigurablePolicies',
    'ExtlClntAppOauthSettings',
  ],
};

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

describe('eca generateFiles', () => {
  for (const flow of FLOWS) {
    describe(flow, () => {
      let files: EcaFile[];
      before(() => {
        files = generateFiles(buildSpec(INPUTS[flow]).spec);
      });

      it('matches the golden files exactly', async () => {
        const golden = join(FIXTURES, flow);
        expect(files.map((f) => f.path).sort()).to.deep.equal(await listFiles(golden));
        for (const file of files) {
          expect(file.xml, file.path).to.equal(await readFile(join(golden, file.path), 'utf8'));
        }
      });

      it('writes well-formed XML: declaration, root = type in the Metadata API namespace, 4-space indentation', () => {
        for (const file of files) {
          expect(file.xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'), file.path).to.be.true;
          const parsed = parseMetadata(file.xml);
          expect(parsed.root).to.equal(file.type);
          expect(parsed.xmlns).to.equal(NAMESPACE);
          const elementLines = file.xml.split('\n').filter((l) => /^\s*</.test(l));
          expect(elementLines[1]).to.match(new RegExp(`^<${file.type} xmlns=`));
          expect(elementLines.at(-1)).to.equal(`</${file.type}>`);
          expect(elementLines.slice(2, -1).every((l) => /^ {4}<\w/.test(l)), file.path).to.be.true;
        }
      });

      it('puts each file in its type folder with its suffix, named after the file fullName', () => {
        for (const file of files) {
          const { folder, suffix } = LAYOUT[file.type];
          expect(file.path).to.equal(`${folder}/${file.fullName}.${suffix}-meta.xml`);
        }
        const policies = files.find((f) => f.type === 'ExtlClntAppOauthConfigurablePolicies');
        expect(policies?.fullName).to.equal(`${INPUTS[flow].name}_defaultPolicy`);
      });

      it('links every non-header file to the header', () => {
        const header = files.filter((f) => f.type === 'ExternalClientApplication');
        expect(header).to.have.length(1);
        for (const file of files.filter((f) => f !== header[0])) {
          expect(parseMetadata(file.xml).fields.externalClientApplication, file.path).to.equal(header[0].fullName);
        }
      });

      it('writes no forbidden field, no secret, no record Id', () => {
        for (const file of files) {
          const { fields } = parseMetadata(file.xml);
          expect(Object.keys(fields)).to.not.include.members(FORBIDDEN);
          expect(fields.shouldRotateConsumerKey ?? 'false').to.equal('false');
          expect(fields.shouldRotateConsumerSecret ?? 'false').to.equal('false');
          expect(file.xml).to.not.match(/PRIVATE KEY|BEGIN CERTIFICATE/);
          expect(file.xml).to.not.match(/\b(00D|005|0PS|00e|888)[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?\b/);
        }
      });

      it('uses only field names seen in the real examples (or documented for the run-as user and permission sets)', () => {
        const known = exampleFieldNames();
        for (const file of files) {
          const allowed = new Set([...(known.get(file.type) ?? []), ...(DOCUMENTED_NOT_IN_EXAMPLES[file.type] ?? [])]);
          for (const name of Object.keys(parseMetadata(file.xml).fields)) {
            expect(allowed.has(name), `${file.type}.${name}`).to.be.true;
          }
        }
      });

      it('round-trips the label and description text', () => {
        const header = parseMetadata(files[0].xml).fields;
        const input = INPUTS[flow];
        expect(header.label).to.equal(input.label ?? input.name.replace(/_/g, ' '));
        expect(header.description).to.equal(input.description);
      });

      describe('with source-deploy-retrieve', () => {
        let dir: string;
        before(async () => {
          dir = await mkdtemp(join(tmpdir(), 'eca-sdr-'));
          await Promise.all(
            files.map(async (f) => {
              await mkdir(dirname(join(dir, 'src', f.path)), { recursive: true });
              await writeFile(join(dir, 'src', f.path), f.xml);
            })
          );
        });
        after(async () => rm(dir, { recursive: true, force: true }));

        it('resolves the files into components of the expected types, each in its type folder', () => {
          const components = ComponentSet.fromSource(join(dir, 'src')).getSourceComponents().toArray();
          expect(components.map((c) => c.type.name).sort()).to.deep.equal(EXPECTED_TYPES[flow]);
          for (const c of components) {
            expect(basename(dirname(c.xml ?? ''))).to.equal(c.type.directoryName);
            expect(files.some((f) => f.type === c.type.name && f.fullName === c.fullName)).to.be.true;
          }
        });

        it('converts them to Metadata API format', async () => {
          const out = join(dir, 'mdapi');
          const set = ComponentSet.fromSource(join(dir, 'src'));
          await new MetadataConverter().convert(set, 'metadata', { type: 'directory', outputDirectory: out, genUniqueDir: false });
          const converted = (await listFiles(out)).filter((p) => p !== 'package.xml');
          expect(converted).to.deep.equal(files.map((f) => f.path.replace(/-meta\.xml$/, '')).sort());
          const manifest = await readFile(join(out, 'package.xml'), 'utf8');
          for (const type of EXPECTED_TYPES[flow]) expect(manifest).to.include(`<name>${type}</name>`);
        });
      });
    });
  }

  it('enables client credentials and binds the run-as user only for that flow', () => {
    const byFlow = (flow: Flow): Record<string, string> =>
      parseMetadata(generateFiles(buildSpec(INPUTS[flow]).spec).find((f) => f.type === 'ExtlClntAppOauthConfigurablePolicies')!.xml).fields;
    expect(byFlow('client-credentials')).to.include({
      isClientCredentialsFlowEnabled: 'true',
      clientCredentialsFlowUser: 'billing.sync@acme.example.com',
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      commaSeparatedPermissionSet: 'Billing_Sync_Access',
      refreshTokenPolicyType: 'Zero',
    });
    expect(byFlow('jwt')).to.include({ isClientCredentialsFlowEnabled: 'false' }).and.not.have.property('clientCredentialsFlowUser');
  });

  it('writes the certificate body without BEGIN/END lines in the JWT global settings', async () => {
    const pem = await readFile(INPUTS.jwt.certificate!.path, 'utf8');
    const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').trim();
    const global = generateFiles(buildSpec(INPUTS.jwt).spec).find((f) => f.type === 'ExtlClntAppGlobalOauthSettings')!;
    expect(parseMetadata(global.xml).fields.certificate).to.equal(body);
  });
});
