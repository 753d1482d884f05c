import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { safeErrorForLog, safeErrorMessage } from './safe-error.js';

const mailParams = [
  'anna.schmidt@schmidt-metallbau.example',
  'Ihre Anfrage WF-2026-000001',
  'Sehr geehrte Frau Schmidt, …',
];

function pgError(message: string) {
  return Object.assign(new Error(message), { code: '22P02', detail: 'Key (email)=(anna@example.org) already exists.' });
}

describe('safeErrorMessage: stored and logged messages carry no query parameters or personal data', () => {
  it('drops the parameters (recipient, subject, body) of a failed drizzle query and keeps the driver reason', () => {
    const error = new DrizzleQueryError(
      'insert into "outbox_mails" ("recipient", "subject", "body") values ($1, $2, $3)',
      mailParams,
      pgError('invalid byte sequence for encoding "UTF8": 0x00'),
    );
    const message = safeErrorMessage(error);
    expect(message).toBe('Database query failed: invalid byte sequence for encoding "…": 0x00');
    for (const param of mailParams) expect(message).not.toContain(param);
    expect(message).not.toContain('Frau Schmidt');
  });

  it.each([
    [
      'a raw query message with params',
      'Failed query: select 1\nparams: anna@example.org,secret',
      'Database query failed',
    ],
    [
      'a value quoted by PostgreSQL',
      'invalid input syntax for type uuid: "Max Mustermann"',
      'invalid input syntax for type uuid: "…"',
    ],
    [
      'an identifier quoted by PostgreSQL',
      'duplicate key value violates unique constraint "users_email_unique"',
      'duplicate key value violates unique constraint "users_email_unique"',
    ],
    [
      'an SMTP refusal naming the recipient',
      "Can't send mail - all recipients were rejected: 550 5.1.1 <max@firma.example>: unknown",
      "Can't send mail - all recipients were rejected: 550 5.1.1 <<e-mail>>: unknown",
    ],
    ['control characters', 'bad\u0000input\u001b[31m', 'bad input [31m'],
  ])('%s', (_what, raw, expected) => {
    expect(safeErrorMessage(new Error(raw))).toBe(expected);
  });

  it('leaves a plain message alone and never returns more than 500 characters', () => {
    expect(safeErrorMessage(new Error('No implementation for task type "fax"'))).toBe(
      'No implementation for task type "fax"',
    );
    expect(safeErrorMessage('x'.repeat(2000))).toHaveLength(500);
  });

  it('builds the log form of an error without the raw message in its stack', () => {
    const error = new DrizzleQueryError('select $1', ['anna@example.org'], new Error('connection refused'));
    const logged = safeErrorForLog(error);
    expect(logged.message).toBe('Database query failed: connection refused');
    expect(JSON.stringify(logged)).not.toContain('anna@example.org');
    expect(logged.stack).toMatch(/^DrizzleQueryError: Database query failed: connection refused\n\s+at /);
  });
});
