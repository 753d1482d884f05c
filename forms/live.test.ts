import { describe, expect, it } from 'vitest';
import { componentForm } from './fixtures/fixtures.js';
import { collectValues, evaluateSnapshot, type ControlState, type FormSnapshot, type LiveTarget } from './live.js';
import { validateSubmission } from './validate.js';

const text = (path: string, value: string): ControlState => ({ path, kind: 'text', value, checked: true });
const box = (path: string, checked: boolean): ControlState => ({ path, kind: 'checkbox', value: 'true', checked });
const radio = (path: string, value: string, checked: boolean, valueType?: string): ControlState => ({
  path,
  kind: 'choice',
  value,
  checked,
  valueType,
});

function snapshot(parts: Partial<FormSnapshot>): FormSnapshot {
  return { controls: [], lists: [], items: [], targets: [], ...parts };
}

function condition(expression: string, extra: Partial<Extract<LiveTarget, { kind: 'condition' }>> = {}): LiveTarget {
  return { kind: 'condition', expression, hidden: false, holdsFocus: false, paths: [], items: [], ...extra };
}

describe('collectValues: the value shapes of validateSubmission', () => {
  it.each<[string, ControlState[], Record<string, unknown>]>([
    ['text: trimmed, CRLF as LF', [text('subject', '  Halle \r\nB ')], { subject: 'Halle \nB' }],
    ['text: empty is left out', [text('subject', '   ')], {}],
    [
      'number: German decimal comma',
      [{ path: 'amount', kind: 'number', value: '1.234,5', checked: true }],
      { amount: 1234.5 },
    ],
    [
      'number: serializeToString keeps a string',
      [{ path: 'share', kind: 'number', value: '0,25', checked: true, valueType: 'string' }],
      { share: '0.25' },
    ],
    ['number: not a number is left out', [{ path: 'amount', kind: 'number', value: 'viel', checked: true }], {}],
    [
      'checkbox: boolean either way',
      [box('agreed', true), box('newsletter', false)],
      { agreed: true, newsletter: false },
    ],
    [
      'radio: the ticked option',
      [radio('channel', 'email', false), radio('channel', 'phone', true)],
      { channel: 'phone' },
    ],
    ['radio: none ticked is left out', [radio('channel', 'email', false)], {}],
    ['select: the empty choice is left out', [radio('program', '', true)], {}],
    [
      'options standing for numbers and booleans',
      [radio('size', '2', true, 'number'), radio('member', 'false', true, 'boolean')],
      { size: 2, member: false },
    ],
    [
      'checklist: ticked values in option order, [] when none',
      [
        { path: 'topics', kind: 'choices', value: 'export', checked: true },
        { path: 'topics', kind: 'choices', value: 'founding', checked: false },
        { path: 'topics', kind: 'choices', value: 'staff', checked: true },
        { path: 'other', kind: 'choices', value: 'x', checked: false },
      ],
      { topics: ['export', 'staff'], other: [] },
    ],
    [
      'date and time: one value from two inputs, a half is left out',
      [
        { path: 'meeting', kind: 'date-part', value: '2026-03-01', checked: true },
        { path: 'meeting', kind: 'time-part', value: '09:30:00', checked: true },
        { path: 'call', kind: 'date-part', value: '2026-03-02', checked: true },
        { path: 'call', kind: 'time-part', value: '', checked: true },
      ],
      { meeting: '2026-03-01T09:30' },
    ],
    ['time: without seconds', [{ path: 'at', kind: 'time', value: '14:30:00', checked: true }], { at: '14:30' }],
    [
      'files: ids not marked for removal, lower case',
      [
        { path: 'plans', kind: 'file', value: 'AAAAAAAA-0000-4000-8000-000000000001', checked: true },
        { path: 'plans', kind: 'file', value: 'aaaaaaaa-0000-4000-8000-000000000002', checked: false },
      ],
      { plans: ['aaaaaaaa-0000-4000-8000-000000000001'] },
    ],
    ['nested keys', [text('address.street', 'Am Markt 1')], { address: { street: 'Am Markt 1' } }],
  ])('%s', (_rule, controls, expected) => {
    expect(collectValues({ controls, lists: [], items: [] })).toEqual(expected);
  });

  it('builds dynamic lists as arrays of items, an item of unticked boxes and an empty list included', () => {
    const values = collectValues({
      lists: ['contacts', 'sites'],
      items: ['contacts[0]', 'contacts[1]'],
      controls: [text('contacts[0].name', 'Anna'), box('contacts[1].main', false)],
    });

    expect(values).toEqual({ contacts: [{ name: 'Anna' }, { main: false }], sites: [] });
  });

  it('agrees with validateSubmission on the conditional fixture’s shown values', () => {
    const form = componentForm('conditional');
    const controls = [
      radio('contactChannel', 'phone', true),
      text('phone', ' 0351 1234567 '),
      box('wantsFunding', true),
    ];
    controls.push({ path: 'funding.amount', kind: 'number', value: '5', checked: true });

    const server = validateSubmission(form, {
      contactChannel: 'phone',
      phone: ' 0351 1234567 ',
      wantsFunding: 'true',
      'funding.amount': '5',
    });

    expect(server.errors).toEqual([]);
    expect(collectValues({ controls, lists: [], items: [] })).toEqual(server.values);
  });
});

