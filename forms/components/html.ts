/**
 * `html`: HTML with `{{…}}` templates; only an allow-list of tags and attributes survives (sanitize-html.ts).
 * What the sanitizer removes (`<style>`, `<script>`, event handlers, …) is a warning, not a load error: the
 * rest of the content is shown, as form-js shows sanitized HTML (ADR 0034).
 */
import { isExpression } from '../../engine/feel/feel.js';
import { elementId, type ComponentDefinition } from '../component.js';
import { fillTemplate, parseTemplate } from '../expressions.js';
import { escapeHtml, sanitizeHtml } from '../sanitize-html.js';
import type { HtmlComponent } from '../model.js';

export const html: ComponentDefinition<HtmlComponent> = {
  type: 'html',
  kind: 'static',
  schema: (kit) =>
    kit.z.strictObject({
      ...kit.componentBase,
      type: kit.z.literal('html'),
      content: kit.templateText('html components need content').superRefine((content, context) => {
        if (isExpression(content.trimStart())) {
          context.addIssue({
            code: 'custom',
            message: 'FEEL expressions (=…) are not supported here, use {{…}} templates',
          });
        }
      }),
    }),
  warnings: (component, kit) => kit.htmlProblems(component.content).map((problem) => `${problem}; it is left out`),
  label: () => undefined,
  translatable: () => ['content'],
  translate: (component, entry) => ({ ...component, content: entry.content ?? component.content }),
  view: (component, { place, hidden, hideIf }) => ({
    hideIf,
    hidden,
    id: elementId('html', component, place.indexes),
    // Template values are escaped before sanitizing: they can add text, never tags; URLs are checked after.
    html: sanitizeHtml(
      parseTemplate(component.content)
        .map((part) => ('text' in part ? part.text : escapeHtml(fillTemplate([part], place.scope))))
        .join(''),
    ).html,
  }),
};
