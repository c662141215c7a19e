import { mkdirSync, rmSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { adapterContract } from '../../tests/contract/adapter-contract.js';
import { fixture } from '../../tests/helpers/fixtures.js';
import { startSftpServer } from '../../tests/helpers/sftp-server.js';

/**
 * The file-drop adapter over SFTP against a real SSH server
 * (tests/helpers/sftp-server.ts). What the suite calls "calls" are the
 * dossier folders the server saw being started (`mkdir /outbox/.tmp-…`);
 * a folder's name is its operation's idempotency key (`<code>` for submit),
 * so those are the headers reported. A department in trouble is a server
 * refusing writes (a full disk); a refusal is a refused login (the only
 * thing a file server refuses for good); slowness is a server answering late.
 * Answers are JSON files left in `/inbox` with their `.done` marker.
 */
adapterContract({
  transport: 'file-drop',
  expectedReference: fixture('land-certificate').code,
  async start() {
    const server = await startSftpServer();
    const outbox = path.join(server.root, 'outbox');
    const reset = () => {
      Object.assign(server.behaviour, { delayMs: 0, failWrites: undefined, refuseAuth: false });
      // The department took what it was sent: each case starts from an empty outbox.
      rmSync(outbox, { recursive: true, force: true });
      mkdirSync(outbox);
      mkdirSync(path.join(server.root, 'inbox'), { recursive: true });
    };
    reset();
    /** Answers left so far: each gets an mtime a second after the previous one (the inbox is read oldest first). */
    let left = 0;
    const registration = (port: number, timeoutMs: number) => ({
      name: 'Văn phòng đăng ký đất đai',
      transport: {
        type: 'file-drop',
        outbox: '/outbox',
        inbox: '/inbox',
        sftp: { host: server.host, port, username: server.username, password: server.password, readyTimeoutMs: 5000, timeoutMs },
      },
      operations: {
        submit: { request: '{"HoSo": {"MaHoSo": dossier.code, "ThuTuc": dossier.procedure.code, "NguoiNop": dossier.applicant.name}}', reference: 'folder' },
      },
    });
    return {
      registration: (timeoutMs) => registration(server.port, timeoutMs),
      registrationAt: (port) => registration(port, 5000),
      answerNormally: reset,
      failTransiently: () => (server.behaviour.failWrites = 'No space left on device'),
      refuseInput: () => (server.behaviour.refuseAuth = true),
      answerAfter: (ms) => (server.behaviour.delayMs = ms),
      calls: () =>
        server.operations
          .filter((o) => o.op === 'mkdir' && o.path.startsWith('/outbox/.tmp-'))
          .map((o) => {
            const folder = /^\/outbox\/\.tmp-(.+)-[0-9a-f]{8}$/.exec(o.path)?.[1] ?? '';
            return { 'x-dossier-code': folder.split('.supplement-')[0]!.split('.withdraw')[0]!, 'idempotency-key': `${folder}:submit` };
          }),
      async leaveAnswer(name, answer) {
        const file = path.join(server.root, 'inbox', name);
        await writeFile(file, JSON.stringify(answer));
        const at = new Date(Date.UTC(2026, 10, 28) + ++left * 1000);
        await utimes(file, at, at);
        await writeFile(`${file}.done`, '');
      },
      close: () => server.close(),
    };
  },
});
