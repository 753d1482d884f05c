import { validateZeebe } from '@bpmn-io/element-templates-validator';
import { describe, expect, it } from 'vitest';
import { elementTemplates, templateIdOf } from './element-templates.js';
import { JOB_TYPES } from './job-types.js';

describe('element templates of the job types', () => {
  it.each(['de', 'en'] as const)(
    'are valid Zeebe element templates (%s), by the validator the modeler uses',
    (locale) => {
      for (const template of elementTemplates(locale)) {
        expect({ id: template.id, errors: validateZeebe(template).errors ?? [] }).toEqual({
          id: template.id,
          errors: [],
        });
      }
    },
  );

  it('give every job type one template that fixes its type and offers each header, required ones not empty', () => {
    const templates = elementTemplates('de');
    expect(templates.map((template) => template.id)).toEqual(JOB_TYPES.map((jobType) => templateIdOf(jobType.type)));
    const email = templates.find((template) => template.id === templateIdOf('email'));
    expect(email?.name).toBe('E-Mail senden');
    expect(email?.properties[0]).toEqual({
      type: 'Hidden',
      value: 'email',
      binding: { type: 'zeebe:taskDefinition', property: 'type' },
    });
    expect(email?.properties.find((property) => property.id === 'email.to')).toMatchObject({
      label: 'Empfänger',
      feel: 'optional',
      constraints: { notEmpty: true },
      binding: { type: 'zeebe:taskHeader', key: 'to' },
    });
    expect(email?.properties.find((property) => property.id === 'email.body')).toMatchObject({ type: 'Text' });
  });

  it('speak English when asked', () => {
    expect(elementTemplates('en').find((template) => template.id === templateIdOf('email'))?.name).toBe('Send e-mail');
  });
});
