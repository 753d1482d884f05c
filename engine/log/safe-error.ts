/**
 * Error messages as they may be stored (incidents) and logged: ADR 0003 promises no personal data
 * in either. Drizzle puts a failed query's parameters into its message (a mail's recipient, subject
 * and body), PostgreSQL quotes the offending value ("invalid input syntax for type uuid: "…""), and
 * SMTP servers name the refused address; all of that is cut here, in one place.
 */

const MAX_LENGTH = 500;

/** A quoted word after these is an identifier (constraint, column, …) and stays: it helps and names no one. */
const IDENTIFIER_KINDS = new Set([
  'constraint',
  'column',
  'relation',
  'table',
  'index',
  'schema',
  'function',
  'type',
  'database',
  'role',
  'sequence',
  'operator',
  'extension',
]);

const EMAIL = /[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/g;
const QUOTED = /(\S*)\s*"([^"]*)"/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Drizzle's `DrizzleQueryError`: the message is `Failed query: <sql>\nparams: <values>`, the cause is the driver's error. */
function isQueryError(error: Error): boolean {
  return 'params' in error || error.message.startsWith('Failed query:');
}

function maskQuotedValues(text: string): string {
  return text.replace(QUOTED, (whole, before: string, _inside: string) => {
    const word = before.toLowerCase().replace(/[^a-z]/g, '');
    return IDENTIFIER_KINDS.has(word) ? whole : whole.replace(/"[^"]*"$/, '"…"');
  });
}

/** The message of `error` without query parameters, quoted values, e-mail addresses or control characters, at most 500 characters. */
export function safeErrorMessage(error: unknown): string {
  let message: string;
  if (error instanceof Error && isQueryError(error)) {
    const cause: unknown = error.cause;
    message =
      cause instanceof Error && cause.message ? `Database query failed: ${cause.message}` : 'Database query failed';
  } else {
    message = error instanceof Error ? error.message : String(error);
  }
  // Anything that still carries a parameter list (a query error wrapped in another error's message).
  message = message.replace(/\n?params: [\s\S]*$/, '').replace(/Failed query: [\s\S]*/, 'Database query failed');
  message = maskQuotedValues(message).replace(EMAIL, '<e-mail>').replace(CONTROL, ' ').trim();
  return message.length > MAX_LENGTH ? `${message.slice(0, MAX_LENGTH - 1)}…` : message;
}

/** `error` for a log line: type, safe message and the stack frames (whose first line would repeat the raw message). */
export function safeErrorForLog(error: unknown): { type: string; message: string; stack?: string } {
  const message = safeErrorMessage(error);
  if (!(error instanceof Error)) return { type: typeof error, message };
  // Drizzle's error classes keep the name `Error`; the class name says more.
  const type = error.name === 'Error' ? error.constructor.name : error.name;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
  return { type, message, ...(frames && { stack: `${type}: ${message}\n${frames}` }) };
}
