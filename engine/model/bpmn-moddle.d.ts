// bpmn-moddle ships types for its meta-model but none for its entry point. This declares only what the
// compiler uses; the element tree stays `unknown`-valued and is read through the guards in moddle-reader.ts.
declare module 'bpmn-moddle' {
  export interface ModdleNode {
    readonly $type: string;
    readonly [property: string]: unknown;
  }

  export interface ModdleParseWarning {
    message: string;
    readonly [property: string]: unknown;
  }

  export interface ModdleParseResult {
    rootElement: ModdleNode;
    warnings: ModdleParseWarning[];
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string): Promise<ModdleParseResult>;
  }
}
