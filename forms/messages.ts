import type { FieldError, FieldErrorCode, Locale } from './model.js';
/**
 * Error messages: one sentence per `FieldError` code and locale, naming the field by its label. Pure
 * (the case workflow and the web layer both word errors with it).
 */

type Subject = { label: string } | undefined;

const quoted = (subject: Subject, fallback: string) => (subject ? `„${subject.label}“` : fallback);

/** Message sentences per locale; `subject` is undefined when the caller has no label. */
const MESSAGES: Record<Locale, Record<FieldErrorCode, (subject: Subject, params: Params) => string>> = {
  de: {
    required: (subject, params) => {
      switch (params.text('expected')) {
        case 'choice':
          return subject
            ? `Bitte wählen Sie bei „${subject.label}“ eine Möglichkeit aus.`
            : 'Bitte wählen Sie eine Möglichkeit aus.';
        case 'choices':
          return subject
            ? `Bitte wählen Sie bei „${subject.label}“ mindestens eine Möglichkeit aus.`
            : 'Bitte wählen Sie mindestens eine Möglichkeit aus.';
        case 'confirmation':
          return subject ? `Bitte bestätigen Sie „${subject.label}“.` : 'Bitte setzen Sie das Häkchen.';
        case 'file':
          return subject
            ? `Bitte laden Sie bei „${subject.label}“ eine Datei hoch.`
            : 'Bitte laden Sie eine Datei hoch.';
        default:
          return subject ? `Bitte füllen Sie „${subject.label}“ aus.` : 'Bitte füllen Sie dieses Feld aus.';
      }
    },
    minLength: (subject, params) =>
      `${quoted(subject, 'Die Eingabe')} muss mindestens ${params.number('min')} Zeichen lang sein.`,
    maxLength: (subject, params) =>
      `${quoted(subject, 'Die Eingabe')} darf höchstens ${params.number('max')} Zeichen lang sein` +
      (params.has('actual') ? ` (derzeit ${params.number('actual')}).` : '.'),
    pattern: (subject) =>
      subject
        ? `Bitte geben Sie „${subject.label}“ im richtigen Format an.`
        : 'Bitte geben Sie den Wert im richtigen Format an.',
    email: (subject) =>
      `Bitte geben Sie ${subject ? `bei „${subject.label}“ ` : ''}eine E-Mail-Adresse im Format name@beispiel.de an.`,
    phone: (subject) =>
      `Bitte geben Sie ${subject ? `bei „${subject.label}“ ` : ''}eine Telefonnummer an, z. B. 0351 1234567 oder +49 351 1234567.`,
    invalidOption: (subject) =>
      subject
        ? `Bitte wählen Sie bei „${subject.label}“ eine der angebotenen Möglichkeiten aus.`
        : 'Bitte wählen Sie eine der angebotenen Möglichkeiten aus.',
    invalidType: (subject) =>
      subject
        ? `Die Eingabe bei „${subject.label}“ konnte nicht gelesen werden. Bitte geben Sie sie erneut ein.`
        : 'Die Eingabe konnte nicht gelesen werden. Bitte geben Sie sie erneut ein.',
    notANumber: (subject) => `${quoted(subject, 'Die Eingabe')} muss eine Zahl sein, z. B. 12 oder 12,5.`,
    numberFormat: (subject, params) =>
      params.text('expected') === 'grouped'
        ? `${quoted(subject, 'Die Zahl')} bitte im Format 1.234.567,89 eingeben: Punkte nur zwischen Dreiergruppen, ` +
          'Komma vor den Nachkommastellen (oder ohne Punkte: 1234567,89).'
        : `${quoted(subject, 'Die Zahl')} ist nicht eindeutig. Bitte ohne Tausenderpunkte eingeben, z. B. 50000 oder 1234,5.`,
    min: (subject, params) => `${quoted(subject, 'Die Zahl')} muss mindestens ${params.number('min')} sein.`,
    max: (subject, params) => `${quoted(subject, 'Die Zahl')} darf höchstens ${params.number('max')} sein.`,
    decimalDigits: (subject, params) =>
      params.text('max') === '0'
        ? `${quoted(subject, 'Die Zahl')} muss eine ganze Zahl sein.`
        : `${quoted(subject, 'Die Zahl')} darf höchstens ${params.number('max')} Nachkommastellen haben.`,
    increment: (subject, params) =>
      `${quoted(subject, 'Die Zahl')} muss ein Vielfaches von ${params.number('step')} sein, ` +
      `z. B. ${params.number('lower')} oder ${params.number('higher')}.`,
    invalidDate: (subject, params) => {
      switch (params.text('expected')) {
        case 'time':
          return `${quoted(subject, 'Die Uhrzeit')} muss eine gültige Uhrzeit sein, z. B. 14:30.`;
        case 'datetime':
          return `Bitte geben Sie ${subject ? `bei „${subject.label}“ ` : ''}ein gültiges Datum und eine Uhrzeit an, z. B. 31.12.2025 und 14:30.`;
        default:
          return `${quoted(subject, 'Das Datum')} muss ein gültiges Datum sein, z. B. 31.12.2025.`;
      }
    },
    datePassed: (subject) => `${quoted(subject, 'Das Datum')} darf nicht in der Vergangenheit liegen.`,
    invalidFile: (subject) =>
      `Die Datei${subject ? ` bei „${subject.label}“` : ''} konnte nicht zugeordnet werden. Bitte laden Sie sie erneut hoch.`,
    tooManyFiles: (subject) =>
      subject ? `Bitte laden Sie bei „${subject.label}“ nur eine Datei hoch.` : 'Bitte laden Sie nur eine Datei hoch.',
  },
  en: {
    required: (subject, params) => {
      switch (params.text('expected')) {
        case 'choice':
          return subject ? `Select ${subject.label}.` : 'Select an option.';
        case 'choices':
          return subject ? `Select at least one option for ${subject.label}.` : 'Select at least one option.';
        case 'confirmation':
          return subject ? `Confirm “${subject.label}”.` : 'Tick the box to confirm.';
        case 'file':
          return subject ? `Upload a file for ${subject.label}.` : 'Upload a file.';
        default:
          return subject ? `Enter ${subject.label}.` : 'Fill in this field.';
      }
    },
    minLength: (subject, params) =>
      `${subject?.label ?? 'The entry'} must be at least ${params.number('min')} characters long.`,
    maxLength: (subject, params) =>
      `${subject?.label ?? 'The entry'} must be ${params.number('max')} characters or fewer` +
      (params.has('actual') ? ` (currently ${params.number('actual')}).` : '.'),
    pattern: (subject) =>
      subject ? `Enter ${subject.label} in the correct format.` : 'Enter the value in the correct format.',
    email: (subject) =>
      `Enter ${subject ? `${subject.label} as ` : ''}an email address in the correct format, like name@example.com.`,
    phone: (subject) =>
      `Enter ${subject ? `${subject.label} as ` : ''}a telephone number, like 0351 1234567 or +49 351 1234567.`,
    invalidOption: (subject) =>
      subject ? `Select one of the options for ${subject.label}.` : 'Select one of the options.',
    invalidType: (subject) =>
      subject
        ? `The entry for ${subject.label} could not be read. Enter it again.`
        : 'The entry could not be read. Enter it again.',
    notANumber: (subject) => `${subject?.label ?? 'The entry'} must be a number, like 12 or 12.5.`,
    numberFormat: (subject, params) =>
      params.text('expected') === 'grouped'
        ? `Enter ${subject ? `${subject.label} ` : 'the number '}like 1,234,567.89: commas only between groups of three ` +
          'digits, a point before the decimals (or without commas: 1234567.89).'
        : `${subject?.label ?? 'The number'} is ambiguous. Enter it without thousands separators, like 50000 or 1234.5.`,
    min: (subject, params) => `${subject?.label ?? 'The number'} must be ${params.number('min')} or more.`,
    max: (subject, params) => `${subject?.label ?? 'The number'} must be ${params.number('max')} or less.`,
    decimalDigits: (subject, params) =>
      params.text('max') === '0'
        ? `${subject?.label ?? 'The number'} must be a whole number.`
        : `${subject?.label ?? 'The number'} must have ${params.number('max')} decimal places or fewer.`,
    increment: (subject, params) =>
      `${subject?.label ?? 'The number'} must be a multiple of ${params.number('step')}, ` +
      `like ${params.number('lower')} or ${params.number('higher')}.`,
    invalidDate: (subject, params) => {
      switch (params.text('expected')) {
        case 'time':
          return `${subject?.label ?? 'The time'} must be a real time, like 14:30.`;
        case 'datetime':
          return `Enter a real date and time${subject ? ` for ${subject.label}` : ''}, like 31.12.2025 and 14:30.`;
        default:
          return `${subject?.label ?? 'The date'} must be a real date, like 31.12.2025.`;
      }
    },
    datePassed: (subject) => `${subject?.label ?? 'The date'} must be today or in the future.`,
    invalidFile: (subject) => `The file${subject ? ` for ${subject.label}` : ''} could not be found. Upload it again.`,
    tooManyFiles: (subject) => (subject ? `Upload only one file for ${subject.label}.` : 'Upload only one file.'),
  },
};

interface Params {
  has(name: string): boolean;
  text(name: string): string;
  number(name: string): string;
}

// Made on first use: building a NumberFormat costs more than formatting a whole error summary.
const numberFormats = new Map<Locale, Intl.NumberFormat>();

function numberFormat(locale: Locale): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 20 });
    numberFormats.set(locale, format);
  }
  return format;
}

function paramsOf(error: FieldError, locale: Locale): Params {
  const params = error.params ?? {};
  const numbers = numberFormat(locale);
  return {
    has: (name) => params[name] !== undefined,
    text: (name) => String(params[name] ?? ''),
    number: (name) => {
      const value = params[name];
      return typeof value === 'number' ? numbers.format(value) : String(value ?? '?');
    },
  };
}

/** A sentence for the user, naming the field by its label when given. */
export function errorMessage(error: FieldError, locale: Locale, label?: string): string {
  if (error.message) return error.message;
  const subject = label !== undefined && label.trim() !== '' ? { label: label.trim() } : undefined;
  // Errors may come back from the workflow as data: an unknown code still gets a sentence.
  const code = Object.hasOwn(MESSAGES[locale], error.code) ? error.code : 'invalidType';
  return MESSAGES[locale][code](subject, paramsOf(error, locale));
}
