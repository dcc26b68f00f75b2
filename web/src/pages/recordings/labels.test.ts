// @vitest-environment node
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en.json';
import fr from '../../i18n/fr.json';

describe('wording of the client guide §2 (Enregistrement)', () => {
  it('carries the French labels of the guide', () => {
    const r = fr.recordings;
    expect(r.title).toBe('Enregistrement');
    expect(r.filter.site).toBe('Sites');
    expect(r.filter.cameras).toBe('Caméras');
    expect(r.filter.from).toBe('De :');
    expect(r.filter.to).toBe("Jusqu'à :");
    expect(r.filter.detections).toBe('Détections');
    expect(r.filter.apply).toBe('Appliquer');
    expect(r.filter.selectAll).toBe('Tout sélectionner');
    expect(r.filter.clearAll).toBe('Supprimer tout');
    expect(r.list.count_other).toBe('{{n}} événements');
    expect(r.player.download).toBe('Télécharger');
    expect(r.player.speed).toBe('Vitesse de lecture');
    expect(r.player.pip).toBe('Mode PIP');
    expect([r.type.motion, r.type.person, r.type.vehicle, r.type.animal]).toEqual(['Mouvement', 'Personne', 'Véhicule', 'Animal']);
  });

  it('has them in English too', () => {
    const r = en.recordings;
    expect([r.title, r.filter.cameras, r.filter.from, r.filter.to, r.filter.detections, r.filter.apply]).toEqual(['Recordings', 'Cameras', 'From:', 'To:', 'Detections', 'Apply']);
    expect([r.player.download, r.player.speed, r.player.pip]).toEqual(['Download', 'Playback speed', 'PiP mode']);
  });
});
