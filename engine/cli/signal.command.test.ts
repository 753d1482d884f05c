import { describe, expect, it } from 'vitest';
import { parseSignalArgs } from './signal.command.js';

describe('lotse signal arguments', () => {
  it('takes a name and optional variables', () => {
    expect(parseSignalArgs(['budget-approved'])).toEqual({ ok: true, name: 'budget-approved', variables: {} });
    expect(parseSignalArgs(['budget-approved', '--variables', '{"budget":5000}'])).toEqual({
      ok: true,
      name: 'budget-approved',
      variables: { budget: 5000 },
    });
  });

  it('refuses a missing name, an unknown flag and variables that are not a JSON object', () => {
    expect(parseSignalArgs([])).toMatchObject({ ok: false, message: expect.stringContaining('needs a name') });
    expect(parseSignalArgs(['--variables', '{}'])).toMatchObject({ ok: false });
    expect(parseSignalArgs(['x', '--key', 'k'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('--key'),
    });
    expect(parseSignalArgs(['x', '--variables'])).toMatchObject({ ok: false });
    for (const bad of ['[1]', 'null', '{oops', '"text"']) {
      expect(parseSignalArgs(['x', '--variables', bad])).toEqual({
        ok: false,
        message: 'lotse signal: --variables must be a JSON object',
      });
    }
  });
});
