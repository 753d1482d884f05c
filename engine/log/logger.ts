import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { safeErrorForLog } from './safe-error.js';

export type { Logger };

/**
 * Fields that hold personal data or secrets wherever they appear (top level or one object down):
 * their values are replaced before a line is written. Log ids and counts, not content.
 */
export const PERSONAL_FIELDS = [
  'email',
  'password',
  'name',
  'companyName',
  'subject',
  'body',
  'text',
  'to',
  'recipient',
  'variables',
  'values',
  'data',
  'phone',
  'address',
  'cookie',
  'authorization',
] as const;

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Where lines go; standard output by default. Tests pass a stream to read what was written. */
  destination?: DestinationStream;
}

/** The process's one logger (JSON lines, pino), built in the composition root and handed to whoever logs. */
export function createLogger({ level, destination }: LoggerOptions): Logger {
  const paths = PERSONAL_FIELDS.flatMap((field) => [field, `*.${field}`]);
  return pino(
    {
      level,
      base: { app: 'lotse' },
      redact: { paths, censor: '[redacted]' },
      // Errors through `err`: drizzle's messages carry query parameters; only the cleaned message is written.
      serializers: { err: safeErrorForLog, error: safeErrorForLog },
    },
    destination,
  );
}
