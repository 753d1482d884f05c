import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './return-path.js';

// Invariant: after login a user is only ever sent to a path on this site, never to another host.
describe('safeReturnPath', () => {
  it.each([
    ['/staff/incidents', '/staff/incidents'],
    [
      '/staff/cases/0b6c1f9e-0000-4000-8000-000000000000?retried=1',
      '/staff/cases/0b6c1f9e-0000-4000-8000-000000000000?retried=1',
    ],
    ['/cases?filter=open&page=2', '/cases?filter=open&page=2'],
  ])('keeps the same-site path %s', (value, expected) => {
    expect(safeReturnPath(value)).toBe(expected);
  });

  it.each([
    '//evil.example/staff',
    '/\\evil.example',
    '/\\/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    'staff/inbox',
    '',
    '/staff/inbox\r\nSet-Cookie: x=1',
    '/staff/<script>',
    `/${'a'.repeat(2001)}`,
  ])('refuses %j', (value) => {
    expect(safeReturnPath(value)).toBeUndefined();
  });

  it.each([undefined, null, 42, ['/staff/inbox'], { path: '/staff/inbox' }])('refuses the non-string %j', (value) => {
    expect(safeReturnPath(value)).toBeUndefined();
  });

  it('keeps a staff login to staff pages', () => {
    expect(safeReturnPath('/staff/incidents', '/staff/')).toBe('/staff/incidents');
    expect(safeReturnPath('/cases', '/staff/')).toBeUndefined();
  });
});
