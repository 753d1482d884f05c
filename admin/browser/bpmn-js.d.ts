/**
 * The part of the bpmn-js viewer admin/browser/process-diagram.ts uses. bpmn-js ships ES modules, but its typings
 * sit in a package without `"type": "module"`, so under NodeNext TypeScript reads them as CommonJS and the default
 * export becomes a namespace; esbuild bundles the ES modules, where it is the class. These declarations say what
 * the bundle gets (bpmn-js 18, diagram-js 15).
 */
declare module 'bpmn-js/lib/NavigatedViewer.js' {
  export interface Canvas {
    /** Sets the scale (a number, or to fit the diagram into the container) and returns the new scale. */
    zoom(level: number | 'fit-viewport'): number;
    addMarker(elementId: string, marker: string): void;
    removeMarker(elementId: string, marker: string): void;
    scrollToElement(elementId: string, padding?: number): void;
  }
  export interface ElementRegistry {
    get(elementId: string): object | undefined;
  }
  export interface Overlays {
    add(
      elementId: string,
      type: string,
      overlay: { html: HTMLElement; position: { top?: number; right?: number; bottom?: number; left?: number } },
    ): string;
  }
  export interface EventBus {
    on(event: 'element.click', callback: (event: { element: { id: string } }) => void): void;
  }
  interface Services {
    canvas: Canvas;
    elementRegistry: ElementRegistry;
    overlays: Overlays;
    eventBus: EventBus;
  }
  export default class NavigatedViewer {
    constructor(options: { container: HTMLElement });
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    get<Name extends keyof Services>(name: Name): Services[Name];
  }
}
