import { describe, expect, it } from 'vitest';
import { parseForm } from '../../forms/schema.js';
import { dataPathsOf, fileFieldsOf, hasListedFileField, rootKeysOf } from './start-steps.js';

const form = parseForm({
  id: 'start-documents',
  type: 'default',
  schemaVersion: 16,
  components: [
    { id: 'Text_Intro', type: 'text', text: 'Unterlagen' },
    { id: 'Field_Subject', type: 'textfield', key: 'subject', label: 'Betreff' },
    { id: 'Field_Plan', type: 'filepicker', key: 'sitePlan', label: 'Lageplan', accept: '.pdf', multiple: true },
    {
      id: 'Group_Site',
      type: 'group',
      label: 'Standort',
      path: 'site',
      components: [
        { id: 'Field_Street', type: 'textfield', key: 'street', label: 'Straße' },
        { id: 'Field_Photo', type: 'filepicker', key: 'photo', label: 'Foto' },
      ],
    },
    {
      id: 'Group_Plain',
      type: 'group',
      label: 'Ohne Pfad',
      components: [{ id: 'Field_City', type: 'textfield', key: 'address.city', label: 'Ort' }],
    },
  ],
}).form;

describe('start steps over a form', () => {
  it('finds file fields by their data path, inside groups too', () => {
    expect(fileFieldsOf(form)).toEqual([
      { id: 'Field_Plan', name: 'sitePlan', label: 'Lageplan', accept: '.pdf', multiple: true },
      { id: 'Field_Photo', name: 'site.photo', label: 'Foto', accept: undefined, multiple: false },
    ]);
    expect(hasListedFileField(form)).toBe(false);
  });

  it('lists the data paths and the top-level names a step owns', () => {
    expect(dataPathsOf(form)).toEqual(['subject', 'sitePlan', 'site.street', 'site.photo', 'address.city']);
    expect([...rootKeysOf(form)].sort()).toEqual(['address', 'site', 'sitePlan', 'subject']);
  });

  it('notices a file field inside a dynamic list', () => {
    const listed = parseForm({
      id: 'listed',
      type: 'default',
      schemaVersion: 16,
      components: [
        {
          id: 'List_Attachments',
          type: 'dynamiclist',
          label: 'Anlagen',
          path: 'attachments',
          components: [{ id: 'Field_File', type: 'filepicker', key: 'file', label: 'Datei' }],
        },
      ],
    }).form;
    expect(hasListedFileField(listed)).toBe(true);
    expect(fileFieldsOf(listed)).toEqual([]);
    expect([...rootKeysOf(listed)]).toEqual(['attachments']);
  });
});
