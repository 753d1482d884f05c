/**
 * The agency's legal texts (config/legal/*.md) as HTML (pure, ADR 0032). A small subset of Markdown, enough for an
 * Impressum, a privacy notice and an accessibility statement, and nothing that can carry markup: every character of
 * the file is escaped first, then only these become tags —
 *
 * - `## Heading` and `### Heading` (h2, h3; the page's h1 is its title),
 * - paragraphs separated by blank lines, a single line break inside one kept (addresses),
 * - lists of lines starting with `- `,
 * - `**bold**` and links `[text](https://…)`, also `mailto:`, `tel:` and addresses on this site (`/…`).
 *
 * A link to anything else (`javascript:`, `data:`) stays text.
 */
export function renderLegalMarkdown(source: string): string {
  const blocks = source.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  return blocks
    .map((block) => block.trim())
    .filter(Boolean)
    .map(renderBlock)
    .join('\n');
}

function renderBlock(block: string): string {
  const heading = /^(#{1,3})\s+(.+)$/.exec(block);
  if (heading && !block.includes('\n')) {
    const level = Math.max(2, heading[1]?.length ?? 2);
    return `<h${level}>${inline(heading[2] ?? '')}</h${level}>`;
  }
  const lines = block.split('\n').map((line) => line.trim());
  if (lines.every((line) => line.startsWith('- '))) {
    return `<ul>${lines.map((line) => `<li>${inline(line.slice(2))}</li>`).join('')}</ul>`;
  }
  return `<p>${lines.map(inline).join('<br>')}</p>`;
}

const SAFE_HREF = /^(https?:\/\/|mailto:|tel:|\/(?!\/))/i;

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, href: string) => {
      // The href was escaped with the rest: `&amp;` in a query string is what HTML wants there.
      if (!SAFE_HREF.test(href)) return whole;
      const external = /^https?:/i.test(href);
      return `<a href="${href}"${external ? ' rel="noopener"' : ''}>${label}</a>`;
    });
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
