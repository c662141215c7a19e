import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestCertificates {
  ca: string;
  server: { cert: string; key: string };
  /** Signed by `ca`: the department accepts it. */
  client: { cert: string; key: string };
  /** `client.key` encrypted with `passphrase`. */
  encryptedKey: string;
  passphrase: string;
  /** Self-signed: the department refuses it. */
  rogue: { cert: string; key: string };
}

/**
 * A throw-away PKI for mutual TLS tests, made with the `openssl` command
 * (EC P-256 keys, valid two days): a CA, a server certificate for 127.0.0.1,
 * a client certificate it signed, and a self-signed rogue client.
 */
export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(tmpdir(), 'lienthong-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=lienthong test CA');
    writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
    for (const [name, cn] of [['server', '127.0.0.1'], ['client', 'lienthong']] as const) {
      run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
    }
    run('req', '-x509', ...ec, '-keyout', 'rogue.key', '-out', 'rogue.crt', '-days', '2', '-subj', '/CN=rogue');
    const passphrase = 'mật khẩu khoá';
    run('pkey', '-in', 'client.key', '-aes256', '-passout', `pass:${passphrase}`, '-out', 'client-enc.key');
    return {
      ca: read('ca.crt'),
      server: { cert: read('server.crt'), key: read('server.key') },
      client: { cert: read('client.crt'), key: read('client.key') },
      encryptedKey: read('client-enc.key'),
      passphrase,
      rogue: { cert: read('rogue.crt'), key: read('rogue.key') },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
