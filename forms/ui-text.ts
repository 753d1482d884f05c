import type { Locale } from './model.js';
/** The renderer's own words (not the form's): required marker, list buttons, empty states. */

export interface UiText {
  required: string;
  choose: string;
  errorPrefix: string;
  summaryTitle: string;
  submit: string;
  noOptions: string;
  noEntries: string;
  noRows: string;
  uploadedFiles: string;
  item: (list: string | undefined, number: number) => string;
  add: (list: string | undefined) => string;
  remove: (item: string) => string;
  removeFile: (name: string) => string;
  /** A task whose form is in another system (ADR 0034): the note and the link text. */
  externalForm: string;
  openExternalForm: string;
}

export const UI_TEXT: Record<Locale, UiText> = {
  de: {
    required: '(Pflichtfeld)',
    choose: 'Bitte auswählen',
    errorPrefix: 'Fehler:',
    summaryTitle: 'Bitte prüfen Sie Ihre Angaben',
    submit: 'Absenden',
    noOptions: 'Derzeit gibt es keine Auswahlmöglichkeiten.',
    noEntries: 'Noch keine Einträge.',
    noRows: 'Keine Einträge.',
    uploadedFiles: 'Hochgeladene Dateien',
    item: (list, number) => (list ? `${list}, Eintrag ${number}` : `Eintrag ${number}`),
    add: (list) => (list ? `${list}: Eintrag hinzufügen` : 'Eintrag hinzufügen'),
    remove: (item) => `${item} entfernen`,
    removeFile: (name) => `„${name}“ entfernen`,
    externalForm:
      'Das Formular dieser Aufgabe liegt in einem anderen System. Füllen Sie es dort aus und schließen Sie die Aufgabe dann hier ab.',
    openExternalForm: 'Formular im anderen System öffnen',
  },
  en: {
    required: '(required)',
    choose: 'Please select',
    errorPrefix: 'Error:',
    summaryTitle: 'There is a problem',
    submit: 'Submit',
    noOptions: 'There are no options at the moment.',
    noEntries: 'No entries yet.',
    noRows: 'Nothing to show.',
    uploadedFiles: 'Uploaded files',
    item: (list, number) => (list ? `${list}, entry ${number}` : `Entry ${number}`),
    add: (list) => (list ? `${list}: add an entry` : 'Add an entry'),
    remove: (item) => `Remove ${item}`,
    removeFile: (name) => `Remove “${name}”`,
    externalForm: "This task's form is in another system. Fill it in there, then complete the task here.",
    openExternalForm: 'Open the form in the other system',
  },
};
