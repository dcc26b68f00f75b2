// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { checkPassword, isCommonPassword, passwordAcceptable } from './passwordPolicy';

const byRule = (pw: string, email = 'alice@example.com', min = 10) =>
  Object.fromEntries(checkPassword(pw, email, min).map((c) => [c.rule, c.ok]));

describe('checkPassword', () => {
  it('requires the minimum length', () => {
    expect(byRule('short').min_length).toBe(false);
    expect(byRule('123456789').min_length).toBe(false);
    expect(byRule('abcdefghiJ').min_length).toBe(true);
    expect(byRule('abcdef', 'a@b.c', 6).min_length).toBe(true);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(byRule('ééééééééé').min_length).toBe(false);
    expect(byRule('😀😀😀😀😀').min_length).toBe(false);
  });

  it('refuses the e-mail address (any case) and passwords containing its local part', () => {
    expect(byRule('alice@example.com').not_email).toBe(false);
    expect(byRule('ALICE@Example.com').not_email).toBe(false);
    expect(byRule('alice').not_email).toBe(false);
    expect(byRule('my-Alice-2026!').not_email).toBe(false);
    expect(byRule('correct horse battery').not_email).toBe(true);
    // A local part shorter than 4 characters is not searched for (as the server).
    expect(byRule('bobby-the-builder', 'bob@example.com').not_email).toBe(true);
  });

  it('refuses very common passwords', () => {
    expect(isCommonPassword('Password123')).toBe(true);
    expect(byRule('azertyuiop').not_common).toBe(false);
    expect(byRule('1234567890').not_common).toBe(false);
    expect(byRule('Vélo-rouge-2026').not_common).toBe(true);
  });

  it('refuses repeated characters and straight runs', () => {
    expect(byRule('aaaaaaaaaaaa').not_common).toBe(false);
    expect(byRule('abcdefghijkl').not_common).toBe(false);
    expect(byRule('9876543210').not_common).toBe(false);
    expect(byRule('abcdefghiJ').not_common).toBe(false);
    expect(byRule('abcdefghiz').not_common).toBe(true);
  });

  it('marks an empty password as not acceptable', () => {
    const checks = checkPassword('', 'alice@example.com');
    expect(checks.map((c) => c.rule)).toEqual(['min_length', 'not_email', 'not_common']);
    expect(passwordAcceptable(checks)).toBe(false);
  });

  it('accepts a good password', () => {
    expect(passwordAcceptable(checkPassword('Vélo-rouge-2026', 'alice@example.com'))).toBe(true);
  });

  it('only checks the rules the server announces', () => {
    expect(checkPassword('x', 'a@b.c', 10, ['min_length']).map((c) => c.rule)).toEqual(['min_length']);
    expect(checkPassword('x', 'a@b.c', 10, ['min_length', 'future_rule']).map((c) => c.rule)).toEqual(['min_length']);
  });
});
