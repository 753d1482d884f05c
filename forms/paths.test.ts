import { describe, expect, it } from 'vitest';
import { deletePath, expandInput, fieldId, formatPath, listItems, parsePath, writePath } from './paths.js';

describe('parsePath and formatPath', () => {
  it.each([
    ['subject', ['subject']],
    ['address.street', ['address', 'street']],
    ['contacts[1].email', ['contacts', 1, 'email']],
    ['a[0].b[12].c', ['a', 0, 'b', 12, 'c']],
    ['contacts[0]._item', ['contacts', 0, '_item']],
  ])('%s', (text, segments) => {
    expect(parsePath(text)).toEqual(segments);
    expect(formatPath(segments)).toBe(text);
  });

  it.each(['', '1a', 'a..b', 'a[', 'a[x]', 'a.', '[0]', 'a b', 'a[1234567]'])('rejects %o', (text) => {
    expect(parsePath(text)).toBeUndefined();
  });
});

describe('expandInput', () => {
  it('nests flat urlencoded names and keeps plain keys', () => {
    const tree = expandInput({
      subject: 'x',
      'address.street': 'Hauptstr.',
      'contacts[1].email': 'a@b.de',
      topics: ['a'],
    });

    expect(JSON.parse(JSON.stringify(tree))).toEqual({
      subject: 'x',
      address: { street: 'Hauptstr.' },
      contacts: { 1: { email: 'a@b.de' } },
      topics: ['a'],
    });
  });

  it('builds containers without a prototype, so __proto__ is just a name', () => {
    const tree = expandInput({ 'a.__proto__': 'x', 'a.b': 'y' });

    expect(Object.getPrototypeOf(tree['a'])).toBeNull();
    expect(({} as Record<string, unknown>)['b']).toBeUndefined();
  });

  it('lets a flat name win over a plain key at the same place', () => {
    expect(JSON.parse(JSON.stringify(expandInput({ address: 'plain', 'address.street': 'flat' })))).toEqual({
      address: { street: 'flat' },
    });
  });

  it('reads nothing from values that are not objects', () => {
    expect(Object.keys(expandInput('text'))).toEqual([]);
    expect(Object.keys(expandInput(null))).toEqual([]);
  });
});

describe('listItems', () => {
  it('orders the numbered entries of a body and numbers them densely', () => {
    expect(listItems({ 3: 'c', 0: 'a', x: 'ignored' })).toEqual(['a', 'c']);
    expect(listItems(['a', 'b'])).toEqual(['a', 'b']);
    expect(listItems('x')).toEqual([]);
  });
});

describe('writePath and deletePath', () => {
  it('creates objects on the way and removes emptied ones, but never a list item', () => {
    const values: Record<string, unknown> = { contacts: [{}] };
    writePath(values, ['address', 'street'], 'x');
    writePath(values, ['contacts', 0, 'email'], 'a@b.de');

    deletePath(values, ['address', 'street']);
    deletePath(values, ['contacts', 0, 'email']);

    expect(values).toEqual({ contacts: [{}] });
  });
});

it('fieldId adds one index per enclosing list item', () => {
  expect(fieldId('Field_A')).toBe('field-Field_A');
  expect(fieldId('Field_A', [1, 0])).toBe('field-Field_A-1-0');
});