describe('collectValues: numbers', () => {
  // Invariant: the live script never computes with a number the languages read differently (50.000).
  it.each([
    ['1.000.000', 1000000],
    ['12,5', 12.5],
    ['1.234,5', 1234.5],
    ['50.000', undefined],
    ['1.00.0', undefined],
  ])('reads %o as the validator does without a locale: %s', (value, expected) => {
    const values = collectValues({
      controls: [{ path: 'amount', kind: 'number', value, checked: true }],
      lists: [],
      items: [],
    });
    expect(values.amount).toBe(expected);
  });
});

describe('evaluateSnapshot: conditions, expression fields and texts as the server evaluates them', () => {
  it('hides a component whose condition is true and shows one whose condition is false', () => {
    const outcomes = evaluateSnapshot(
      snapshot({
        controls: [radio('channel', 'phone', true)],
        targets: [condition('channel != "phone"', { hidden: true }), condition('channel = "phone"')],
      }),
    );

    expect(outcomes).toEqual([{ hidden: false }, { hidden: true }]);
  });

  it('takes a hidden component’s values out before later conditions look, like the validator', () => {
    // Given "details" is hidden unless "wantsDetails", and "followUp" depends on what "details" says
    const outcomes = evaluateSnapshot(
      snapshot({
        controls: [box('wantsDetails', false), text('details', 'urgent')],
        targets: [condition('wantsDetails != true', { paths: ['details'] }), condition('details != "urgent"')],
      }),
    );

    // Then "details" is hidden, and the second condition sees no value (null != "urgent" is true)
    expect(outcomes).toEqual([{ hidden: true }, { hidden: true }]);
  });

  it('does not evaluate what sits inside a hidden component', () => {
    const outcomes = evaluateSnapshot(
      snapshot({
        controls: [box('wantsFunding', false)],
        targets: [condition('wantsFunding != true'), condition('false', { parent: 0 })],
      }),
    );

    expect(outcomes).toEqual([{ hidden: true }, undefined]);
  });

  it('leaves alone what depends on variables only the server has, or on FEEL that fails', () => {
    const outcomes = evaluateSnapshot(
      snapshot({
        controls: [text('channel', 'email')],
        targets: [
          condition('not(isMember)', { hidden: true }),
          condition('channel = "phone" and company.size > 10'),
          condition('channel = "email" and company.size > 10'),
          condition('channel + 1 > 2'),
        ],
      }),
    );

    // The second is false whatever the company, but feelin looked the company up: to be safe, it is left too.
    expect(outcomes).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('counts a form field that is empty as null, as the server does', () => {
    const outcomes = evaluateSnapshot(
      snapshot({ controls: [text('phone', '')], targets: [condition('phone = null')] }),
    );

    expect(outcomes).toEqual([{ hidden: true }]);
  });

  it('does not hide the component that has the keyboard focus', () => {
    const outcomes = evaluateSnapshot(
      snapshot({
        controls: [text('note', 'x')],
        targets: [
          condition('note = "x"', { holdsFocus: true }),
          condition('note = "y"', { holdsFocus: true, hidden: true }),
        ],
      }),
    );

    // Showing is fine: focus stays where it is.
    expect(outcomes).toEqual([undefined, { hidden: false }]);
  });

  it('evaluates conditions in dynamic list items with this, parent and i', () => {
    const outcomes = evaluateSnapshot(
      snapshot({
        lists: ['contacts'],
        items: ['contacts[0]', 'contacts[1]'],
        controls: [box('contacts[0].main', true), box('contacts[1].main', false)],
        targets: [
          condition('this.main != true', { items: ['contacts[0]'] }),
          condition('this.main != true', { items: ['contacts[1]'] }),
          condition('i[1] = 1', { items: ['contacts[1]'] }),
        ],
      }),
    );

    expect(outcomes).toEqual([{ hidden: false }, { hidden: true }, { hidden: false }]);
  });

  it('computes expression fields for the conditions and texts after them', () => {
    const outcomes = evaluateSnapshot(
      snapshot({
        controls: [{ path: 'net', kind: 'number', value: '100', checked: true }],
        targets: [
          { kind: 'expression', expression: 'net * 1.19', path: 'gross', items: [] },
          condition('gross < 100'),
          { kind: 'template', template: 'Brutto: **{{gross}}** Euro', items: [] },
          { kind: 'template', template: '="Netto " + string(net)', items: [] },
        ],
      }),
    );

    expect(outcomes).toEqual([
      undefined,
      { hidden: false },
      { blocks: ['<p>Brutto: <strong>119</strong> Euro</p>'] },
      { blocks: ['<p>Netto 100</p>'] },
    ]);
  });

  it('leaves texts and conditions alone that use an expression field computed from server variables', () => {
    const outcomes = evaluateSnapshot(
      snapshot({
        targets: [
          { kind: 'expression', expression: 'company.name', path: 'applicant', items: [] },
          condition('applicant = null'),
          { kind: 'template', template: 'Hallo {{applicant}}', items: [] },
        ],
      }),
    );

    expect(outcomes).toEqual([undefined, undefined, undefined]);
  });

  it('escapes values in texts: data never becomes HTML', () => {
    const [outcome] = evaluateSnapshot(
      snapshot({
        controls: [text('name', '<img src=x onerror=alert(1)>')],
        targets: [{ kind: 'template', template: 'Hallo {{name}}', items: [] }],
      }),
    );

    expect(outcome).toEqual({ blocks: ['<p>Hallo &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;</p>'] });
  });
});
