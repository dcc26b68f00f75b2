// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { inlineText, parseInline, parseMarkdown, safeHref, slugify, type Block } from './markdown';

function paraText(b: Block): string {
  if (b.t !== 'paragraph') throw new Error(`paragraph expected, got ${b.t}`);
  return inlineText(b.children);
}

describe('parseInline', () => {
  it('reads bold, italics, code and links', () => {
    expect(parseInline('Go to **Network → FTP**, then `Save`.')).toEqual([
      { t: 'text', text: 'Go to ' },
      { t: 'strong', children: [{ t: 'text', text: 'Network → FTP' }] },
      { t: 'text', text: ', then ' },
      { t: 'code', text: 'Save' },
      { t: 'text', text: '.' },
    ]);
    expect(parseInline('*one* and _two_')).toEqual([
      { t: 'em', children: [{ t: 'text', text: 'one' }] },
      { t: 'text', text: ' and ' },
      { t: 'em', children: [{ t: 'text', text: 'two' }] },
    ]);
    expect(parseInline('[guide](/help/recorders/dahua?lang=fr)')).toEqual([
      { t: 'link', href: '/help/recorders/dahua?lang=fr', children: [{ t: 'text', text: 'guide' }] },
    ]);
  });

  it('leaves underscores inside words alone (CH_1, file_name) and keeps code verbatim', () => {
    expect(inlineText(parseInline('CH_1 and my_file_name.jpg'))).toBe('CH_1 and my_file_name.jpg');
    expect(parseInline('CH_1 and my_file_name.jpg')).toEqual([{ t: 'text', text: 'CH_1 and my_file_name.jpg' }]);
    expect(parseInline('`**not bold** <b>`')).toEqual([{ t: 'code', text: '**not bold** <b>' }]);
    expect(parseInline('2 * 3 * 4')).toEqual([{ t: 'text', text: '2 * 3 * 4' }]);
  });

  it('keeps HTML as text and drops unsafe link targets', () => {
    expect(parseInline('<script>alert(1)</script>')).toEqual([{ t: 'text', text: '<script>alert(1)</script>' }]);
    expect(parseInline('[click](javascript:alert(1))')).toEqual([{ t: 'text', text: 'click' }, { t: 'text', text: ')' }]);
    expect(parseInline('[x](data:text/html,hi)')).toEqual([{ t: 'text', text: 'x' }]);
  });

  it('honours backslash escapes and hard line breaks', () => {
    expect(parseInline('\\*not em\\*')).toEqual([{ t: 'text', text: '*not em*' }]);
    expect(parseInline('a  \nb')).toEqual([{ t: 'text', text: 'a' }, { t: 'br' }, { t: 'text', text: 'b' }]);
    expect(parseInline('a\nb')).toEqual([{ t: 'text', text: 'a b' }]);
  });
});

describe('safeHref and slugify', () => {
  it('allows http(s), mailto, site paths and anchors only', () => {
    expect(safeHref('https://example.com/x')).toBe('https://example.com/x');
    expect(safeHref('mailto:support@example.com')).toBe('mailto:support@example.com');
    expect(safeHref('/help/recorders/generic')).toBe('/help/recorders/generic');
    expect(safeHref('#troubleshooting')).toBe('#troubleshooting');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('JavaScript:alert(1)')).toBeNull();
    expect(safeHref('//evil.example')).toBeNull();
    expect(safeHref('vbscript:x')).toBeNull();
  });

  it('makes ASCII ids from French headings', () => {
    expect(slugify('3. Réseau → FTP (SFTP)')).toBe('3-reseau-ftp-sftp');
    expect(slugify('Dépannage')).toBe('depannage');
  });
});

describe('parseMarkdown', () => {
  it('reads headings with unique ids, paragraphs and rules', () => {
    const blocks = parseMarkdown('# Title\n\nFirst line\nsame paragraph.\n\n## Step\n\n---\n\n## Step\n');
    expect(blocks.map((b) => b.t)).toEqual(['heading', 'paragraph', 'heading', 'hr', 'heading']);
    expect(blocks[0]).toMatchObject({ level: 1, id: 'title' });
    expect(blocks[1]).toEqual({ t: 'paragraph', children: [{ t: 'text', text: 'First line same paragraph.' }] });
    expect(blocks[2]).toMatchObject({ id: 'step' });
    expect(blocks[4]).toMatchObject({ id: 'step-1' });
  });

  it('reads ordered and bulleted lists with nested items and continuation lines', () => {
    const blocks = parseMarkdown('3. Open **Setup**\n   then wait.\n4. Choose:\n   - SFTP\n   - FTP\n\n- a\n- b\n');
    expect(blocks).toHaveLength(2);
    const ol = blocks[0];
    expect(ol).toMatchObject({ t: 'list', ordered: true, start: 3 });
    if (ol.t !== 'list') throw new Error('list expected');
    expect(ol.items).toHaveLength(2);
    expect(paraText(ol.items[0][0])).toBe('Open Setup then wait.');
    expect(ol.items[1].map((b) => b.t)).toEqual(['paragraph', 'list']);
    expect(blocks[1]).toMatchObject({ t: 'list', ordered: false });
  });

  it('reads tables with alignment and escaped pipes', () => {
    const blocks = parseMarkdown('| Code | Meaning |\n| :--- | ---: |\n| `530` | wrong \\| banned |\n| 550 | off |\n');
    expect(blocks).toHaveLength(1);
    const table = blocks[0];
    if (table.t !== 'table') throw new Error('table expected');
    expect(table.align).toEqual(['left', 'right']);
    expect(table.head.map(inlineText)).toEqual(['Code', 'Meaning']);
    expect(table.rows.map((r) => r.map(inlineText))).toEqual([
      ['530', 'wrong | banned'],
      ['550', 'off'],
    ]);
  });

  it('reads fenced code verbatim and block quotes', () => {
    const blocks = parseMarkdown('```text\n2026-02-05/001/dav/12/*.dav\n  <b>x</b>\n```\n\n> **Note:** the clock\n> must be right.\n');
    expect(blocks[0]).toEqual({ t: 'code', lang: 'text', text: '2026-02-05/001/dav/12/*.dav\n  <b>x</b>' });
    expect(blocks[1].t).toBe('quote');
    if (blocks[1].t !== 'quote') return;
    expect(paraText(blocks[1].children[0])).toBe('Note: the clock must be right.');
  });

  it('never loses text: any input gives blocks without throwing', () => {
    for (const src of ['', '|', '| a |\n', '```', '-', '1.', '#', '> ', '**', '[a](', '\\', '***\n---']) {
      expect(() => parseMarkdown(src)).not.toThrow();
    }
  });
});
