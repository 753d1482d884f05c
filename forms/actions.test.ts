import { describe, expect, it } from 'vitest';
import { applyFormAction, parseFormAction } from './actions.js';
import { componentForm } from './fixtures/fixtures.js';
import { parseForm } from './schema.js';
import { validateSubmission } from './validate.js';

describe('parseFormAction', () => {
  it.each([
    ['add:contacts', { type: 'add', list: 'contacts' }],
    ['add:contacts[0].phones', { type: 'add', list: 'contacts[0].phones' }],
    ['remove:contacts:2', { type: 'remove', list: 'contacts', index: 2 }],
    ['refresh', { type: 'refresh' }],
  ])('reads %s', (value, expected) => {
    expect(parseFormAction({ _action: value })).toEqual(expected);
  });

  it.each([
    [undefined],
    [''],
    ['add:'],
    ['remove:contacts'],
    ['remove:contacts:x'],
    ['add:a b'],
    [['add:x']],
    ['delete:x'],
  ])('is undefined for %o (a real submit)', (value) => {
    expect(parseFormAction(value === undefined ? {} : { _action: value })).toBeUndefined();
  });

  it('reads only an own property', () => {
    expect(parseFormAction(Object.create({ _action: 'refresh' }) as Record<string, unknown>)).toBeUndefined();
  });
});

describe('applyFormAction', () => {
  const form = componentForm('dynamiclist');
  const values = {
    contacts: [
      { name: 'Anna', main: true },
      { name: 'Bob', main: false },
    ],
  };

  it('adds an item with the defaults of its fields', () => {
    expect(applyFormAction(form, values, { type: 'add', list: 'contacts' })).toEqual({
      contacts: [...values.contacts, { main: false }],
    });
  });

  it('removes an item and leaves the input values untouched', () => {
    const before = structuredClone(values);

    const after = applyFormAction(form, values, { type: 'remove', list: 'contacts', index: 0 });

    expect(after).toEqual({ contacts: [{ name: 'Bob', main: false }] });
    expect(values).toEqual(before);
  });

  it.each([
    ['an unknown list', { type: 'add', list: 'others' } as const],
    ['an index out of range', { type: 'remove', list: 'contacts', index: 5 } as const],
    ['a path into a field', { type: 'add', list: 'contacts[0].name' } as const],
    ['refresh', { type: 'refresh' } as const],
  ])('changes nothing for %s', (_case, action) => {
    expect(applyFormAction(form, values, action)).toEqual(values);
  });

  it('finds lists inside groups and inside list items', () => {
    const nested = parseForm({
      id: 'nested-lists',
      type: 'default',
      schemaVersion: 16,
      components: [
        {
          id: 'Group_Company',
          type: 'group',
          label: 'Unternehmen',
          path: 'company',
          components: [
            {
              id: 'List_Sites',
              type: 'dynamiclist',
              label: 'Standorte',
              path: 'sites',
              components: [
                { id: 'Field_City', type: 'textfield', key: 'city', label: 'Ort' },
                {
                  id: 'List_Phones',
                  type: 'dynamiclist',
                  label: 'Telefon',
                  path: 'phones',
                  defaultRepetitions: 0,
                  components: [{ id: 'Field_Number', type: 'textfield', key: 'number', label: 'Nummer' }],
                },
              ],
            },
          ],
        },
      ],
    }).form;
    const start = { company: { sites: [{ city: 'Dresden', phones: [] }] } };

    const added = applyFormAction(nested, start, { type: 'add', list: 'company.sites[0].phones' });

    expect(added).toEqual({ company: { sites: [{ city: 'Dresden', phones: [{}] }] } });
    expect(applyFormAction(nested, start, { type: 'add', list: 'company.sites' })).toEqual({
      company: { sites: [{ city: 'Dresden', phones: [] }, { phones: [] }] },
    });
  });

  it('does nothing for lists without add and remove buttons', () => {
    const fixed = parseForm({
      id: 'fixed',
      type: 'default',
      schemaVersion: 16,
      components: [{ id: 'List_A', type: 'dynamiclist', path: 'a', allowAddRemove: false, components: [] }],
    }).form;

    expect(applyFormAction(fixed, { a: [{}] }, { type: 'add', list: 'a' })).toEqual({ a: [{}] });
  });

  it('works on what the validator returned, the way a route uses it', () => {
    const body = { 'contacts[0].name': 'Anna', _action: 'add:contacts', _csrf: 'token' };
    const action = parseFormAction(body);
    const { values: current } = validateSubmission(form, body);

    const next = action ? applyFormAction(form, current, action) : current;

    expect(next).toEqual({ contacts: [{ name: 'Anna', main: false }, { main: false }] });
  });
});
