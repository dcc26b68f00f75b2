// @vitest-environment node
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en.json';
import fr from '../../i18n/fr.json';
import { labelOf } from './EventDetails';

// What the detector and the motion rule name (COCO classes, "frame_difference") is shown in the
// user's language, never as the model's English or an internal name.
describe('detection chip text', () => {
  const say = (labels: Record<string, string>) => (l: string) => labels[l] ?? l;

  it('names what the models found in French', () => {
    expect(labelOf({ type: 'animal', labels: ['dog', 'cow', 'horse'] }, 'Animal', say(fr.recordings.label))).toBe('Animal · chien, vache, cheval');
    expect(labelOf({ type: 'motion', labels: ['frame_difference'] }, 'Mouvement', say(fr.recordings.label))).toBe("Mouvement · différence d'images");
    expect(labelOf({ type: 'person', labels: ['person'] }, 'Personne', say(fr.recordings.label))).toBe('Personne');
  });

  it('and in English', () => {
    expect(labelOf({ type: 'vehicle', labels: ['bicycle', 'car'] }, 'Vehicle', say(en.recordings.label))).toBe('Vehicle · bicycle, car');
    expect(labelOf({ type: 'motion', labels: ['frame_difference'] }, 'Motion', say(en.recordings.label))).toBe('Motion · image difference');
  });

  it('translates every class the detector maps to a type, in both languages', () => {
    const classes = ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck', 'train', 'boat', 'airplane', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe'];
    for (const labels of [en.recordings.label, fr.recordings.label] as Record<string, string>[]) {
      expect(classes.filter((c) => !labels[c])).toEqual([]);
    }
  });
});
