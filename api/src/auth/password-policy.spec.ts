import { checkPassword, loadCommonPasswords } from './password-policy';

describe(checkPassword.name, () => {
  it('should accept a long, uncommon password when it has 10 to 128 characters', () => {
    expect(checkPassword('violet-harbour-lantern-42')).toBeUndefined();
    expect(checkPassword('copper kettle on a quiet shelf')).toBeUndefined();
    expect(checkPassword('Tr0ub4dor&3x-mango')).toBeUndefined();
    // Past the estimator's 64 characters a password is judged by its first 64.
    expect(checkPassword(`${'violet-harbour-lantern-42 '.repeat(4)}`)).toBeUndefined();
  });

  // Issue 10: the length rule and the list alone let patterns through.
  it('should refuse easy-to-guess patterns the common-password list does not hold, saying which', () => {
    expect(checkPassword('1357924680')).toMatch(/too common|Sequences/);
    expect(checkPassword('abcabcabca')).toMatch(/Repeated patterns such as abcabcabc/);
    expect(checkPassword('x1y2'.repeat(32))).toMatch(/Repeated patterns/);
    expect(checkPassword('lmnopqrstu')).toMatch(/Sequences such as abcdef/);
    expect(checkPassword('mnbvcxzlkj')).toMatch(/too common/);
    expect(checkPassword('monkey12345')).toMatch(/too common/);
    expect(checkPassword('19.04.1987 x')).toMatch(/easy to guess/);
  });

  it('should refuse a password built from the email address', () => {
    expect(checkPassword('harbourlights1', 'harbourlights@example.com')).toMatch(/email address/);
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
