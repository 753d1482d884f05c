import { describe, expect, it } from 'vitest';
import { fillTemplate } from './template.js';

describe('fillTemplate', () => {
  it.each([
    ['Ihre Anfrage {{caseNumber}}', { caseNumber: 'WF-2026-000001' }, 'Ihre Anfrage WF-2026-000001'],
    ['Hallo {{ applicant.name }}', { applicant: { name: 'Erika' } }, 'Hallo Erika'],
    ['{{missing}}|{{a.b.c}}', { a: { b: 1 } }, '|'],
    ['{{flag}} {{count}}', { flag: true, count: 0 }, 'true 0'],
    ['{{constructor}}', {}, ''],
  ])('given %j, fills it from the variables', (template, variables, expected) => {
    expect(fillTemplate(template, variables)).toBe(expected);
  });
});
