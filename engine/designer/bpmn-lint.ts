/**
 * bpmnlint on the server: the recommended rules plus Lotse's own rules for the subset the engine runs. bpmnlint
 * loads rules through a resolver; the static one gets every rule from a cache, so linting never searches
 * `node_modules` at run time and the set of rules is exactly the one declared here.
 */
import { createRequire } from 'node:module';
import { BpmnModdle, type ModdleNode } from 'bpmn-moddle';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { childrenOf, extensionOf, idOf, stringOf } from '../model/moddle-reader.js';

export interface LintReport {
  rule: string;
  severity: 'error' | 'warning';
  elementId: string;
  /** German, names the element. */
  message: string;
  messageEn: string;
}

interface Reporter {
  report(id: string, message: string): void;
}
interface RuleDefinition {
  check: ((node: ModdleNode, reporter: Reporter) => void) | { enter?: (node: ModdleNode, reporter: Reporter) => void };
}
type RuleFactory = (config?: unknown) => RuleDefinition;
interface LinterInstance {
  lint(root: ModdleNode): Promise<Record<string, { id?: string; message: string; category: string }[]>>;
}
interface BpmnlintModule {
  Linter: new (options: { config: unknown; resolver: unknown }) => LinterInstance;
}

// bpmnlint is CommonJS without types for its rules; loading through require keeps the exact modules it ships.
const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint') as BpmnlintModule;
const StaticResolver = require('bpmnlint/lib/resolver/static-resolver.js') as new (cache: unknown) => unknown;
const recommended = require('bpmnlint/config/recommended.js') as { rules: Record<string, string> };

/**
 * Recommended rules that do not fit how Lotse services are written get another severity. `no-bpmndi`: a
 * service written by hand (the catalog's own) has no diagram; the designer adds one, so it is a warning.
 * `label-required`: unnamed elements are allowed (the id names them), but the designer asks for names.
 */
const SEVERITY_OVERRIDES: Record<string, 'warn' | 'off'> = {
  'no-bpmndi': 'warn',
  'label-required': 'warn',
  'no-implicit-start': 'warn',
  'no-implicit-end': 'warn',
};

/** German texts for the recommended rules (bpmnlint's own messages are English). */
const GERMAN: Record<string, string> = {
  'conditional-flows': 'Ausgehende Flüsse brauchen eine Bedingung (oder einen Standardfluss)',
  'end-event-required': 'Der Prozess braucht ein Endereignis',
  'event-based-gateway': 'Das ereignisbasierte Gateway ist nicht richtig verbunden',
  'fake-join': 'Mehrere eingehende Flüsse ohne zusammenführendes Gateway',
  'label-required': 'Das Element hat keinen Namen',
  'no-bpmndi': 'Das Element hat keine Darstellung im Diagramm',
  'no-complex-gateway': 'Komplexe Gateways werden nicht unterstützt',
  'no-disconnected': 'Das Element ist nicht verbunden',
  'no-duplicate-sequence-flows': 'Doppelter Sequenzfluss',
  'no-gateway-join-fork': 'Das Gateway führt zusammen und verzweigt zugleich',
  'no-implicit-split': 'Mehrere ausgehende Flüsse ohne Gateway',
  'no-implicit-end': 'Das Element endet den Pfad ohne Endereignis',
  'no-implicit-start': 'Das Element beginnt einen Pfad ohne Startereignis',
  'no-inclusive-gateway': 'Inklusive Gateways werden nicht empfohlen',
  'no-overlapping-elements': 'Das Element überlappt ein anderes',
  'single-blank-start-event': 'Mehr als ein einfaches Startereignis',
  'single-event-definition': 'Das Ereignis hat mehr als eine Definition',
  'start-event-required': 'Der Prozess braucht ein Startereignis',
  'sub-process-blank-start-event': 'Der Unterprozess braucht ein einfaches Startereignis',
  'superfluous-gateway': 'Das Gateway ist überflüssig',
  'superfluous-label': 'Die Beschriftung ist überflüssig',
  'superfluous-termination': 'Das Terminierungsereignis ist überflüssig',
};

export const USER_TASK_RESPONSIBILITY = 'lotse/user-task-responsibility';

