/**
 * The test-run page's view of a draft (pure): which of its files are CPT test files and how many test cases each
 * holds, the name a new test file gets, and the skeleton it starts from. Running them is engine/scenario's part.
 */

/** Test files of a service are named like `lotse test` finds them in a folder: `<name>.test.json`. */
export const TEST_FILE_SUFFIX = '.test.json';

const FILE_NAME = /^[A-Za-z0-9._-]+$/;
const MAX_FILE_NAME = 100;

export type TestFileProblem = 'invalid-json' | 'no-test-cases';

export interface TestFileSummary {
  name: string;
  /** The names of its test cases, in order; empty when the file is no test file (see `problem`). */
  testCases: string[];
  problem?: TestFileProblem;
  /** The parser's own words for `invalid-json`. */
  detail?: string;
}

export const isTestFileName = (name: string): boolean => name.toLowerCase().endsWith(TEST_FILE_SUFFIX);

/**
 * Every `*.test.json` of the draft with its test cases, by name. Only the outline is read here: whether each
 * instruction is valid is the runner's to say (it names the instruction), so a file with a bad instruction still
 * lists its test cases.
 */
export function testFilesOf(files: Record<string, string>): TestFileSummary[] {
  return Object.keys(files)
    .filter(isTestFileName)
    .sort()
    .map((name) => summarize(name, files[name] ?? ''));
}

function summarize(name: string, text: string): TestFileSummary {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { name, testCases: [], problem: 'invalid-json', detail: error instanceof Error ? error.message : '' };
  }
  const testCases = isRecord(document) ? document['testCases'] : undefined;
  if (!Array.isArray(testCases)) return { name, testCases: [], problem: 'no-test-cases' };
  return {
    name,
    testCases: testCases.map((testCase: unknown, index) =>
      isRecord(testCase) && typeof testCase['name'] === 'string' && testCase['name'].trim() !== ''
        ? testCase['name']
        : `#${index + 1}`,
    ),
  };
}

export type NewTestFileName =
  { ok: true; name: string } | { ok: false; error: 'empty' | 'invalid' | 'too-long' | 'taken' };

/** The file name for "new test file": `.test.json` is added when missing; the name must be free. */
export function newTestFileName(input: string, files: Record<string, string>): NewTestFileName {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, error: 'empty' };
  const name = isTestFileName(trimmed) ? trimmed : `${trimmed.replace(/\.json$/i, '')}${TEST_FILE_SUFFIX}`;
  if (!FILE_NAME.test(name) || name.startsWith('.')) return { ok: false, error: 'invalid' };
  if (name.length > MAX_FILE_NAME) return { ok: false, error: 'too-long' };
  if (Object.keys(files).some((existing) => existing.toLowerCase() === name.toLowerCase())) {
    return { ok: false, error: 'taken' };
  }
  return { ok: true, name };
}

export interface StartEvent {
  processId: string;
  elementId: string;
  name?: string;
}

/** The plain start events of the draft's executable processes (those a case starts at), read from the XML. */
export function startEventsOf(files: Record<string, string>): StartEvent[] {
  const found: StartEvent[] = [];
  for (const name of Object.keys(files).sort()) {
    if (!name.toLowerCase().endsWith('.bpmn')) continue;
    const xml = files[name] ?? '';
    for (const process of xml.matchAll(/<(?:[\w-]+:)?process\b([^>]*)>([\s\S]*?)<\/(?:[\w-]+:)?process>/g)) {
      const attributes = process[1] ?? '';
      const processId = attribute(attributes, 'id');
      if (processId === undefined || attribute(attributes, 'isExecutable') === 'false') continue;
      // Only top-level start events: those of sub-processes sit inside a <subProcess>, cut out first.
      const body = (process[2] ?? '').replace(/<(?:[\w-]+:)?subProcess\b[\s\S]*?<\/(?:[\w-]+:)?subProcess>/g, '');
      for (const start of body.matchAll(
        /<(?:[\w-]+:)?startEvent\b([^>]*?)(\/>|>([\s\S]*?)<\/(?:[\w-]+:)?startEvent>)/g,
      )) {
        // A message or timer start event is started by its trigger, not by CREATE_PROCESS_INSTANCE.
        if (/EventDefinition\b/.test(start[3] ?? '')) continue;
        const elementId = attribute(start[1] ?? '', 'id');
        if (elementId === undefined) continue;
        const label = attribute(start[1] ?? '', 'name');
        found.push({ processId, elementId, ...(label !== undefined && { name: unescapeXml(label) }) });
      }
    }
  }
  return found;
}

/**
 * A new test file: one test case that starts a case at the draft's start event and checks that it was passed.
 * It runs as it is, so the designer starts from green and adds instructions (CPT JSON, as `lotse test` runs it).
 */
export function testFileSkeleton(files: Record<string, string>, locale: 'de' | 'en' = 'de'): string {
  const start = startEventsOf(files)[0];
  const processId = start?.processId ?? 'process-id';
  const startName = start ? `${start.name ? `„${start.name}“ ` : ''}(${start.elementId})` : '';
  const testCase = {
    name: locale === 'de' ? 'Neuer Testfall' : 'New test case',
    description:
      locale === 'de'
        ? `Startet einen Vorgang am Startereignis ${startName}. Weitere Anweisungen: Aufgaben erledigen (COMPLETE_USER_TASK), Jobs abschließen (COMPLETE_JOB), Zustände prüfen (ASSERT_…).`
        : `Starts a case at the start event ${startName}. Add instructions: complete tasks (COMPLETE_USER_TASK), complete jobs (COMPLETE_JOB), check states (ASSERT_…).`,
    instructions: [
      {
        type: 'CREATE_PROCESS_INSTANCE',
        processDefinitionSelector: { processDefinitionId: processId },
        variables: {},
      },
      {
        type: 'ASSERT_ELEMENT_INSTANCES',
        processInstanceSelector: { processDefinitionId: processId },
        elementSelectors: [{ elementId: start?.elementId ?? 'StartEvent_1' }],
        state: 'IS_COMPLETED',
      },
    ],
  };
  const document = {
    $schema: 'https://camunda.com/json-schema/cpt-test-cases/8.9/schema.json',
    testCases: [testCase],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function attribute(attributes: string, name: string): string | undefined {
  return new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attributes)?.[1];
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
