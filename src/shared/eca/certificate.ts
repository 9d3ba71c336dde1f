/** The JWT app's X.509 certificate: public certificates only, never a private key. */
import { X509Certificate } from 'node:crypto';
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'eca');

export type Certificate = {
  /** Base64 DER in 64-character lines, without BEGIN/END lines (the form retrieved files hold). */
  body: string;
  subject: string;
  validTo: Date;
};

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Parses a PEM (or DER) X.509 certificate. Refuses anything holding a private key, anything that is not
 * exactly one certificate. `source` names the file in errors; the content itself is never echoed.
 */
export function parseCertificate(content: Buffer, source: string): Certificate {
  const text = content.toString('latin1');
  if (PRIVATE_KEY.test(text)) throw messages.createError('error.PrivateKey', [source]);
  const blocks = [...text.matchAll(PEM_CERTIFICATE)];
  if (blocks.length > 1) throw messages.createError('error.SeveralCertificates', [source, blocks.length]);
  const der = blocks.length === 1 ? Buffer.from(blocks[0][1].replace(/\s+/g, ''), 'base64') : content;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    throw messages.createError('error.NotACertificate', [source]);
  }
  return {
    body: (cert.raw.toString('base64').match(/.{1,64}/g) ?? []).join('\n'),
    subject: cert.subject.replace(/\n/g, ', '),
    validTo: new Date(cert.validTo),
  };
}