/**
 * A user task nobody is responsible for sits in no inbox: it needs an assignee, candidate groups or candidate
 * users (`zeebe:assignmentDefinition`).
 */
const userTaskResponsibility: RuleFactory = () => ({
  check(node, reporter) {
    if (node.$type !== 'bpmn:UserTask') return;
    const assignment = extensionOf(node, 'zeebe:AssignmentDefinition');
    const filled = ['assignee', 'candidateGroups', 'candidateUsers'].some((property) =>
      (assignment ? stringOf(assignment, property) : undefined)?.trim(),
    );
    if (!filled) reporter.report(idOf(node) ?? '', 'user task has no assignee, candidate groups or candidate users');
  },
});

const OWN_RULES: Record<string, { factory: RuleFactory; severity: 'error' | 'warn'; german: string }> = {
  'user-task-responsibility': {
    factory: userTaskResponsibility,
    severity: 'error',
    german:
      'hat keine Zuständigkeit: tragen Sie eine Bearbeiterin, Kandidatengruppen oder Kandidaten ein (Zuständigkeit)',
  },
};

function resolverCache(): Record<string, unknown> {
  const cache: Record<string, unknown> = {};
  for (const rule of Object.keys(recommended.rules)) {
    cache[`rule:bpmnlint/${rule}`] = require(`bpmnlint/rules/${rule}.js`) as RuleFactory;
  }
  for (const [rule, { factory }] of Object.entries(OWN_RULES)) cache[`rule:bpmnlint-plugin-lotse/${rule}`] = factory;
  return cache;
}

const RESOLVER_CACHE = resolverCache();

const CONFIG = {
  rules: {
    ...recommended.rules,
    ...SEVERITY_OVERRIDES,
    ...Object.fromEntries(Object.entries(OWN_RULES).map(([rule, { severity }]) => [`lotse/${rule}`, severity])),
  },
};

/** Lints one BPMN file; a file that does not parse gives no reports (the compiler names that problem). */
export async function lintBpmn(xml: string): Promise<LintReport[]> {
  let root: ModdleNode;
  try {
    root = (await new BpmnModdle({ zeebe: zeebeDescriptor }).fromXML(xml)).rootElement;
  } catch {
    return [];
  }
  // A linter per file: some rules keep state in their factory's closure (seen flows) and would carry it over.
  const linter = new Linter({ config: CONFIG, resolver: new StaticResolver(RESOLVER_CACHE) });
  const results = await linter.lint(root);
  const names = namesById(root);
  const reports: LintReport[] = [];
  for (const [rule, entries] of Object.entries(results)) {
    const shortName = rule.replace(/^lotse\//, '');
    const german = OWN_RULES[shortName]?.german ?? GERMAN[rule];
    for (const entry of entries) {
      if (entry.category !== 'error' && entry.category !== 'warn') continue;
      const elementId = entry.id ?? '';
      const label = elementLabel(elementId, names.get(elementId));
      reports.push({
        rule,
        severity: entry.category === 'error' ? 'error' : 'warning',
        elementId,
        message: `${label.de} ${german ? germanSentence(rule, german) : entry.message}`,
        messageEn: `${label.en}: ${entry.message}`,
      });
    }
  }
  return reports;
}

/** Own rules read as a sentence about the element ("… hat keine Zuständigkeit"); the others follow a colon. */
function germanSentence(rule: string, german: string): string {
  return rule.startsWith('lotse/') ? german : `– ${german}`;
}

function elementLabel(id: string, name: string | undefined): { de: string; en: string } {
  return name ? { de: `„${name}“ (${id})`, en: `"${name}" (${id})` } : { de: `Element ${id}`, en: `Element ${id}` };
}

function namesById(root: ModdleNode): Map<string, string> {
  const names = new Map<string, string>();
  const visit = (node: ModdleNode) => {
    const id = idOf(node);
    const name = stringOf(node, 'name');
    if (id && name) names.set(id, name);
    for (const property of ['rootElements', 'flowElements', 'participants', 'laneSets', 'lanes']) {
      for (const child of childrenOf(node, property)) visit(child);
    }
  };
  visit(root);
  return names;
}
