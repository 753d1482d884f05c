import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** Browser scripts by output name (`forms-live` → `/static/forms-live.js`) and TypeScript entry point. */
const ENTRY_POINTS: Readonly<Record<string, string>> = {
  'forms-live': fileURLToPath(new URL('../../forms/browser/forms-live.ts', import.meta.url)),
  // The staff case page's diagram: the bpmn-js viewer, and its styles as `/static/process-diagram.css`.
  'process-diagram': fileURLToPath(new URL('../../admin/browser/process-diagram.ts', import.meta.url)),
  // The service designer's editors (admin/views/designer/file.hbs): bpmn-js modeler, form-js editor, dmn-js.
  'designer-modeler': fileURLToPath(new URL('../../admin/browser/designer-modeler.ts', import.meta.url)),
  'designer-form': fileURLToPath(new URL('../../admin/browser/designer-form.ts', import.meta.url)),
  'designer-dmn': fileURLToPath(new URL('../../admin/browser/designer-dmn.ts', import.meta.url)),
};

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * One preact for every bundle: the form-js editor pins an older preact of its own, but it renders the form-js
 * viewer's and the properties panel's components, which must share its hooks (two copies fail at the first hook).
 */
const onePreact: Plugin = {
  name: 'one-preact',
  setup(builder) {
    builder.onResolve({ filter: /^preact(\/.*)?$/ }, (args) =>
      args.pluginData === 'one-preact'
        ? undefined
        : builder.resolve(args.path, { kind: args.kind, resolveDir: PROJECT_ROOT, pluginData: 'one-preact' }),
    );
  },
};

/**
 * Bundles the browser scripts into `outDir` (one file per entry, feelin and the forms core included; the CSS an
 * entry imports as one `.css` file beside it),
 * for the composition root to call once at start and serve under /static. A generated folder, not the
 * repository: the bundle is always made from the code that runs on the server, so both evaluate FEEL alike.
 */
export async function buildBrowserAssets(outDir: string): Promise<void> {
  await build({
    entryPoints: ENTRY_POINTS,
    outdir: outDir,
    bundle: true,
    minify: true,
    // A classic script (`<script src defer>`): no module loading, and nothing leaks into the page's globals.
    format: 'iife',
    platform: 'browser',
    // Browsers with BigInt (decimal numbers), optional chaining and `??`.
    target: ['es2020'],
    // Icon fonts the editors' CSS names as fallbacks beside its embedded ones: copied beside the bundles.
    loader: { '.eot': 'file', '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file' },
    // The CSP allows same-origin scripts only; a bundle needs nothing else.
    logLevel: 'silent',
    plugins: [onePreact],
  });
}
