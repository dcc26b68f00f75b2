import { Alert, Box, Divider, Link, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from '@mui/material';
import { Fragment, useMemo, type ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { parseMarkdown, type Block, type Inline } from '../markdown';

const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

function renderInline(nodes: Inline[]): ReactNode {
  return nodes.map((n, i) => {
    switch (n.t) {
      case 'text':
        return <Fragment key={i}>{n.text}</Fragment>;
      case 'strong':
        return <strong key={i}>{renderInline(n.children)}</strong>;
      case 'em':
        return <em key={i}>{renderInline(n.children)}</em>;
      case 'br':
        return <br key={i} />;
      case 'code':
        return (
          <Box
            key={i}
            component="code"
            sx={{ fontFamily: MONO, fontSize: '0.875em', px: 0.5, py: 0.1, borderRadius: 0.75, bgcolor: 'action.hover', wordBreak: 'break-word' }}
          >
            {n.text}
          </Box>
        );
      case 'link': {
        const external = /^(https?:|mailto:)/i.test(n.href);
        return external ? (
          <Link key={i} href={n.href} target="_blank" rel="noopener noreferrer">
            {renderInline(n.children)}
          </Link>
        ) : n.href.startsWith('#') ? (
          <Link key={i} href={n.href}>
            {renderInline(n.children)}
          </Link>
        ) : (
          <Link key={i} component={RouterLink} to={n.href}>
            {renderInline(n.children)}
          </Link>
        );
      }
    }
  });
}

const HEADING_VARIANT = { 1: 'h4', 2: 'h5', 3: 'h6', 4: 'subtitle1' } as const;

function renderBlocks(blocks: Block[], tight = false): ReactNode {
  return blocks.map((b, i) => {
    switch (b.t) {
      case 'heading':
        return (
          <Typography
            key={i}
            id={b.id}
            variant={HEADING_VARIANT[b.level]}
            component={`h${b.level}` as 'h1'}
            sx={{
              fontWeight: 700,
              mt: b.level === 1 ? 0 : 3.5,
              mb: 1.5,
              scrollMarginTop: 80,
              ...(b.level === 1 && { fontSize: { xs: '1.6rem', sm: '2.125rem' } }),
              ...(b.level === 2 && { fontSize: { xs: '1.3rem', sm: '1.5rem' } }),
            }}
          >
            {renderInline(b.children)}
          </Typography>
        );
      case 'paragraph':
        return tight ? (
          <Fragment key={i}>{renderInline(b.children)}</Fragment>
        ) : (
          <Typography key={i} sx={{ mb: 1.5, lineHeight: 1.7 }}>
            {renderInline(b.children)}
          </Typography>
        );
      case 'list': {
        const Tag = b.ordered ? 'ol' : 'ul';
        return (
          <Box key={i} component={Tag} start={b.ordered && b.start !== 1 ? b.start : undefined} sx={{ pl: 3, mt: 0, mb: 1.5, lineHeight: 1.7 }}>
            {b.items.map((item, k) => (
              <Box component="li" key={k} sx={{ mb: 0.5 }}>
                {/* A one-paragraph item stays on the bullet's line. */}
                {item.length === 1 && item[0].t === 'paragraph'
                  ? renderBlocks(item, true)
                  : item.map((sub, j) =>
                      j === 0 && sub.t === 'paragraph' ? <Fragment key={j}>{renderBlocks([sub], true)}</Fragment> : <Fragment key={j}>{renderBlocks([sub])}</Fragment>,
                    )}
              </Box>
            ))}
          </Box>
        );
      }
      case 'quote':
        return (
          <Alert key={i} severity="info" variant="outlined" sx={{ mb: 2, '& .MuiAlert-message > :last-child': { mb: 0 } }}>
            {renderBlocks(b.children)}
          </Alert>
        );
      case 'code':
        return (
          <Box
            key={i}
            component="pre"
            sx={{ fontFamily: MONO, fontSize: '0.85rem', p: 2, mb: 2, borderRadius: 1, bgcolor: 'action.hover', overflowX: 'auto', whiteSpace: 'pre' }}
          >
            <code>{b.text}</code>
          </Box>
        );
      case 'table':
        return (
          <TableContainer key={i} sx={{ mb: 2.5, border: 1, borderColor: 'divider', borderRadius: 1 }}>
            <Table size="small">
              <TableHead>
                <TableRow>
                  {b.head.map((c, k) => (
                    <TableCell key={k} align={b.align[k] ?? undefined} sx={{ fontWeight: 700 }}>
                      {renderInline(c)}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {b.rows.map((row, r) => (
                  <TableRow key={r}>
                    {row.map((c, k) => (
                      <TableCell key={k} align={b.align[k] ?? undefined} sx={{ verticalAlign: 'top' }}>
                        {renderInline(c)}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        );
      case 'hr':
        return <Divider key={i} sx={{ my: 3 }} />;
    }
  });
}

/** Renders trusted-or-not Markdown as React elements (see markdown.ts): HTML in the source is shown as text. */
export function Markdown({ source, testId }: { source: string; testId?: string }) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return (
    <Box data-testid={testId} sx={{ '& > :first-of-type': { mt: 0 } }}>
      {renderBlocks(blocks)}
    </Box>
  );
}
