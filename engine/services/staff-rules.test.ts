import { describe, expect, it } from 'vitest';
import { passwordMail } from './staff-admin.service.js';
import {
  STAFF_ROLE_ORDER,
  accountInputOf,
  accountProblems,
  awayProblems,
  groupProblems,
  isAway,
  isIsoDate,
  newPasswordProblems,
  parsePasswordToken,
  passwordTokenUsable,
  maskDeliveredPasswordLink,
} from './staff-rules.js';

const fields = (problems: { field: string; messageKey: string }[]) =>
  problems.map((problem) => `${problem.field}: ${problem.messageKey}`);

describe('isAway: out of office within [from, until], both days inclusive', () => {
  it.each([
    ['the day before', '2026-12-09', false],
    ['the first day', '2026-12-10', true],
    ['in between', '2026-12-15', true],
    ['the last day', '2026-12-20', true],
    ['the day after', '2026-12-21', false],
  ])('%s (%s): %s', (_what, today, away) => {
    expect(isAway({ awayFrom: '2026-12-10', awayUntil: '2026-12-20' }, today)).toBe(away);
  });

  it('is never away without a complete period', () => {
    expect(isAway({ awayFrom: null, awayUntil: null }, '2026-12-10')).toBe(false);
    expect(isAway({ awayFrom: '2026-12-01', awayUntil: null }, '2026-12-10')).toBe(false);
  });
});

describe('an account form', () => {
  const context = { knownGroups: ['bauamt', 'umweltamt'], emailTaken: false };

  it('reads the form as typed: trimmed, e-mail lower-case, unknown roles dropped, one or many checkboxes', () => {
    expect(
      accountInputOf({
        name: '  Eva Stein ',
        email: ' Eva@Amt.Example ',
        roles: ['caseworker', 'root'],
        groups: 'bauamt',
      }),
    ).toEqual({ name: 'Eva Stein', email: 'eva@amt.example', roles: ['caseworker'], groups: ['bauamt'] });
    expect(accountInputOf({}).roles).toEqual([]);
  });

  it('is fine with a name, an e-mail address, a role and known groups', () => {
    const input = { name: 'Eva Stein', email: 'eva@amt.example', roles: ['caseworker' as const], groups: ['bauamt'] };
    expect(accountProblems(input, context)).toEqual([]);
  });

  it('names each wrong field', () => {
    const input = { name: '', email: 'not-an-address', roles: [], groups: ['bauamt', 'invented'] };
    expect(fields(accountProblems(input, context))).toEqual([
      'name: staffAdmin.error.nameRequired',
      'email: staffAdmin.error.emailInvalid',
      'roles: staffAdmin.error.roleRequired',
      'groups: staffAdmin.error.unknownGroup',
    ]);
  });

  it('refuses an e-mail address another account has', () => {
    const input = { name: 'Eva', email: 'eva@amt.example', roles: ['caseworker' as const], groups: [] };
    expect(fields(accountProblems(input, { ...context, emailTaken: true }))).toEqual([
      'email: staffAdmin.error.emailTaken',
    ]);
  });

  it('an administrator cannot remove their own administrator role, but may remove anyone else’s', () => {
    const input = { name: 'Petra', email: 'petra@amt.example', roles: ['caseworker' as const], groups: [] };
    expect(fields(accountProblems(input, { ...context, self: true }))).toEqual([
      'roles: staffAdmin.error.ownAdministratorRole',
    ]);
    expect(accountProblems(input, { ...context, self: false })).toEqual([]);
  });

  it('lists every role of the schema once', () => {
    expect([...STAFF_ROLE_ORDER]).toEqual(['caseworker', 'team_lead', 'service_designer', 'administrator']);
  });
});

describe('a new group', () => {
  it.each([
    ['wirtschaft-nord', false, []],
    ['Bauamt', false, ['id: staffAdmin.error.groupIdInvalid']],
    ['a', false, ['id: staffAdmin.error.groupIdInvalid']],
    ['mit leerzeichen', false, ['id: staffAdmin.error.groupIdInvalid']],
    ['applicant', false, ['id: staffAdmin.error.groupIdTaken']],
    ['bauamt', true, ['id: staffAdmin.error.groupIdTaken']],
  ])('id %j (taken: %s) → %j', (id, idTaken, expected) => {
    expect(fields(groupProblems({ id, name: 'Eine Gruppe' }, { idTaken }))).toEqual(expected);
  });

  it('needs a name', () => {
    expect(fields(groupProblems({ id: 'nord', name: '' }, { idTaken: false }))).toEqual([
      'name: staffAdmin.error.nameRequired',
    ]);
  });
});

