// Client-side mirror of the server's password policy (GET /password-policy).
// The server stays authoritative; this only drives the live check-list.

export type PolicyRule = 'min_length' | 'not_email' | 'not_common';

export interface PolicyCheck {
  rule: PolicyRule;
  ok: boolean;
}

export const DEFAULT_MIN_LENGTH = 10;
export const DEFAULT_RULES: PolicyRule[] = ['min_length', 'not_email', 'not_common'];

// A short list of very common passwords (lower-case). The server has the full list.
const COMMON = new Set([
  '123456', '123456789', '12345678', '1234567890', '0123456789', '0987654321', '1234512345',
  '12345678910', '1111111111', '0000000000', '1234567891', '1q2w3e4r5t', '1qaz2wsx3edc',
  'password', 'password1', 'password12', 'password123', 'password1234', 'passw0rd123',
  'p@ssw0rd123', 'motdepasse', 'motdepasse1', 'motdepasse123', 'azerty', 'azertyuiop',
  'azerty1234', 'azerty12345', 'qwerty', 'qwertyuiop', 'qwerty1234', 'qwerty12345',
  'qwerty123456', 'iloveyou', 'iloveyou123', 'letmein123', 'welcome123', 'welcome1234',
  'administrator', 'admin12345', 'admin123456', 'changeme123', 'abcdefghij', 'abcd123456',
  'aaaaaaaaaa', 'football123', 'princess123', 'sunshine123', 'dragon1234', 'monkey1234',
  'trustno1234', 'soleil1234', 'bonjour1234', 'chocolat123', 'doudou1234', 'loveyou123',
  'cam2drive', 'cam2drive123', 'cam2drive2026',
]);

/** One repeated character or a straight run such as "1234567890" or "abcdefghij" (as the server). */
export function isRepetitive(s: string): boolean {
  if (s.length < 2) return true;
  let same = true;
  let up = true;
  let down = true;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    same = same && d === 0;
    up = up && d === 1;
    down = down && d === -1;
  }
  return same || up || down;
}

export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  return COMMON.has(lower) || isRepetitive(lower);
}

/** Checks a candidate password against each policy rule. */
export function checkPassword(
  password: string,
  email: string,
  minLength: number = DEFAULT_MIN_LENGTH,
  rules: readonly string[] = DEFAULT_RULES,
): PolicyCheck[] {
  // Same rules as the server (internal/auth/password.go).
  const pw = password.toLowerCase();
  const mail = email.trim().toLowerCase();
  const local = mail.includes('@') ? mail.slice(0, mail.indexOf('@')) : mail;
  const out: PolicyCheck[] = [];
  for (const rule of rules) {
    switch (rule) {
      case 'min_length':
        out.push({ rule, ok: [...password].length >= minLength });
        break;
      case 'not_email':
        out.push({
          rule,
          ok: pw.length > 0 && (mail === '' || (pw !== mail && !(local.length >= 4 && pw.includes(local)))),
        });
        break;
      case 'not_common':
        out.push({ rule, ok: pw.length > 0 && !isCommonPassword(password) });
        break;
      default:
        // Unknown rules from a newer server are shown by the server's error message.
        break;
    }
  }
  return out;
}

export function passwordAcceptable(checks: PolicyCheck[]): boolean {
  return checks.every((c) => c.ok);
}
