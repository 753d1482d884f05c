import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } });
  return { logger, lines };
}

describe('createLogger: no personal data reaches a log line', () => {
  it('redacts known personal fields at the top level and one object down', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        email: 'anna@example.org',
        mail: { to: 'max@example.org', subject: 'Ihr Antrag', body: 'Sehr geehrte' },
        caseId: 'c1',
      },
      'mail stored',
    );
    const line = lines.join('');
    for (const secret of ['anna@example.org', 'max@example.org', 'Ihr Antrag', 'Sehr geehrte']) {
      expect(line).not.toContain(secret);
    }
    expect(JSON.parse(line)).toMatchObject({ caseId: 'c1', msg: 'mail stored', email: '[redacted]' });
  });

  it('writes errors with the cleaned message: no query parameters', () => {
    const { logger, lines } = capture();
    const error = new DrizzleQueryError('insert … values ($1, $2)', ['anna@example.org', 'Body'], new Error('timeout'));
    logger.error({ err: error }, 'request failed');
    const written = JSON.parse(lines.join('')) as { err: { message: string; stack: string } };
    expect(written.err.message).toBe('Database query failed: timeout');
    expect(lines.join('')).not.toContain('anna@example.org');
  });
});
