import { describe, expect, it } from 'vitest';
import { registrationProblems } from './company-account.service.js';

const valid = {
  companyName: 'Muster GmbH',
  name: 'Anna Muster',
  email: 'anna@muster.example',
  password: 'Ein-sicheres-Passwort',
  repeat: 'Ein-sicheres-Passwort',
};

describe('registrationProblems', () => {
  it('accepts a complete form', () => {
    expect(registrationProblems(valid)).toEqual([]);
  });

  it('names each missing or bad field, the password last', () => {
    expect(
      registrationProblems({ companyName: '', name: '', email: 'anna', password: 'kurz', repeat: 'kurz' }).map(
        (problem) => problem.field,
      ),
    ).toEqual(['companyName', 'name', 'email', 'password']);
  });

  it('refuses overlong names, a password equal to the e-mail address and a repeat that differs', () => {
    expect(registrationProblems({ ...valid, companyName: 'x'.repeat(201) })).toEqual([
      { field: 'companyName', messageKey: 'account.error.tooLong' },
    ]);
    expect(registrationProblems({ ...valid, password: valid.email, repeat: valid.email })[0]?.messageKey).toBe(
      'password.error.isEmail',
    );
    expect(registrationProblems({ ...valid, repeat: 'anders' })[0]?.field).toBe('repeat');
  });
});
