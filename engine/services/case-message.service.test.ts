import { describe, expect, it } from 'vitest';
import { englishLink, messageText, messageTextError, newMessageMail } from './case-message.service.js';

describe('a message text', () => {
  it('keeps the lines as written, one break for a Windows line end, without blanks around', () => {
    expect(messageText('  Guten Tag,\r\nzweite Zeile\r\rdritte \n')).toBe('Guten Tag,\nzweite Zeile\n\ndritte');
    expect(messageText(['not', 'a string'])).toBe('');
  });

  it('is refused when empty or longer than 5000 characters as people count them', () => {
    expect(messageTextError('')).toEqual({ field: 'body', code: 'messageEmpty' });
    expect(messageTextError('x'.repeat(5000))).toBeUndefined();
    // 5000 emoji are 10000 UTF-16 units, and still 5000 characters.
    expect(messageTextError('😀'.repeat(5000))).toBeUndefined();
    expect(messageTextError('x'.repeat(5001))).toEqual({ field: 'body', code: 'messageTooLong' });
  });
});

describe('the new-message mail', () => {
  it('links to the case in both languages and names the case, not the message', () => {
    const mail = newMessageMail(
      { email: 'anna@example.com', name: 'Anna Schmidt' },
      'WF-2026-000001',
      'https://portal.example/staff/cases/c1#messages',
    );
    expect(mail.subject).toBe('Neue Nachricht zu Vorgang WF-2026-000001 / New message on case WF-2026-000001');
    expect(mail.body).toContain('Guten Tag Anna Schmidt,');
    expect(mail.body).toContain('https://portal.example/staff/cases/c1#messages\n');
    expect(mail.body).toContain('https://portal.example/staff/cases/c1?lang=en#messages\n');
  });

  it('puts the language into the query, before the fragment', () => {
    expect(englishLink('http://localhost:3000/cases/c1')).toBe('http://localhost:3000/cases/c1?lang=en');
    expect(englishLink('http://localhost:3000/staff/cases/c1#messages')).toBe(
      'http://localhost:3000/staff/cases/c1?lang=en#messages',
    );
  });
});
