import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS } from '../case/notifications.js';
import { renderNotification, type NotificationData } from './notification-templates.js';

const data: NotificationData = {
  name: 'Anna Schmidt',
  caseNumber: 'WF-2026-000042',
  subject: 'Erweiterung Halle 3',
  serviceTitle: 'Allgemeine Anfrage',
  caseLink: 'https://portal.example/cases/c1',
  settingsLink: 'https://portal.example/account/notifications',
  taskName: 'Unterlagen nachreichen',
  dueDate: '2026-12-09T22:59:59.000Z',
  optional: false,
};

describe('a notification mail', () => {
  it.each(NOTIFICATION_KINDS.flatMap((kind) => [[kind, 'de'] as const, [kind, 'en'] as const]))(
    '%s in %s has a subject, a text part and an HTML part with the case link and the settings link',
    (kind, language) => {
      const mail = renderNotification(kind, language, data);
      expect(mail.subject).toContain('WF-2026-000042');
      expect(mail.subject).not.toContain('\n');
      expect(mail.text).toContain('https://portal.example/cases/c1');
      expect(mail.text).toContain('https://portal.example/account/notifications');
      expect(mail.html).toContain(`<html lang="${language}">`);
      expect(mail.html).toContain('href="https://portal.example/cases/c1"');
      expect(mail.html).toContain('href="https://portal.example/account/notifications"');
      expect(mail.html).not.toMatch(/<table/i);
    },
  );

  it('escapes what a company typed in the HTML part and keeps it as typed in the text part', () => {
    const mail = renderNotification('submitted', 'de', { ...data, subject: '<script>alert("x")</script> & Co' });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(mail.text).toContain('„<script>alert("x")</script> & Co“');
  });

  it('keeps a subject with line breaks on one line, so it cannot add a header or a paragraph', () => {
    const mail = renderNotification('taskOpened', 'en', { ...data, taskName: 'Send\r\nBcc: evil@example.org' });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toContain('"Send Bcc: evil@example.org"');
  });

  it('speaks German with German quotes, English with English ones', () => {
    const german = renderNotification('submitted', 'de', data);
    const english = renderNotification('submitted', 'en', data);
    expect(german.subject).toBe('Ihr Vorgang WF-2026-000042 ist eingegangen: Allgemeine Anfrage');
    expect(german.text).toContain('Guten Tag Anna Schmidt,');
    expect(german.text).toContain('„Erweiterung Halle 3“');
    expect(english.subject).toBe('Your case WF-2026-000042 has been received: Allgemeine Anfrage');
    expect(english.text).toContain('Hello Anna Schmidt,');
    expect(english.text).toContain('"Erweiterung Halle 3"');
    expect(english.text + english.html).not.toMatch(/[„“]/);
  });

  it('names the due date in the language of the mail, in agency time', () => {
    expect(renderNotification('deadline', 'de', data).text).toContain('bis zum 9. Dezember 2026');
    expect(renderNotification('deadline', 'en', data).text).toContain('due by 9 December 2026');
  });

  it('says in the footer whether the kind can be switched off', () => {
    expect(renderNotification('message', 'de', { ...data, optional: true }).text).toContain('abbestellen');
    expect(renderNotification('submitted', 'de', data).text).toContain('wird immer verschickt');
    expect(renderNotification('message', 'en', { ...data, optional: true }).text).toContain(
      'switch this notification off',
    );
  });
});
