import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { parseCertificate } from '../../../src/shared/eca/certificate.js';
import { buildSpec, canonicalScopes, checkName, type AppInput } from '../../../src/shared/eca/spec.js';
import { CERTIFICATE, INPUTS } from './helpers.js';

function errorOf(fn: () => unknown): SfError {
  try {
    fn();
  } catch (e) {
    return e as SfError;
  }
  throw new Error('expected an error');
}

const cc = INPUTS['client-credentials'];
const jwt = INPUTS.jwt;
const pem = readFileSync(CERTIFICATE);
const privateKeyPem = (): Buffer =>
  Buffer.from(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));

describe('eca buildSpec', () => {
  it('applies the per-flow defaults', () => {
    expect(buildSpec(cc).spec).to.include({ callbackUrl: 'https://login.salesforce.com/services/oauth2/callback', apiVersion: '60.0' });
    expect(buildSpec(cc).spec.scopes).to.deep.equal(['Api']);
    expect(buildSpec(jwt).spec).to.include({ callbackUrl: 'http://localhost:1717/OauthRedirect', label: 'CI Deploy' });
    expect(buildSpec(jwt).spec.scopes).to.deep.equal(['Api', 'RefreshToken']);
  });

  for (const name of ['1abc', '_abc', 'abc_', 'a__b', 'with space', 'dash-ed', 'é', 'a'.repeat(81), '']) {
    it(`refuses the name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 5)}…(${name.length})` : name)}`, () => {
      const err = errorOf(() => checkName(name));
      expect(err.name).to.equal('InvalidNameError');
      expect(err.actions?.[0]).to.include('--label');
    });
  }

  it('accepts an 80-character name with digits and single underscores', () => {
    expect(() => checkName(`A1_b${'c'.repeat(76)}`)).to.not.throw();
  });

  it('accepts https callbacks and http only to this machine', () => {
    for (const callbackUrl of ['https://app.example.com/cb', 'http://localhost:1717/OauthRedirect', 'http://127.0.0.1:8080/cb']) {
      expect(buildSpec({ ...INPUTS['web-server'], callbackUrl }).spec.callbackUrl).to.equal(callbackUrl);
    }
  });

  const cases: Array<[string, AppInput, string]> = [
    ['client credentials without --run-as', { ...cc, runAs: undefined }, 'RunAsRequiredError'],
    ['a run-as that is not a username', { ...cc, runAs: 'billing sync' }, 'InvalidUsernameError'],
    ['a bad contact email', { ...cc, contactEmail: 'nobody' }, 'InvalidEmailError'],
    ['a label with a control character', { ...cc, label: 'a\u0007b' }, 'InvalidTextError'],
    ['jwt without --certificate', { ...jwt, certificate: undefined }, 'CertificateRequiredError'],
    ['a certificate for client credentials', { ...cc, certificate: jwt.certificate }, 'CertificateNotForFlowError'],
    ['web server without --callback-url', { ...INPUTS['web-server'], callbackUrl: undefined }, 'CallbackUrlRequiredError'],
    ['an http callback that is not localhost', { ...INPUTS['web-server'], callbackUrl: 'http://partner.example.com/cb' }, 'InvalidCallbackUrlError'],
    ['a callback that is not a URL', { ...INPUTS['web-server'], callbackUrl: 'not a url' }, 'InvalidCallbackUrlError'],
    ['a javascript: callback', { ...INPUTS['web-server'], callbackUrl: 'javascript:alert(1)' }, 'InvalidCallbackUrlError'],
    ['a data: callback', { ...INPUTS['web-server'], callbackUrl: 'data:text/html,<b>x</b>' }, 'InvalidCallbackUrlError'],
    ['a file: callback', { ...INPUTS['web-server'], callbackUrl: 'file:///etc/passwd' }, 'InvalidCallbackUrlError'],
    ['a custom-scheme callback', { ...INPUTS['web-server'], callbackUrl: 'myapp://callback' }, 'InvalidCallbackUrlError'],
    ['jwt with nobody pre-authorised', { ...jwt, permissionSets: [], profiles: [] }, 'PreAuthorizationRequiredError'],
    ['a permission set label instead of an API name', { ...cc, permissionSets: ['Billing Sync Access'] }, 'InvalidPermissionSetNameError'],
    ['a profile name with a comma', { ...cc, profiles: ['A, B'] }, 'InvalidProfileNameError'],
    ['an API version below 60.0', { ...cc, apiVersion: '59.0' }, 'ApiVersionTooLowError'],
    ['an unknown scope', { ...cc, scopes: ['Api', 'everything'] }, 'UnknownScopesError'],
  ];
  for (const [title, input, name] of cases) {
    it(`refuses ${title}`, () => {
      const err = errorOf(() => buildSpec(input));
      expect(err.name).to.equal(name);
      expect(err.actions ?? []).to.not.be.empty;
    });
  }

  it('names the unknown scopes and lists the valid tokens', () => {
    const err = errorOf(() => canonicalScopes(['Api', 'everything', 'sudo']));
    expect(err.message).to.include('everything, sudo');
    expect(err.actions?.[0]).to.include('RefreshToken');
  });

  it('spells scopes canonically, trims them and drops duplicates', () => {
    expect(canonicalScopes(['api', 'API', ' openid ', 'RefreshToken'])).to.deep.equal(['Api', 'OpenID', 'RefreshToken']);
  });

  it('warns about an expired certificate', () => {
    const { warnings } = buildSpec(jwt, new Date('2200-01-01T00:00:00Z'));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include('integration-test').and.include('expired');
    expect(buildSpec(jwt).warnings).to.deep.equal([]);
  });
});

describe('eca parseCertificate', () => {
  it('keeps the DER body in 64-character lines, without BEGIN/END lines', () => {
    const cert = parseCertificate(pem, 'server.crt');
    const lines = cert.body.split('\n');
    expect(lines.slice(0, -1).every((l) => l.length === 64)).to.be.true;
    expect(cert.body).to.equal(pem.toString().replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').trim());
    expect(cert.subject).to.equal('CN=integration-test');
  });

  it('refuses a private key without echoing it', () => {
    const key = privateKeyPem();
    const err = errorOf(() => parseCertificate(key, 'server.key'));
    expect(err.name).to.equal('PrivateKeyError');
    expect(err.message).to.include('server.key').and.not.include('MII');
    expect(err.actions?.[0]).to.include('BEGIN CERTIFICATE');
  });

  it('refuses a certificate bundled with its private key', () => {
    const err = errorOf(() => parseCertificate(Buffer.concat([pem, privateKeyPem()]), 'bundle.pem'));
    expect(err.name).to.equal('PrivateKeyError');
  });

  it('refuses garbage and a public key', () => {
    expect(errorOf(() => parseCertificate(Buffer.from('hello, world'), 'notes.txt')).name).to.equal('NotACertificateError');
    const publicKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(errorOf(() => parseCertificate(Buffer.from(publicKey), 'key.pub')).name).to.equal('NotACertificateError');
    const broken = Buffer.from(pem.toString().replace(/^M/m, '!'));
    expect(errorOf(() => parseCertificate(broken, 'broken.crt')).name).to.equal('NotACertificateError');
  });

  it('refuses a file holding several certificates', () => {
    const err = errorOf(() => parseCertificate(Buffer.concat([pem, pem]), 'chain.pem'));
    expect(err.name).to.equal('SeveralCertificatesError');
    expect(err.message).to.include('2 certificates');
  });

  it('accepts a DER certificate', () => {
    const der = Buffer.from(pem.toString().replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');
    expect(parseCertificate(der, 'server.der').body).to.equal(parseCertificate(pem, 'server.crt').body);
  });
});