describe('a new password', () => {
  const email = 'eva@amt.example';
  it.each([
    ['long enough and repeated', 'Lang-genug-2026', 'Lang-genug-2026', []],
    ['too short', 'kurz', 'kurz', ['password: password.error.tooShort']],
    ['the e-mail address', 'EVA@amt.example', 'EVA@amt.example', ['password: password.error.isEmail']],
    ['repeated differently', 'Lang-genug-2026', 'Lang-genug-2027', ['repeat: password.error.mismatch']],
  ])('%s', (_what, password, repeat, expected) => {
    expect(fields(newPasswordProblems({ password, repeat, email }))).toEqual(expected);
  });
});

describe('an out-of-office period', () => {
  const context = { today: '2026-12-07', colleagues: ['c0ffee00-0000-4000-8000-000000000001'] };
  const substituteId = 'c0ffee00-0000-4000-8000-000000000001';

  it('is fine with two dates in order, not over yet, and a colleague', () => {
    expect(awayProblems({ awayFrom: '2026-12-07', awayUntil: '2026-12-07', substituteId }, context)).toEqual([]);
    // Started in the past, still running: fine.
    expect(awayProblems({ awayFrom: '2026-12-01', awayUntil: '2026-12-24', substituteId }, context)).toEqual([]);
  });

  it.each([
    [
      'an impossible date',
      { awayFrom: '2027-02-30', awayUntil: '2027-03-02' },
      ['awayFrom: profile.error.dateInvalid'],
    ],
    [
      'the end before the start',
      { awayFrom: '2026-12-20', awayUntil: '2026-12-10' },
      ['awayUntil: profile.error.untilBeforeFrom'],
    ],
    [
      'a period already over',
      { awayFrom: '2026-11-01', awayUntil: '2026-12-06' },
      ['awayUntil: profile.error.untilPast'],
    ],
  ])('refuses %s', (_what, dates, expected) => {
    expect(fields(awayProblems({ ...dates, substituteId }, context))).toEqual(expected);
  });

  it('needs a substitute among the colleagues (never someone from elsewhere)', () => {
    expect(
      fields(
        awayProblems(
          { awayFrom: '2026-12-10', awayUntil: '2026-12-20', substituteId: 'c0ffee00-0000-4000-8000-000000000002' },
          context,
        ),
      ),
    ).toEqual(['substituteId: profile.error.substituteRequired']);
  });

  it('knows real dates', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('7.12.2026')).toBe(false);
  });
});

describe('set-password links', () => {
  const id = '0b7f6a52-7c1e-4a5e-9d55-6f1f0a2b3c4d';
  const secret = 'A'.repeat(43);

  it('reads `<id>.<secret>` and nothing else', () => {
    expect(parsePasswordToken(`${id}.${secret}`)).toEqual({ id, secret });
    for (const token of [undefined, '', id, `${id}.short`, `${id}.${secret}.x`, `not-a-uuid.${secret}`, ['x']])
      expect(parsePasswordToken(token)).toBeUndefined();
  });

  it('works until used or expired', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    const later = new Date('2026-12-08T12:00:00Z');
    expect(passwordTokenUsable({ expiresAt: later, usedAt: null }, now)).toBe(true);
    expect(passwordTokenUsable({ expiresAt: later, usedAt: now }, now)).toBe(false);
    expect(passwordTokenUsable({ expiresAt: now, usedAt: null }, now)).toBe(false);
  });

  it('the mail is German with English below and carries the link in both', () => {
    const { subject, body } = passwordMail('Eva Stein', 'invitation', 'https://lotse.example/staff/password?token=x');
    expect(subject).toContain('Ihr Zugang');
    expect(body.indexOf('Guten Tag Eva Stein')).toBeLessThan(body.indexOf('Hello Eva Stein'));
    expect(body.split('https://lotse.example/staff/password?token=x')).toHaveLength(3);
  });
});

describe('set-password mails on the outbox page', () => {
  const mail = {
    idempotencyKey: 'password-link:0b7f6a52-7c1e-4a5e-9d55-6f1f0a2b3c4d',
    body: 'Link:\nhttps://lotse.example/staff/password?token=abc.def\nLink:\nhttps://lotse.example/staff/password?token=abc.def',
    sentAt: null as Date | null,
  };

  it('are masked once delivered, so reading the outbox does not give the account away', () => {
    const masked = maskDeliveredPasswordLink({ ...mail, sentAt: new Date() });
    expect(masked.body).not.toContain('abc.def');
    expect(masked.body).toContain('/staff/password?token=…');
  });

  it('stay readable while the outbox is where mail ends (no SMTP), and other mails are never touched', () => {
    expect(maskDeliveredPasswordLink(mail)).toEqual(mail);
    const other = { ...mail, idempotencyKey: 'case:x:1', sentAt: new Date() };
    expect(maskDeliveredPasswordLink(other)).toEqual(other);
  });
});
