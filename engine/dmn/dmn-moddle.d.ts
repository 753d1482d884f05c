// dmn-moddle ships no types for its entry point. This declares only what the compiler uses; the element
// tree stays `unknown`-valued and is read through the guards in dmn-reader.ts.
declare module 'dmn-moddle' {
  export interface DmnNode {
    readonly $type: string;
    readonly [property: string]: unknown;
  }

  export interface DmnParseWarning {
    message: string;
    readonly [property: string]: unknown;
  }

  export interface DmnParseResult {
    rootElement: DmnNode;
    warnings: DmnParseWarning[];
  }

  export class DmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string): Promise<DmnParseResult>;
  }
}
