// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { clampTime, keyAction, ownedElsewhere, SPEEDS, stepSpeed } from './keyboard';

describe('player keys', () => {
  it('maps space, J/K/L, the arrows and the others', () => {
    expect(keyAction({ key: ' ' })).toEqual({ kind: 'toggle' });
    expect(keyAction({ key: 'k' })).toEqual({ kind: 'toggle' });
    expect(keyAction({ key: 'J' })).toEqual({ kind: 'seek', seconds: -10 });
    expect(keyAction({ key: 'l' })).toEqual({ kind: 'seek', seconds: 10 });
    expect(keyAction({ key: 'ArrowLeft' })).toEqual({ kind: 'seek', seconds: -5 });
    expect(keyAction({ key: 'ArrowRight' })).toEqual({ kind: 'seek', seconds: 5 });
    expect(keyAction({ key: '.' })).toEqual({ kind: 'frame', step: 1 });
    expect(keyAction({ key: '>' })).toEqual({ kind: 'speed', step: 1 });
    expect(keyAction({ key: 'n' })).toEqual({ kind: 'event', step: 1 });
    expect(keyAction({ key: 'p' })).toEqual({ kind: 'event', step: -1 });
    expect(keyAction({ key: 'x' })).toBeNull();
    // Browser shortcuts stay the browser's.
    expect(keyAction({ key: 'l', ctrlKey: true })).toBeNull();
    expect(keyAction({ key: 'k', metaKey: true })).toBeNull();
  });

  it('leaves keys typed in fields, menus and dialogs alone', () => {
    const input = document.createElement('input');
    const menu = document.createElement('ul');
    menu.setAttribute('role', 'menu');
    const item = document.createElement('li');
    menu.appendChild(item);
    const button = document.createElement('button');
    document.body.append(input, menu, button);
    expect(ownedElsewhere(input)).toBe(true);
    expect(ownedElsewhere(item)).toBe(true);
    expect(ownedElsewhere(button)).toBe(false);
    expect(ownedElsewhere(document.body)).toBe(false);
    expect(ownedElsewhere(null)).toBe(false);
  });

  it('steps the speed from 0.25× to 16× and stops at the ends', () => {
    expect(SPEEDS[0]).toBe(0.25);
    expect(SPEEDS[SPEEDS.length - 1]).toBe(16);
    expect(stepSpeed(1, 1)).toBe(1.5);
    expect(stepSpeed(1, -1)).toBe(0.5);
    expect(stepSpeed(16, 1)).toBe(16);
    expect(stepSpeed(0.25, -1)).toBe(0.25);
    expect(stepSpeed(3, 1)).toBe(4);
    expect(stepSpeed(3, -1)).toBe(2);
  });

  it('keeps seeks within the clip', () => {
    expect(clampTime(-3, 60)).toBe(0);
    expect(clampTime(65, 60)).toBe(60);
    expect(clampTime(12, NaN)).toBe(12);
  });
});
