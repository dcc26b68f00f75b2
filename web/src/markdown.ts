// A small Markdown reader for the help pages: headings, paragraphs, lists (nested),
// block quotes, fenced code, tables, rules; inline bold, italics, code and links.
// It builds a tree that React renders as elements: no HTML string is ever injected,
// so raw HTML in the source shows as text.

export type Inline =
  | { t: 'text'; text: string }
  | { t: 'strong'; children: Inline[] }
  | { t: 'em'; children: Inline[] }
  | { t: 'code'; text: string }
  | { t: 'link'; href: string; children: Inline[] }
  | { t: 'br' };

export type Align = 'left' | 'center' | 'right' | null;

export type Block =
  | { t: 'heading'; level: 1 | 2 | 3 | 4; id: string; children: Inline[] }
  | { t: 'paragraph'; children: Inline[] }
  | { t: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { t: 'quote'; children: Block[] }
  | { t: 'code'; lang: string; text: string }
  | { t: 'table'; align: Align[]; head: Inline[][]; rows: Inline[][][] }
  | { t: 'hr' };

/** A link target allowed in the help pages: http(s), mailto, or a path/anchor of this site. */
export function safeHref(href: string): string | null {
  const h = href.trim();
  if (/^(https?:|mailto:)/i.test(h)) return h;
  if ((h.startsWith('/') && !h.startsWith('//')) || h.startsWith('#')) return h;
  return null;
}

/** "Réseau → FTP" → "reseau-ftp": ids for heading anchors. */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const isWord = (c: string | undefined) => !!c && /[\p{L}\p{N}]/u.test(c);

/** Inline markup of one paragraph, table cell or heading. */
export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\' && i + 1 < src.length && /[\\`*_[\]()#|>!-]/.test(src[i + 1])) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (c === '\n') {
      // Two trailing spaces before a line break force it; otherwise the line break is a space.
      if (text.endsWith('  ')) {
        text = text.trimEnd();
        flush();
        out.push({ t: 'br' });
      } else {
        text = text.trimEnd() + ' ';
      }
      i++;
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end > i) {
        flush();
        out.push({ t: 'code', text: src.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (c === '*' && src[i + 1] === '*') {
      const end = src.indexOf('**', i + 2);
      if (end > i + 2) {
        flush();
        out.push({ t: 'strong', children: parseInline(src.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if ((c === '*' || c === '_') && src[i + 1] !== ' ' && src[i + 1] !== c && !(c === '_' && isWord(src[i - 1]))) {
      let end = src.indexOf(c, i + 1);
      // "_" closes only at a word end, so CH_1 or file_name stay as they are.
      while (c === '_' && end > 0 && isWord(src[end + 1])) end = src.indexOf(c, end + 1);
      if (end > i + 1 && src[end - 1] !== ' ') {
        flush();
        out.push({ t: 'em', children: parseInline(src.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      const m = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(src.slice(i));
      if (m) {
        flush();
        const href = safeHref(m[2]);
        const children = parseInline(m[1]);
        if (href) out.push({ t: 'link', href, children });
        else out.push(...children);
        i += m[0].length;
        continue;
      }
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

/** Plain text of inlines (for ids and titles). */
export function inlineText(nodes: Inline[]): string {
  return nodes
    .map((n) => (n.t === 'text' || n.t === 'code' ? n.text : n.t === 'br' ? ' ' : inlineText(n.children)))
    .join('');
}

const LIST_ITEM = /^( {0,3})([-*+]|\d{1,3}[.)])\s+(.*)$/;
const FENCE = /^ {0,3}(```|~~~)\s*([\w-]*)\s*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const HR = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const TABLE_SEP = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function cells(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (s[i] === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += s[i];
  }
  out.push(cur.trim());
  return out;
}

function startsBlock(line: string): boolean {
  return HEADING.test(line) || FENCE.test(line) || HR.test(line) || LIST_ITEM.test(line) || /^ {0,3}>/.test(line);
}

/** Reads Markdown into blocks. */
export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  const blocks: Block[] = [];
  const usedIds = new Map<string, number>();
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = FENCE.exec(line))) {
      const fence = m[1];
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence)) body.push(lines[i++]);
      i++;
      blocks.push({ t: 'code', lang: m[2], text: body.join('\n') });
      continue;
    }
    if ((m = HEADING.exec(line))) {
      const level = Math.min(4, m[1].length) as 1 | 2 | 3 | 4;
      const children = parseInline(m[2]);
      const base = slugify(inlineText(children)) || 'section';
      const n = usedIds.get(base) ?? 0;
      usedIds.set(base, n + 1);
      blocks.push({ t: 'heading', level, id: n ? `${base}-${n}` : base, children });
      i++;
      continue;
    }
    if (HR.test(line)) {
      blocks.push({ t: 'hr' });
      i++;
      continue;
    }
    if (/^ {0,3}>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^ {0,3}>/.test(lines[i])) body.push(lines[i++].replace(/^ {0,3}> ?/, ''));
      blocks.push({ t: 'quote', children: parseMarkdown(body.join('\n')) });
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      const head = cells(line);
      const align: Align[] = cells(lines[i + 1]).map((c) =>
        c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : null,
      );
      i += 2;
      const rows: Inline[][][] = [];
      while (i < lines.length && lines[i].trim() && lines[i].includes('|')) {
        const row = cells(lines[i++]);
        rows.push(head.map((_, k) => parseInline(row[k] ?? '')));
      }
      blocks.push({ t: 'table', align, head: head.map(parseInline), rows });
      continue;
    }
    if ((m = LIST_ITEM.exec(line))) {
      const ordered = /\d/.test(m[2]);
      const start = ordered ? parseInt(m[2], 10) : 1;
      const items: Block[][] = [];
      while (i < lines.length) {
        const im = LIST_ITEM.exec(lines[i]);
        if (!im || /\d/.test(im[2]) !== ordered || im[1].length > m[1].length + 1) break;
        const indent = im[1].length + im[2].length + 1;
        const body = [im[3]];
        i++;
        // The item goes on over indented lines, lazy continuation lines and blank lines followed by indented ones.
        while (i < lines.length) {
          const l = lines[i];
          if (!l.trim()) {
            if (i + 1 < lines.length && /^ {2,}\S/.test(lines[i + 1])) {
              body.push('');
              i++;
              continue;
            }
            break;
          }
          if (/^ {2,}/.test(l)) {
            body.push(l.slice(Math.min(indent, l.length - l.trimStart().length)));
            i++;
            continue;
          }
          if (startsBlock(l) || (l.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]))) break;
          body.push(l);
          i++;
        }
        items.push(parseMarkdown(body.join('\n')));
        while (i < lines.length && !lines[i].trim() && i + 1 < lines.length && LIST_ITEM.test(lines[i + 1])) i++;
      }
      blocks.push({ t: 'list', ordered, start, items });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i].trim() && !startsBlock(lines[i]) && !(lines[i].includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]))) {
      para.push(lines[i++]);
    }
    if (para.length === 0) para.push(lines[i++]);
    blocks.push({ t: 'paragraph', children: parseInline(para.join('\n').trim()) });
  }
  return blocks;
}
