/**
 * The Markdown subset of text components, rendered to HTML: paragraphs (a single line break stays
 * one), `#` headings, `-`/`*`/`1.` lists, **bold**, *italic*, `code`, [links](https://…) (http, https
 * and mailto only) and `{{…}}` placeholders. Everything else is text: HTML in the source is escaped,
 * never passed through. Placeholder values are inserted as escaped text after parsing, so data can never
 * become Markdown or HTML. Pure, no dependencies.
 */
import { escapeHtml, isSafeLinkUrl } from './sanitize-html.js';

/** The text for a placeholder's expression (`{{companyName}}` → `companyName`). */
export type Fill = (expression: string) => string;

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const BULLET = /^ {0,3}[-*+][ \t]+(.*)$/;
const NUMBERED = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/;

/**
 * A text component's blocks: Markdown with `{{…}}` placeholders, or, for a text that is one FEEL expression
 * (`=…`), its result as plain text paragraphs (`fill` gets the whole `=…`). The server and the browser
 * script both render texts with this.
 */
export function renderText(source: string, fill: Fill): string[] {
  const text = source.trimStart();
  if (!text.startsWith('=')) return renderMarkdown(source, fill);
  // A FEEL result is data: shown as plain text, never read as Markdown.
  return fill(text)
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map(
      (paragraph) =>
        `<p>${paragraph
          .split('\n')
          .map((line) => escapeHtml(line.trim()))
          .join('<br>')}</p>`,
    );
}

/**
 * The blocks of the text as HTML, one string per block (`<p>…</p>`, `<ul>…</ul>`, `<h2>…</h2>`).
 * Headings start at h2 (`#` and `##` are both h2): the page's own heading is the only h1.
 */
export function renderMarkdown(source: string, fill: Fill): string[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: string[] = [];
  let index = 0;
  const isBlank = (line: string) => line.trim() === '';
  const startsBlock = (line: string) => HEADING.test(line) || BULLET.test(line) || NUMBERED.test(line);

  while (index < lines.length) {
    const line = lines[index] ?? '';
    if (isBlank(line)) {
      index++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.max(2, heading[1]?.length ?? 2);
      blocks.push(`<h${level}>${renderInline(heading[2] ?? '', fill)}</h${level}>`);
      index++;
      continue;
    }
    const ordered = NUMBERED.exec(line);
    if (ordered || BULLET.test(line)) {
      const pattern = ordered ? NUMBERED : BULLET;
      const items: string[][] = [];
      while (index < lines.length) {
        const current = lines[index] ?? '';
        const item = pattern.exec(current);
        if (item) items.push([(ordered ? item[2] : item[1]) ?? '']);
        else if (!isBlank(current) && /^[ \t]{2,}/.test(current) && !startsBlock(current)) {
          items[items.length - 1]?.push(current.trim());
        } else break;
        index++;
      }
      const start = Number(ordered?.[1] ?? '1');
      const open = ordered ? (start === 1 ? '<ol>' : `<ol start="${start}">`) : '<ul>';
      const body = items.map((item) => `<li>${item.map((part) => renderInline(part.trim(), fill)).join('<br>')}</li>`);
      blocks.push(`${open}${body.join('')}${ordered ? '</ol>' : '</ul>'}`);
      continue;
    }
    const paragraph: string[] = [];
    while (
      index < lines.length &&
      !isBlank(lines[index] ?? '') &&
      (paragraph.length === 0 || !startsBlock(lines[index] ?? ''))
    ) {
      paragraph.push((lines[index] ?? '').trim());
      index++;
    }
    blocks.push(`<p>${paragraph.map((part) => renderInline(part, fill)).join('<br>')}</p>`);
  }
  return blocks;
}

const ESCAPABLE = /[\\`*_{}[\]()#+\-.!<>|~]/;
const WORD = /[\p{L}\p{N}]/u;

/** Inline Markdown of one line. `links` is false inside a link's text (no links in links). */
export function renderInline(text: string, fill: Fill, links = true): string {
  let html = '';
  let index = 0;
  while (index < text.length) {
    const character = text[index] ?? '';
    const next = text[index + 1] ?? '';

    if (character === '\\' && ESCAPABLE.test(next)) {
      html += escapeHtml(next);
      index += 2;
      continue;
    }
    if (character === '{' && next === '{') {
      const end = text.indexOf('}}', index + 2);
      if (end >= 0) {
        html += escapeHtml(fill(text.slice(index + 2, end).trim()));
        index = end + 2;
        continue;
      }
    }
    if (character === '`') {
      const end = text.indexOf('`', index + 1);
      if (end > index + 1) {
        html += `<code>${escapeHtml(text.slice(index + 1, end))}</code>`;
        index = end + 1;
        continue;
      }
    }
    if (character === '[' && links) {
      const link = linkAt(text, index);
      if (link) {
        const label = renderInline(link.label, fill, false);
        html += isSafeLinkUrl(link.url) ? `<a href="${escapeHtml(link.url.trim())}">${label}</a>` : label;
        index = link.end;
        continue;
      }
    }
    if ((character === '*' || character === '_') && next === character) {
      const end = closingDelimiter(text, character.repeat(2), index + 2);
      if (end >= 0) {
        html += `<strong>${renderInline(text.slice(index + 2, end), fill, links)}</strong>`;
        index = end + 2;
        continue;
      }
    }
    if (character === '*' || character === '_') {
      const end = closingDelimiter(text, character, index + 1);
      if (end >= 0 && (character === '*' || !WORD.test(text[index - 1] ?? ''))) {
        html += `<em>${renderInline(text.slice(index + 1, end), fill, links)}</em>`;
        index = end + 1;
        continue;
      }
    }
    html += escapeHtml(character);
    index++;
  }
  return html;
}

/** Where an emphasis closes: after non-space content, not inside a word for `_`. -1 if it does not. */
function closingDelimiter(text: string, delimiter: string, from: number): number {
  if (/\s/.test(text[from] ?? ' ')) return -1;
  let at = text.indexOf(delimiter, from + 1);
  while (at >= 0) {
    const before = text[at - 1] ?? ' ';
    const after = text[at + delimiter.length] ?? ' ';
    const doubled = delimiter.length === 1 && after === delimiter;
    if (!/\s/.test(before) && !doubled && (delimiter[0] === '*' || !WORD.test(after))) return at;
    at = text.indexOf(delimiter, at + (doubled ? 2 : 1));
  }
  return -1;
}

function linkAt(text: string, start: number): { label: string; url: string; end: number } | undefined {
  const close = text.indexOf('](', start + 1);
  if (close < 0 || text.slice(start + 1, close).includes('[')) return undefined;
  // Balanced parentheses, as in CommonMark: `(https://example.org/a_(b))`.
  let depth = 0;
  for (let index = close + 2; index < text.length; index++) {
    const character = text[index];
    if (character === '(') depth++;
    else if (character === ')') {
      if (depth === 0)
        return { label: text.slice(start + 1, close), url: text.slice(close + 2, index), end: index + 1 };
      depth--;
    }
  }
  return undefined;
}
