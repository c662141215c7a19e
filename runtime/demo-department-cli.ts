import type { Command } from 'commander';
import { action, CliError, gatewayTarget, type ExitHolder } from './cli-support.js';
import { DEMO_DEPARTMENT_ID, demoDepartmentConfig, startDemoDepartment } from './demo-department.js';
import { gatewayClient } from './gateway-client.js';

interface DemoOptions {
  port: string;
  url?: string;
  key?: string;
  register?: boolean;
  printConfig?: boolean;
  callbackKey?: string;
  delay: string;
}

/** `lienthong demo-department`: a department system on localhost, to try a dossier's journey. */
export function registerDemoDepartment(program: Command, exit: ExitHolder): void {
  program
    .command('demo-department')
    .description(
      "serve a demo department's REST system on localhost: it answers submit with its own receipt number and calls the gateway back with status changes",
    )
    .option('--port <port>', 'where the demo department listens', '9101')
    .option('--url <url>', 'the gateway (default: LIENTHONG_URL, else http://127.0.0.1:$PORT)')
    .option('--key <key>', 'an admin key, for --register (default: LIENTHONG_API_KEY, else ADMIN_API_KEY)')
    .option('--register', `register it in the gateway as ${DEMO_DEPARTMENT_ID} and create its department key, then serve`)
    .option('--print-config', 'print the department registration (PUT /v1/departments/{id}) and exit')
    .option('--callback-key <key>', 'the department key its callbacks use, when not --register')
    .option('--delay <ms>', 'time between its steps', '2000')
    .addHelpText(
      'after',
      `\nSubmit → DANG_XU_LY (a progress note) → YEU_CAU_BO_SUNG (supplement requested);\nsupplement → DANG_XU_LY → DA_XU_LY (resolved); withdraw → DA_RUT. Stop it with Ctrl-C.`,
    )
    .action(action(exit, (o: DemoOptions) => demo(o)));
}

async function demo(o: DemoOptions): Promise<number> {
  const port = Number(o.port);
  const delayMs = Number(o.delay);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number (got "${o.port}")`, 2);
  if (!Number.isInteger(delayMs) || delayMs < 0) throw new CliError(`--delay must be a number of milliseconds (got "${o.delay}")`, 2);
  const baseUrl = `http://127.0.0.1:${port}`;
  if (o.printConfig) {
    console.log(JSON.stringify(demoDepartmentConfig(baseUrl), null, 2));
    return 0;
  }
  const target = gatewayTarget(o);
  let callbackKey = o.callbackKey;
  if (o.register) {
    const call = gatewayClient(target);
    const saved = await call('PUT', `/v1/departments/${DEMO_DEPARTMENT_ID}`, demoDepartmentConfig(baseUrl));
    const key = await call('POST', '/v1/api-keys', { role: 'department', department: DEMO_DEPARTMENT_ID, name: 'demo-department' });
    callbackKey = key.key as string;
    console.log(`registered ${DEMO_DEPARTMENT_ID} "${saved.name}" (version ${saved.version}) in ${target.url}; its callbacks use key ${key.id}`);
  }
  if (!callbackKey) {
    throw new CliError('the demo department needs a key to call the gateway back: add --register (with an admin key), or --callback-key <department key>', 2);
  }
  const dept = await startDemoDepartment({ port, gatewayUrl: target.url, callbackKey, delayMs }).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(
      err.code === 'EADDRINUSE' ? `port ${port} is already in use (EADDRINUSE): stop what uses it, or pass --port <another>` : `cannot listen on ${baseUrl}: ${err.message}`,
    );
  });
  console.log(`demo department listening on ${dept.url}; calling back ${target.url} (Ctrl-C stops it)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await dept.close();
  return 0;
}
