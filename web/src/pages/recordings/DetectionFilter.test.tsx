import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CATALOGUE } from '../../test/fixtures';
import { makeMe, mockFetch, renderApp } from '../../test/utils';
import { DetectionIcons } from './DetectionIcon';
import { DetectionFilter, matches } from './DetectionFilter';
import { DETECTION_TYPES } from './filters';

async function open(props: Partial<Parameters<typeof DetectionFilter>[0]> = {}, permissions = ['recordings.view']) {
  const onApply = vi.fn();
  renderApp(<DetectionFilter types={[...DETECTION_TYPES]} onApply={onApply} {...props} />, {
    me: makeMe({ permissions }),
    route: '/recordings',
    path: '/recordings',
  });
  fireEvent.click(await screen.findByTestId('detections-button'));
  return { onApply, pop: await screen.findByTestId('detections-popover') };
}

describe('DetectionFilter', () => {
  it('invites to the HOLO4 beta while no camera joined, and lists no package', async () => {
    const { pop } = await open({}, ['recordings.view', 'cameras.manage']);
    expect(within(pop).getByTestId('holo4-invite')).toHaveTextContent('Participez à la BETA HOLO4');
    // Who manages cameras is led to them; others only read the invitation.
    expect(within(pop).getByTestId('holo4-invite-cameras')).toHaveAttribute('href', '/cameras');
    expect(within(pop).queryByTestId('detection-package-urban')).toBeNull();
  });

  it('shows the invitation without the link to a viewer', async () => {
    const { pop } = await open();
    expect(within(pop).getByTestId('holo4-invite')).toBeInTheDocument();
    expect(within(pop).queryByTestId('holo4-invite-cameras')).toBeNull();
  });

  it('lists the packages with "selected/available" counts; a package box selects all its algorithms', async () => {
    const { pop, onApply } = await open({ types: ['person', 'no_vest'], packages: CATALOGUE.packages, joined: true });
    expect(within(pop).queryByTestId('holo4-invite')).toBeNull();
    expect(within(pop).getByTestId('detection-count-construction_site')).toHaveTextContent('1/2');
    expect(within(pop).getByTestId('detection-count-fun_at_work')).toHaveTextContent('0/3');
    expect(within(pop).getByTestId('detection-count-urban')).toHaveTextContent('0/2');
    fireEvent.click(within(pop).getByTestId('detection-package-box-urban'));
    expect(within(pop).getByTestId('detection-count-urban')).toHaveTextContent('2/2');
    fireEvent.click(within(pop).getByTestId('detections-apply'));
    expect(onApply).toHaveBeenCalledWith(['person', 'no_vest', 'no_helmet_two_wheeler', 'yellow_taxi']);
  });

  it('counts the types on the button, searches, selects all and removes all', async () => {
    const { pop, onApply } = await open({ types: ['person', 'no_vest'], packages: CATALOGUE.packages, joined: true });
    expect(screen.getByTestId('detections-button')).toHaveTextContent('Détections (2/11)');
    fireEvent.change(within(pop).getByTestId('detections-search'), { target: { value: 'cafe' } });
    // Accents don't matter; only the matching algorithm and its package stay.
    expect(within(pop).getByTestId('detection-coffee')).toBeInTheDocument();
    expect(within(pop).queryByTestId('detection-package-urban')).toBeNull();
    expect(within(pop).queryByTestId('detection-person')).toBeNull();
    fireEvent.click(within(pop).getByTestId('detections-none'));
    expect(within(pop).getByTestId('detections-apply')).toBeDisabled();
    fireEvent.click(within(pop).getByTestId('detections-all'));
    fireEvent.click(within(pop).getByTestId('detections-apply'));
    expect(onApply.mock.calls[0][0]).toHaveLength(11);
  });

  it('matches without case or accents', () => {
    expect(matches('Détection de café chez un employé', 'CAFE')).toBe(true);
    expect(matches('Environnement urbain', 'taxi')).toBe(false);
  });
});

describe('DetectionIcons', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('names HOLO4 algorithms from the catalogue, basic types from the translations', async () => {
    const { calls } = mockFetch((c) => (c.url === '/api/v1/ai/packages' ? { body: CATALOGUE } : undefined));
    renderApp(<DetectionIcons types={['person', 'no_helmet']} />, { me: makeMe(), route: '/r', path: '/r' });
    expect(await screen.findByRole('img', { name: "Détection d'absence de casque" })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Personne' })).toBeInTheDocument();
    expect(calls.filter((c) => c.url === '/api/v1/ai/packages')).toHaveLength(1);
  });

  it('shows the basic types first, in their order, then the HOLO4 algorithms', async () => {
    mockFetch((c) => (c.url === '/api/v1/ai/packages' ? { body: CATALOGUE } : undefined));
    renderApp(<DetectionIcons types={['animal', 'motion', 'no_helmet', 'person']} />, { me: makeMe(), route: '/r', path: '/r' });
    await screen.findByRole('img', { name: "Détection d'absence de casque" });
    expect(screen.getAllByRole('img').map((e) => e.dataset.type)).toEqual(['motion', 'person', 'animal', 'no_helmet']);
  });

  it('reads no catalogue for basic types only', async () => {
    const { calls } = mockFetch(() => undefined);
    renderApp(<DetectionIcons types={['vehicle']} />, { me: makeMe(), route: '/r', path: '/r' });
    expect(await screen.findByRole('img', { name: 'Véhicule' })).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });
});
