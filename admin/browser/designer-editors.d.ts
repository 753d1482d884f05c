/**
 * The parts of the bpmn.io editors the designer's bundles use (designer-modeler.ts, designer-dmn.ts). Like
 * ./bpmn-js.d.ts: the packages ship ES modules whose typings TypeScript reads as CommonJS under NodeNext (or ship
 * none); esbuild bundles the ES modules. bpmn-js 18, diagram-js 15, bpmn-js-properties-panel 5,
 * bpmn-js-element-templates 2, dmn-js 17.
 */
declare module 'bpmn-js/lib/Modeler.js' {
  export interface Canvas {
    zoom(level: number | 'fit-viewport'): number;
    addMarker(element: string | object, marker: string): void;
    removeMarker(element: string | object, marker: string): void;
    scrollToElement(element: string | object, padding?: number): void;
  }
  export interface Overlays {
    add(
      elementId: string,
      type: string,
      overlay: { html: HTMLElement; position: { top?: number; right?: number; bottom?: number; left?: number } },
    ): string;
    remove(filter: { type: string }): void;
  }
  export interface EventBus {
    on(event: 'elementTemplates.select', callback: (event: { element: object }) => void): void;
    on(event: 'commandStack.changed', callback: () => void): void;
  }
  export interface TemplateDescriptor {
    id: string;
    name: string;
    description?: string;
  }
  export interface ElementTemplates {
    getAll(element?: object): TemplateDescriptor[];
    applyTemplate(element: object, template: TemplateDescriptor): object;
  }
  interface Services {
    canvas: Canvas;
    elementRegistry: { get(elementId: string): object | undefined };
    overlays: Overlays;
    eventBus: EventBus;
    selection: { select(element: object): void };
    elementTemplates: ElementTemplates;
  }
  export default class Modeler {
    constructor(options: {
      container: HTMLElement;
      keyboard?: { bindTo: Document | HTMLElement };
      propertiesPanel?: { parent: HTMLElement };
      elementTemplates?: unknown[];
      additionalModules?: unknown[];
      moddleExtensions?: Record<string, unknown>;
    });
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    saveXML(options?: { format?: boolean }): Promise<{ xml?: string }>;
    get<Name extends keyof Services>(name: Name): Services[Name];
  }
}

declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: object;
  export const BpmnPropertiesProviderModule: object;
  export const ZeebePropertiesProviderModule: object;
}

declare module 'bpmn-js-element-templates' {
  export const CloudElementTemplatesPropertiesProviderModule: object;
}

declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud/index.js' {
  const ZeebeBehaviorsModule: object;
  export default ZeebeBehaviorsModule;
}

declare module 'dmn-js/lib/Modeler.js' {
  export default class DmnModeler {
    constructor(options: { container: HTMLElement; common?: { keyboard?: { bindTo: Document | HTMLElement } } });
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    saveXML(options?: { format?: boolean }): Promise<{ xml?: string }>;
    getViews(): { type: string; element: { id: string } }[];
    getActiveView(): { type: string; element: { id: string } } | undefined;
    open(view: { type: string; element: { id: string } }): Promise<unknown>;
  }
}

/** The validator bpmn-js-element-templates runs on templates; engine/designer/element-templates.test.ts runs it too. */
declare module '@bpmn-io/element-templates-validator' {
  export function validateZeebe(template: object): { valid: boolean; errors?: unknown[] };
}
