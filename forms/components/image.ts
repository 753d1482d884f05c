/**
 * `image`: an http(s) or raster `data:image` source, static or FEEL. Without `alt` it renders with `alt=""`
 * (as form-js does) and the designer gets a warning (WCAG 1.1.1).
 */
import { isExpression, stripExpression } from '../../engine/feel/feel.js';
import { elementId, type ComponentDefinition } from '../component.js';
import { displayText, tryEvaluate } from '../expressions.js';
import { isSafeImageUrl } from '../sanitize-html.js';
import type { ImageComponent } from '../model.js';

const SAFE_URL_MESSAGE = 'source must be an https:, http: or data:image URL, or a FEEL expression (=…)';

export const image: ComponentDefinition<ImageComponent> = {
  type: 'image',
  kind: 'static',
  schema: (kit) => {
    const { z } = kit;
    const source = z.string().superRefine((source, context) => {
      if (isExpression(source)) {
        const problem = kit.feelProblem(stripExpression(source));
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      } else if (!isSafeImageUrl(source)) {
        context.addIssue({ code: 'custom', message: SAFE_URL_MESSAGE });
      }
    });
    const alt = z.string().superRefine((alt, context) => {
      if (isExpression(alt)) {
        const problem = kit.feelProblem(stripExpression(alt));
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      } else if (alt.includes('{{')) {
        context.addIssue({ code: 'custom', message: kit.TEMPLATES_NOT_SUPPORTED });
      }
    });
    return z.strictObject({ ...kit.componentBase, type: z.literal('image'), source, alt: alt.optional() });
  },
  warnings: (component) =>
    component.type === 'image' && component.alt === undefined
      ? ['images need alt text (WCAG 1.1.1); it is shown with alt="" (decorative) until it has one']
      : [],
  label: () => undefined,
  // A FEEL alt text is data, not a text to translate.
  translatable: (component) => ((component.alt ?? '').trimStart().startsWith('=') ? [] : ['alt']),
  translate: (component, entry) => ({ ...component, alt: entry.alt ?? component.alt }),
  // A source that is not a safe URL (from FEEL) renders nothing.
  view: (component, { place, hidden, hideIf }) => {
    const evaluate = (text: string) =>
      text.trimStart().startsWith('=') ? displayText(tryEvaluate(text, place.scope)) : text;
    const src = evaluate(component.source);
    if (!isSafeImageUrl(src)) return undefined;
    return {
      hideIf,
      hidden,
      id: elementId('image', component, place.indexes),
      src: src.trim(),
      alt: evaluate(component.alt ?? ''),
    };
  },
};
