import { checkPassword, loadCommonPasswords } from './password-policy';

describe(checkPassword.name, () => {
  it('should accept a long, uncommon password when it has 10 to 128 characters', () => {
    expect(checkPassword('violet-harbour-lantern-42')).toBeUndefined();
    expect(checkPassword('a'.repeat(5) + 'bcdefghij')).toBeUndefined();
    expect(checkPassword('x1y2'.repeat(32))).toBeUndefined();
  });

  it('should refuse fewer than 10 characters and say how many there are', () => {
    expect(checkPassword('abc123xyz')).toBe('Use at least 10 characters (this one has 9).');
    // Characters, not bytes or UTF-16 units.
    expect(checkPassword('😀'.repeat(9))).toMatch(/this one has 9/);
  });

  it('should refuse more than 128 characters', () => {
    expect(checkPassword('ab'.repeat(65))).toBe('Use at most 128 characters.');
  });

  it('should refuse common passwords whatever their letter case', () => {
    for (const password of [
      '1234567890',
      'qwertyuiop',
      'PASSWORD123',
      'Iloveyou123',
      '1q2w3e4r5t',
      'Football2024',
    ]) {
      expect(checkPassword(password)).toMatch(/too common/);
    }
  });

  it('should refuse a common word decorated with digits and symbols at the end', () => {
    expect(checkPassword('Sunshine!!2026##')).toMatch(/too common/);
    expect(checkPassword('dragon12345678')).toMatch(/too common/);
  });

  it('should refuse a password made of one or two repeated characters', () => {
    expect(checkPassword('zzzzzzzzzzzz')).toMatch(/more than one or two/);
    expect(checkPassword('abababababab')).toMatch(/more than one or two/);
  });

  it('should refuse the email address itself as the password', () => {
    expect(checkPassword('alex.morgan@example.com', 'Alex.Morgan@example.com')).toMatch(/email address/);
    expect(checkPassword('alexmorgan2026!', 'alexmorgan@example.com')).toMatch(/email address/);
  });

  it('should ship a list of several thousand common passwords', () => {
    const list = loadCommonPasswords();
    expect(list.size).toBeGreaterThan(5000);
    expect(list.has('password')).toBe(true);
  });
});
