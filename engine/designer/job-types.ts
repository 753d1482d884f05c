/**
 * The job types Lotse runs: every `zeebe:taskDefinition type` the worker has an implementation for
 * (`engine/main/worker.ts` → `engine/activities/`). The designer builds its element templates from this list and
 * validation reports a service task whose type is not in it — such a task would stop the case with an incident.
 *
 * Keep it in step with the worker's catalog: `job-types.test.ts` checks the two name the same types.
 */

export interface LocalizedText {
  de: string;
  en: string;
}

/** One value a job reads: a `zeebe:header` of the task, or a case variable it expects. */
export interface JobParameter {
  /** Header key (`zeebe:header key`) or variable name. */
  name: string;
  label: LocalizedText;
  /** Help text for the properties panel. */
  description?: LocalizedText;
  required: boolean;
  /** The value may be a FEEL expression (`=applicant.email`); otherwise it is plain text. */
  feel: boolean;
  /** Text with `{{variable}}` placeholders, shown as a multi-line field. */
  template?: boolean;
  /** Default the job uses when the header is missing. */
  defaultValue?: string;
}

export interface JobType {
  /** `zeebe:taskDefinition type`. */
  type: string;
  name: LocalizedText;
  description: LocalizedText;
  /** Headers of the task (`zeebe:taskHeaders`). */
  headers: JobParameter[];
  /** Case variables the job reads (set by earlier forms or tasks); not configured on the task. */
  variables: JobParameter[];
}

const text = (de: string, en: string): LocalizedText => ({ de, en });

export const JOB_TYPES: readonly JobType[] = [
  {
    type: 'email',
    name: text('E-Mail senden', 'Send e-mail'),
    description: text(
      'Sendet eine E-Mail über den Postausgang; genau einmal je Schritt, auch bei Wiederholung.',
      'Sends an e-mail through the outbox; exactly once per step, retries included.',
    ),
    headers: [
      {
        name: 'to',
        label: text('Empfänger', 'Recipient'),
        description: text(
          'Adresse oder FEEL-Ausdruck, z. B. =applicant.email',
          'Address or FEEL expression, e.g. =applicant.email',
        ),
        required: true,
        feel: true,
      },
      {
        name: 'subject',
        label: text('Betreff', 'Subject'),
        description: text('Text mit {{variable}}-Platzhaltern', 'Text with {{variable}} placeholders'),
        required: true,
        feel: false,
        template: true,
      },
      {
        name: 'body',
        label: text('Text', 'Body'),
        description: text('Text mit {{variable}}-Platzhaltern', 'Text with {{variable}} placeholders'),
        required: true,
        feel: false,
        template: true,
      },
    ],
    variables: [],
  },
  {
    type: 'document',
    name: text('Dokument erzeugen', 'Create document'),
    description: text(
      'Erzeugt einen Brief (PDF, DIN 5008) an das Unternehmen und legt ihn als Dokument des Vorgangs ab.',
      'Renders a letter (PDF, DIN 5008) to the company and files it as a document of the case.',
    ),
    headers: [
      {
        name: 'title',
        label: text('Titel', 'Title'),
        description: text('Benennt auch die Datei; Vorgabe „Bescheid“', 'Also names the file; default "Bescheid"'),
        required: false,
        feel: false,
        defaultValue: 'Bescheid',
      },
      {
        name: 'subject',
        label: text('Betreff', 'Subject'),
        description: text('Text mit {{variable}}-Platzhaltern', 'Text with {{variable}} placeholders'),
        required: false,
        feel: false,
        template: true,
      },
      {
        name: 'body',
        label: text('Text', 'Body'),
        description: text(
          'Text mit {{variable}}-Platzhaltern; Leerzeilen trennen Absätze',
          'Text with {{variable}} placeholders; blank lines separate paragraphs',
        ),
        required: true,
        feel: false,
        template: true,
      },
      {
        name: 'sender',
        label: text('Absender', 'Sender'),
        required: false,
        feel: false,
      },
      {
        name: 'closing',
        label: text('Grußformel', 'Closing'),
        description: text('Zeilen durch Zeilenumbruch getrennt', 'Lines separated by newlines'),
        required: false,
        feel: false,
        template: true,
      },
      {
        name: 'resultVariable',
        label: text('Ergebnisvariable', 'Result variable'),
        description: text('Erhält die Kennung des Dokuments', "Receives the document's id"),
        required: false,
        feel: false,
        defaultValue: 'decisionDocumentId',
      },
    ],
    variables: [],
  },
  {
    type: 'site-matching',
    name: text('Flächen abgleichen', 'Match sites'),
    description: text(
      'Gleicht die Flächensuche des Vorgangs mit dem Gewerbeflächenkatalog ab.',
      "Matches the case's site search against the commercial site catalog.",
    ),
    headers: [
      {
        name: 'resultVariable',
        label: text('Ergebnisvariable', 'Result variable'),
        required: false,
        feel: false,
        defaultValue: 'matchedSites',
      },
      {
        name: 'limit',
        label: text('Höchstzahl Treffer', 'Maximum matches'),
        required: false,
        feel: false,
        defaultValue: '5',
      },
    ],
    variables: [
      { name: 'areaSqm', label: text('Fläche in m²', 'Area in m²'), required: true, feel: false },
      { name: 'useType', label: text('Nutzungsart', 'Use type'), required: true, feel: false },
      { name: 'municipalities', label: text('Gemeinden', 'Municipalities'), required: false, feel: false },
      { name: 'neededBy', label: text('Benötigt ab', 'Needed by'), required: false, feel: false },
      { name: 'needsRail', label: text('Gleisanschluss', 'Rail access'), required: false, feel: false },
      { name: 'needsGigabit', label: text('Gigabit-Anschluss', 'Gigabit access'), required: false, feel: false },
      {
        name: 'maxMotorwayKm',
        label: text('Höchstens km zur Autobahn', 'Max. km to motorway'),
        required: false,
        feel: false,
      },
    ],
  },
];

export function jobType(type: string): JobType | undefined {
  return JOB_TYPES.find((entry) => entry.type === type);
}

export function isKnownJobType(type: string): boolean {
  return jobType(type) !== undefined;
}
