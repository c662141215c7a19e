import { pino, type Logger as Pino } from 'pino';

/**
 * Personal data never reaches the logs in clear: these paths are censored
 * wherever a dossier, an applicant or a request body slips into a log line.
 */
export const REDACTED_PATHS = [
  'applicant',
  '*.applicant',
  'idNumber',
  '*.idNumber',
  '*.*.idNumber',
  'phone',
  '*.phone',
  '*.*.phone',
  'address',
  '*.address',
  '*.*.address',
  'email',
  '*.email',
  '*.*.email',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
];

/**
 * The process's logger, on `destination` or standard output. Standard output
 * is written asynchronously (lines written meanwhile go out together, not one
 * blocking write per line: under load, a pipe's synchronous writes cost
 * several per cent of the process) and flushed when the process exits.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Pino {
  return pino(
    {
      level,
      base: { service: 'lienthong', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination ?? stdout(),
  );
}

let standardOutput: ReturnType<typeof pino.destination> | undefined;
function stdout() {
  if (!standardOutput) {
    const out = (standardOutput = pino.destination({ dest: 1, sync: false }));
    process.once('exit', () => out.flushSync());
  }
  return standardOutput;
}
