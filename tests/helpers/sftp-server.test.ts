import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { ed25519KeyPair } from './sftp-server.js';

const { utils } = ssh2;

describe('the SFTP test server’s keys', () => {
  // ssh2 makes a pair its own parser refuses about once in 256; 600 draws
  // meet one 9 times in 10, so without the redraw this test fails.
  it('are always pairs ssh2 can read, plain and encrypted', () => {
    for (let i = 0; i < 600; i++) {
      const pair = ed25519KeyPair(i % 300 === 0 ? 'cụm-từ' : undefined);
      expect(utils.parseKey(pair.public)).not.toBeInstanceOf(Error);
      expect(pair.parsed.type).toBe('ssh-ed25519');
    }
  });
});
