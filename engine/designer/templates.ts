/**
 * The templates a new service starts from, as maps of files: `empty` (a start and an end to build on),
 * `inquiry` (a question and its answer by e-mail) and `application` (an application checked by staff, approved or
 * declined with a letter). `inquiry` and `application` are valid and publishable as they are; all are bilingual.
 * The diagrams carry their layout (BPMN DI) so the modeler shows them as drawn here.
 */
import { MANIFEST_FILE, type Localized, type ServiceFiles } from './service-files.js';

export const TEMPLATE_IDS = ['empty', 'inquiry', 'application'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export interface TemplateInfo {
  id: TemplateId;
  title: Localized;
  description: Localized;
}

export const TEMPLATES: readonly TemplateInfo[] = [
  {
    id: 'empty',
    title: { de: 'Leere Leistung', en: 'Empty service' },
    description: {
      de: 'Ein Start und ein Ende – Sie modellieren alles Weitere selbst.',
      en: 'A start and an end – you model everything else yourself.',
    },
  },
  {
    id: 'inquiry',
    title: { de: 'Anfrage mit Antwort', en: 'Inquiry with answer' },
    description: {
      de: 'Ein Unternehmen stellt eine Frage, die Wirtschaftsförderung antwortet per E-Mail.',
      en: 'A company asks a question, the agency answers by e-mail.',
    },
  },
  {
    id: 'application',
    title: { de: 'Antrag mit Prüfung und Bescheid', en: 'Application with review and decision' },
    description: {
      de: 'Ein Antrag wird geprüft, bewilligt oder abgelehnt; das Unternehmen erhält einen Bescheid.',
      en: 'An application is reviewed, approved or declined; the company receives a decision letter.',
    },
  },
];

export function isTemplateId(value: string): value is TemplateId {
  return (TEMPLATE_IDS as readonly string[]).includes(value);
}

interface Node {
  id: string;
  type: 'startEvent' | 'endEvent' | 'userTask' | 'serviceTask' | 'exclusiveGateway';
  name: string;
  x: number;
  y: number;
  /** Inner XML of `<bpmn:extensionElements>`. */
  extensions?: string;
  default?: string;
}

interface Flow {
  id: string;
  source: string;
  target: string;
  name?: string;
  condition?: string;
}

const SIZE: Record<Node['type'], [number, number]> = {
  startEvent: [36, 36],
  endEvent: [36, 36],
  userTask: [100, 80],
  serviceTask: [100, 80],
  exclusiveGateway: [50, 50],
};

const escapeXml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;');

const status = (value: string) =>
  `<zeebe:properties>\n          <zeebe:property name="status" value="${escapeXml(value)}" />\n        </zeebe:properties>`;
const form = (formId: string) => `<zeebe:formDefinition formId="${formId}" />`;
const group = (candidateGroups: string) => `<zeebe:assignmentDefinition candidateGroups="${candidateGroups}" />`;
const job = (type: string, headers: Record<string, string>) =>
  `<zeebe:taskDefinition type="${type}" retries="3" />\n        <zeebe:taskHeaders>\n${Object.entries(headers)
    .map(([key, value]) => `          <zeebe:header key="${key}" value="${escapeXml(value)}" />`)
    .join('\n')}\n        </zeebe:taskHeaders>`;

/** A BPMN file with one process and its diagram; flows run from the right edge of one shape to the left of the next. */
function bpmnOf(processId: string, name: string, nodes: Node[], flows: Flow[]): string {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const elements = nodes.map((node) => {
    const incoming = flows
      .filter((flow) => flow.target === node.id)
      .map((flow) => `      <bpmn:incoming>${flow.id}</bpmn:incoming>`);
    const outgoing = flows
      .filter((flow) => flow.source === node.id)
      .map((flow) => `      <bpmn:outgoing>${flow.id}</bpmn:outgoing>`);
    const extensions = node.extensions
      ? [`      <bpmn:extensionElements>\n        ${node.extensions}\n      </bpmn:extensionElements>`]
      : [];
    const defaultFlow = node.default ? ` default="${node.default}"` : '';
    return [
      `    <bpmn:${node.type} id="${node.id}" name="${escapeXml(node.name)}"${defaultFlow}>`,
      ...extensions,
      ...incoming,
      ...outgoing,
      `    </bpmn:${node.type}>`,
    ].join('\n');
  });
  const sequenceFlows = flows.map((flow) => {
    const name = flow.name ? ` name="${escapeXml(flow.name)}"` : '';
    const head = `    <bpmn:sequenceFlow id="${flow.id}"${name} sourceRef="${flow.source}" targetRef="${flow.target}"`;
    if (!flow.condition) return `${head} />`;
    return `${head}>\n      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${escapeXml(flow.condition)}</bpmn:conditionExpression>\n    </bpmn:sequenceFlow>`;
  });
  const shapes = nodes.map((node) => {
    const [width, height] = SIZE[node.type];
    const marker = node.type === 'exclusiveGateway' ? ' isMarkerVisible="true"' : '';
    return `      <bpmndi:BPMNShape id="${node.id}_di" bpmnElement="${node.id}"${marker}>\n        <dc:Bounds x="${node.x}" y="${node.y}" width="${width}" height="${height}" />\n      </bpmndi:BPMNShape>`;
  });
  const edges = flows.map((flow) => {
    const source = byId.get(flow.source);
    const target = byId.get(flow.target);
    if (!source || !target) throw new Error(`template flow ${flow.id} connects unknown elements`);
    const [sw, sh] = SIZE[source.type];
    const th = SIZE[target.type][1];
    const start = { x: source.x + sw, y: source.y + sh / 2 };
    const end = { x: target.x, y: target.y + th / 2 };
    const points =
      start.y === end.y
        ? [start, end]
        : [
            { x: source.x + sw / 2, y: start.y < end.y ? source.y + sh : source.y },
            { x: source.x + sw / 2, y: end.y },
            end,
          ];
    return `      <bpmndi:BPMNEdge id="${flow.id}_di" bpmnElement="${flow.id}">\n${points
      .map((point) => `        <di:waypoint x="${point.x}" y="${point.y}" />`)
      .join('\n')}\n      </bpmndi:BPMNEdge>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0"
  id="Definitions_${processId.replace(/[^A-Za-z0-9_]/g, '_')}" targetNamespace="http://bpmn.io/schema/bpmn"
  exporter="Lotse" exporterVersion="0.1.0"
  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <bpmn:process id="${processId}" name="${escapeXml(name)}" isExecutable="true">
${[...elements, ...sequenceFlows].join('\n')}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${processId}">
${[...shapes, ...edges].join('\n')}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function formFile(id: string, components: Record<string, unknown>[]) {
  return json({ id, type: 'default', schemaVersion: 16, executionPlatform: 'Camunda Cloud', components });
}

function translation(components: Record<string, Record<string, unknown>>) {
  return json({ components });
}

export interface TemplateInput {
  slug: string;
  title: Localized;
}

/** The files of a template for a new service with this slug and title. */
export function templateFiles(template: TemplateId, input: TemplateInput): ServiceFiles {
  switch (template) {
    case 'empty':
      return emptyTemplate(input);
    case 'inquiry':
      return inquiryTemplate(input);
    case 'application':
      return applicationTemplate(input);
  }
}

function manifest(input: TemplateInput, summary: Localized, forms: string[]): string {
  return json({ slug: input.slug, title: input.title, summary, bpmn: `${input.slug}.bpmn`, forms });
}

function emptyTemplate(input: TemplateInput): ServiceFiles {
  const { slug } = input;
  const startForm = `${slug}-start`;
  return {
    [MANIFEST_FILE]: manifest(input, { de: 'Kurzbeschreibung der Leistung', en: 'Short description of the service' }, [
      `${startForm}.form`,
    ]),
    [`${slug}.bpmn`]: bpmnOf(
      slug,
      input.title.de,
      [
        {
          id: 'StartEvent_Submitted',
          type: 'startEvent',
          name: 'Eingegangen',
          x: 180,
          y: 162,
          extensions: `${form(startForm)}\n        ${status('Eingegangen')}`,
        },
        {
          id: 'EndEvent_Done',
          type: 'endEvent',
          name: 'Erledigt',
          x: 400,
          y: 162,
          extensions: status('Abgeschlossen'),
        },
      ],
      [{ id: 'Flow_Done', source: 'StartEvent_Submitted', target: 'EndEvent_Done' }],
    ),
    [`${startForm}.form`]: formFile(startForm, [
      {
        id: 'Field_Subject',
        type: 'textfield',
        key: 'subject',
        label: 'Betreff',
        validate: { required: true, maxLength: 120 },
      },
    ]),
    [`${startForm}.en.json`]: translation({ Field_Subject: { label: 'Subject' } }),
  };
}

function inquiryTemplate(input: TemplateInput): ServiceFiles {
  const { slug } = input;
  const startForm = `${slug}-start`;
  const answerForm = `${slug}-answer`;
  return {
    [MANIFEST_FILE]: manifest(
      input,
      {
        de: 'Stellen Sie uns Ihre Frage – wir antworten per E-Mail.',
        en: 'Ask us your question – we answer by e-mail.',
      },
      [`${startForm}.form`, `${answerForm}.form`],
    ),
    [`${slug}.bpmn`]: bpmnOf(
      slug,
      input.title.de,
      [
        {
          id: 'StartEvent_Submitted',
          type: 'startEvent',
          name: 'Anfrage eingegangen',
          x: 180,
          y: 162,
          extensions: `${form(startForm)}\n        ${status('Eingegangen')}`,
        },
        {
          id: 'Task_Answer',
          type: 'userTask',
          name: 'Anfrage beantworten',
          x: 270,
          y: 140,
          extensions: `${group('wirtschaftsfoerderung')}\n        ${form(answerForm)}\n        ${status('In Bearbeitung')}`,
        },
        {
          id: 'Task_SendAnswer',
          type: 'serviceTask',
          name: 'Antwort senden',
          x: 430,
          y: 140,
          extensions: job('email', {
            to: '=applicant.email',
            subject: 'Ihre Anfrage {{caseNumber}}: {{subject}}',
            body: 'Guten Tag {{applicant.name}},\n\n{{answer}}\n\nMit freundlichen Grüßen\nIhre Wirtschaftsförderung',
          }),
        },
        {
          id: 'EndEvent_Answered',
          type: 'endEvent',
          name: 'Anfrage beantwortet',
          x: 592,
          y: 162,
          extensions: status('Beantwortet'),
        },
      ],
      [
        { id: 'Flow_ToAnswer', source: 'StartEvent_Submitted', target: 'Task_Answer' },
        { id: 'Flow_ToSend', source: 'Task_Answer', target: 'Task_SendAnswer' },
        { id: 'Flow_ToEnd', source: 'Task_SendAnswer', target: 'EndEvent_Answered' },
      ],
    ),
    [`${startForm}.form`]: formFile(startForm, [
      {
        id: 'Field_Subject',
        type: 'textfield',
        key: 'subject',
        label: 'Betreff',
        validate: { required: true, minLength: 3, maxLength: 120 },
      },
      {
        id: 'Field_Message',
        type: 'textarea',
        key: 'message',
        label: 'Ihre Frage',
        validate: { required: true, minLength: 10, maxLength: 5000 },
      },
    ]),
    [`${startForm}.en.json`]: translation({
      Field_Subject: { label: 'Subject' },
      Field_Message: { label: 'Your question' },
    }),
    [`${answerForm}.form`]: formFile(answerForm, [
      {
        id: 'Field_Answer',
        type: 'textarea',
        key: 'answer',
        label: 'Antwort an das Unternehmen',
        validate: { required: true, minLength: 10, maxLength: 10000 },
      },
    ]),
    [`${answerForm}.en.json`]: translation({ Field_Answer: { label: 'Answer to the company' } }),
  };
}

function applicationTemplate(input: TemplateInput): ServiceFiles {
  const { slug } = input;
  const startForm = `${slug}-start`;
  const reviewForm = `${slug}-review`;
  return {
    [MANIFEST_FILE]: manifest(
      input,
      {
        de: 'Stellen Sie Ihren Antrag – wir prüfen ihn und senden Ihnen einen Bescheid.',
        en: 'Submit your application – we review it and send you a decision letter.',
      },
      [`${startForm}.form`, `${reviewForm}.form`],
    ),
    [`${slug}.bpmn`]: bpmnOf(
      slug,
      input.title.de,
      [
        {
          id: 'StartEvent_Submitted',
          type: 'startEvent',
          name: 'Antrag eingegangen',
          x: 180,
          y: 182,
          extensions: `${form(startForm)}\n        ${status('Eingegangen')}`,
        },
        {
          id: 'Task_Review',
          type: 'userTask',
          name: 'Antrag prüfen',
          x: 270,
          y: 160,
          extensions: `${group('wirtschaftsfoerderung')}\n        ${form(reviewForm)}\n        ${status('In Prüfung')}`,
        },
        {
          id: 'Gateway_Approved',
          type: 'exclusiveGateway',
          name: 'Bewilligt?',
          x: 425,
          y: 175,
          default: 'Flow_Declined',
        },
        {
          id: 'Task_ApprovalLetter',
          type: 'serviceTask',
          name: 'Bescheid erstellen',
          x: 530,
          y: 160,
          extensions: job('document', {
            title: 'Bescheid',
            subject: 'Bewilligung Ihres Antrags {{caseNumber}}',
            body: 'Sehr geehrte Damen und Herren,\n\nIhr Antrag „{{subject}}“ wird bewilligt.\n\n{{reason}}',
          }),
        },
        {
          id: 'Task_NotifyApproved',
          type: 'serviceTask',
          name: 'Bewilligung mitteilen',
          x: 690,
          y: 160,
          extensions: job('email', {
            to: '=applicant.email',
            subject: 'Ihr Antrag {{caseNumber}} ist bewilligt',
            body: 'Guten Tag {{applicant.name}},\n\nIhr Antrag wurde bewilligt. Den Bescheid finden Sie in Ihrem Vorgang.\n\nMit freundlichen Grüßen\nIhre Wirtschaftsförderung',
          }),
        },
        {
          id: 'EndEvent_Approved',
          type: 'endEvent',
          name: 'Bewilligt',
          x: 852,
          y: 182,
          extensions: status('Bewilligt'),
        },
        {
          id: 'Task_NotifyDeclined',
          type: 'serviceTask',
          name: 'Ablehnung mitteilen',
          x: 530,
          y: 300,
          extensions: job('email', {
            to: '=applicant.email',
            subject: 'Ihr Antrag {{caseNumber}}',
            body: 'Guten Tag {{applicant.name}},\n\nwir können Ihren Antrag leider nicht bewilligen.\n\n{{reason}}\n\nMit freundlichen Grüßen\nIhre Wirtschaftsförderung',
          }),
        },
        {
          id: 'EndEvent_Declined',
          type: 'endEvent',
          name: 'Abgelehnt',
          x: 692,
          y: 322,
          extensions: status('Abgelehnt'),
        },
      ],
      [
        { id: 'Flow_ToReview', source: 'StartEvent_Submitted', target: 'Task_Review' },
        { id: 'Flow_ToDecision', source: 'Task_Review', target: 'Gateway_Approved' },
        {
          id: 'Flow_Approved',
          name: 'ja',
          source: 'Gateway_Approved',
          target: 'Task_ApprovalLetter',
          condition: '=approved = true',
        },
        { id: 'Flow_Declined', name: 'nein', source: 'Gateway_Approved', target: 'Task_NotifyDeclined' },
        { id: 'Flow_ToNotifyApproved', source: 'Task_ApprovalLetter', target: 'Task_NotifyApproved' },
        { id: 'Flow_ToApprovedEnd', source: 'Task_NotifyApproved', target: 'EndEvent_Approved' },
        { id: 'Flow_ToDeclinedEnd', source: 'Task_NotifyDeclined', target: 'EndEvent_Declined' },
      ],
    ),
    [`${startForm}.form`]: formFile(startForm, [
      {
        id: 'Field_Subject',
        type: 'textfield',
        key: 'subject',
        label: 'Vorhaben',
        validate: { required: true, minLength: 3, maxLength: 120 },
      },
      {
        id: 'Field_Description',
        type: 'textarea',
        key: 'description',
        label: 'Beschreibung Ihres Vorhabens',
        validate: { required: true, minLength: 10, maxLength: 5000 },
      },
    ]),
    [`${startForm}.en.json`]: translation({
      Field_Subject: { label: 'Project' },
      Field_Description: { label: 'Description of your project' },
    }),
    [`${reviewForm}.form`]: formFile(reviewForm, [
      { id: 'Field_Approved', type: 'checkbox', key: 'approved', label: 'Antrag bewilligen' },
      {
        id: 'Field_Reason',
        type: 'textarea',
        key: 'reason',
        label: 'Begründung für das Unternehmen',
        validate: { required: true, minLength: 10, maxLength: 5000 },
      },
    ]),
    [`${reviewForm}.en.json`]: translation({
      Field_Approved: { label: 'Approve the application' },
      Field_Reason: { label: 'Reasons for the company' },
    }),
  };
}
