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

export function createLogger(level: string, destination?: NodeJS.WritableStream): Pino {
  return pino(
    {
      level,
      base: { service: 'lienthong', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination ?? process.stdout,
  );
}
