import { describe, expect, it } from 'vitest';
import { profileInputOf, profileProblems, profileRowOf } from './company-profile.service.js';

const fieldsOf = (form: Record<string, unknown>) => profileProblems(profileInputOf(form)).map((p) => p.field);

describe('company profile validation', () => {
  it('needs only the name; everything else may stay empty and is stored as null', () => {
    expect(fieldsOf({ name: '  Muster GmbH ' })).toEqual([]);
    expect(profileRowOf(profileInputOf({ name: ' Muster GmbH ' }))).toMatchObject({
      name: 'Muster GmbH',
      website: null,
      employees: null,
    });
    expect(fieldsOf({})).toEqual(['name']);
  });

  it('names each wrong field once', () => {
    expect(
      fieldsOf({
        name: 'x',
        postalCode: '1234',
        sector: 'V',
        employees: '-3',
        phone: 'call me',
        contactEmail: 'a@b',
        website: 'javascript:alert(1)',
        registerNumber: 'HRB 1',
      }).sort(),
    ).toEqual(['contactEmail', 'employees', 'phone', 'postalCode', 'registerCourt', 'sector', 'website']);
    expect(fieldsOf({ name: 'x'.repeat(201) })).toEqual(['name']);
  });

  it('accepts what German companies write', () => {
    expect(
      fieldsOf({
        name: 'Müller & Söhne e. K.',
        postalCode: '01067',
        sector: 'U',
        employees: '0',
        phone: '+49 (221) 123-456',
        contactEmail: 'info@mueller.example',
        website: 'http://mueller.example/',
        registerCourt: 'Amtsgericht Dresden',
        registerNumber: 'HRA 123',
      }),
    ).toEqual([]);
    expect(profileRowOf(profileInputOf({ name: 'a', employees: '0' })).employees).toBe(0);
  });
});
