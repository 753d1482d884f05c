/**
 * A small, strict HTML sanitizer for the html component: an allow-list of tags and attributes, rebuilt
 * from tokens (nothing from the input is copied through unparsed), every text and attribute re-escaped.
 * No scripts, styles, event handlers, ids, classes, forms, frames; links only http(s), mailto, relative
 * or #fragment; images only http(s) or data:image. Pure, no dependencies.
 */

/** Allowed tags and, per tag, allowed attributes. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  a: ['href', 'title'],
  abbr: ['title'],
  b: [],
  blockquote: [],
  br: [],
  caption: [],
  code: [],
  dd: [],
  div: [],
  dl: [],
  dt: [],
  em: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  hr: [],
  i: [],
  img: ['src', 'alt', 'width', 'height'],
  li: [],
  ol: ['start'],
  p: [],
  pre: [],
  s: [],
  small: [],
  span: [],
  strong: [],
  sub: [],
  sup: [],
  table: [],
  tbody: [],
  td: ['colspan', 'rowspan'],
  tfoot: [],
  th: ['colspan', 'rowspan', 'scope'],
  thead: [],
  tr: [],
  u: [],
  ul: [],
};

const VOID = new Set(['br', 'hr', 'img']);

/** Dropped together with everything inside them. */
const DROPPED_WITH_CONTENT = new Set([
  'script',
  'style',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'noscript',
  'noembed',
  'noframes',
  'textarea',
  'title',
  'xmp',
  'svg',
  'math',
  'select',
]);

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  shy: '\u00ad',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  euro: '€',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  sect: '§',
  para: '¶',
  middot: '·',
  bull: '•',
  times: '×',
  laquo: '«',
  raquo: '»',
  bdquo: '„',
  ldquo: '“',
  rdquo: '”',
  sbquo: '‚',
  lsquo: '‘',
  rsquo: '’',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
};

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

/** The same escaping as Handlebars' `{{ }}`, for text and attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (character) => ESCAPES[character] ?? character);
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[A-Za-z]{2,8});/g, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED_ENTITIES[body] ?? entity;
  });
}

// Browsers ignore control characters and whitespace inside a scheme: `java\tscript:` is `javascript:`.
function schemeOf(url: string): string | undefined {
  const compact = [...url]
    .filter((character) => character > ' ' && (character < '\u007f' || character > '\u009f'))
    .join('');
  return /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(compact)?.[1]?.toLowerCase();
}

/** For links in Markdown text: http(s) and mailto only. */
export function isSafeLinkUrl(url: string): boolean {
  const scheme = schemeOf(url);
  return (scheme === 'http' || scheme === 'https' || scheme === 'mailto') && !/[\s<>"]/.test(url.trim());
}

/** For links in html components: also relative URLs and #fragments (same origin). */
function isSafeHref(url: string): boolean {
  const scheme = schemeOf(url);
  return scheme === undefined ? !url.trim().startsWith('//') : isSafeLinkUrl(url);
}

/** Image sources: http(s) or a base64 data URL of a raster image (no SVG: it can carry script). */
export function isSafeImageUrl(url: string): boolean {
  const trimmed = url.trim();
  return (
    /^https?:\/\/[^\s<>"]+$/i.test(trimmed) ||
    /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/i.test(trimmed)
  );
}

export interface SanitizedHtml {
  html: string;
  /** What was taken out, for the parse-time check (`<script>`, `attribute onclick on <a>`, …). */
  removed: string[];
}

const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const TAG = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^>]*?)?)\s*(\/?)>/;

/** Sanitizes an HTML fragment. `<h1>` becomes `<h2>`: the page's own heading is the only h1. */
export function sanitizeHtml(source: string): SanitizedHtml {
  const removed = new Set<string>();
  const open: string[] = [];
  let html = '';
  let dropping: { tag: string; depth: number } | undefined;
  let rest = source;

  const emitText = (text: string) => {
    if (dropping === undefined && text !== '') html += escapeHtml(decodeEntities(text));
  };

  while (rest !== '') {
    const lt = rest.indexOf('<');
    if (lt < 0) {
      emitText(rest);
      break;
    }
    emitText(rest.slice(0, lt));
    rest = rest.slice(lt);

    if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->', 4);
      rest = end < 0 ? '' : rest.slice(end + 3);
      continue;
    }
    if (rest.startsWith('<!') || rest.startsWith('<?')) {
      const end = rest.indexOf('>');
      rest = end < 0 ? '' : rest.slice(end + 1);
      continue;
    }
    const match = TAG.exec(rest);
    if (!match) {
      emitText('<');
      rest = rest.slice(1);
      continue;
    }
    rest = rest.slice(match[0].length);
    const [, slash = '', rawName = '', attributeText = ''] = match;
    const name = rawName.toLowerCase();
    const closing = slash === '/';

    if (dropping !== undefined) {
      if (name === dropping.tag) dropping.depth += closing ? -1 : 1;
      if (dropping.depth === 0) dropping = undefined;
      continue;
    }
    if (DROPPED_WITH_CONTENT.has(name)) {
      removed.add(`<${name}>`);
      if (!closing) dropping = { tag: name, depth: 1 };
      continue;
    }
    const allowedAttributes = ALLOWED[name];
    if (allowedAttributes === undefined) {
      removed.add(`<${name}>`);
      continue;
    }
    const tag = name === 'h1' ? 'h2' : name;
    if (closing) {
      const at = open.lastIndexOf(tag);
      if (at < 0) continue;
      while (open.length > at) html += `</${open.pop() ?? ''}>`;
      continue;
    }
    const attributes = sanitizeAttributes(name, attributeText, allowedAttributes, removed);
    if (attributes === undefined) continue;
    html += `<${tag}${attributes}>`;
    if (!VOID.has(name)) open.push(tag);
  }
  while (open.length > 0) html += `</${open.pop() ?? ''}>`;
  return { html, removed: [...removed] };
}

/** The attribute text to emit, or undefined when the whole element must go (an image without a safe source). */
function sanitizeAttributes(
  tag: string,
  attributeText: string,
  allowed: readonly string[],
  removed: Set<string>,
): string | undefined {
  let result = '';
  const seen = new Set<string>();
  for (const [, rawName = '', double, single, bare] of attributeText.matchAll(ATTRIBUTE)) {
    const name = rawName.toLowerCase();
    const value = decodeEntities(double ?? single ?? bare ?? '');
    if (seen.has(name)) continue;
    seen.add(name);
    if (!allowed.includes(name)) {
      removed.add(`attribute ${name} on <${tag}>`);
      continue;
    }
    if (!attributeValueAllowed(name, value)) {
      removed.add(`${name}="${value}" on <${tag}>`);
      if (tag === 'img' && name === 'src') return undefined;
      continue;
    }
    result += ` ${name}="${escapeHtml(value)}"`;
  }
  if (tag === 'img' && !(seen.has('src') && seen.has('alt'))) {
    removed.add('<img> without src and alt');
    return undefined;
  }
  return result;
}

function attributeValueAllowed(name: string, value: string): boolean {
  switch (name) {
    case 'href':
      return isSafeHref(value);
    case 'src':
      return isSafeImageUrl(value);
    case 'colspan':
    case 'rowspan':
    case 'width':
    case 'height':
    case 'start':
      return /^\d{1,4}$/.test(value.trim());
    case 'scope':
      return ['row', 'col', 'rowgroup', 'colgroup'].includes(value.trim().toLowerCase());
    default:
      return true;
  }
}
