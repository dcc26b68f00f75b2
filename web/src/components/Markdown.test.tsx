import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';

const renderMd = (source: string) =>
  render(
    <MemoryRouter>
      <Markdown source={source} testId="md" />
    </MemoryRouter>,
  );

describe('Markdown', () => {
  it('renders headings, lists, tables, code and links as elements', () => {
    renderMd(
      '# Title\n\n## Step **one**\n\n1. Open `Setup`\n2. Click [here](https://example.com)\n\n| A | B |\n| --- | --- |\n| x | [in app](/help/recorders/dahua) |\n\n```\ncode <b>\n```\n',
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Title' })).toHaveAttribute('id', 'title');
    expect(screen.getByRole('heading', { level: 2, name: 'Step one' })).toBeInTheDocument();
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByText('Setup').tagName).toBe('CODE');
    const ext = screen.getByRole('link', { name: 'here' });
    expect(ext).toHaveAttribute('href', 'https://example.com');
    expect(ext).toHaveAttribute('target', '_blank');
    expect(ext).toHaveAttribute('rel', 'noopener noreferrer');
    expect(screen.getByRole('link', { name: 'in app' })).toHaveAttribute('href', '/help/recorders/dahua');
    expect(screen.getByRole('table')).toBeInTheDocument();
    expect(screen.getByText('code <b>')).toBeInTheDocument();
  });

  it('never injects HTML from the source', () => {
    const { container } = renderMd('<img src=x onerror="alert(1)"> and <script>alert(2)</script>\n\n[bad](javascript:alert(3))');
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(screen.getByTestId('md')).toHaveTextContent('<img src=x onerror="alert(1)"> and <script>alert(2)</script>');
    expect(screen.queryByRole('link')).toBeNull();
  });
});
