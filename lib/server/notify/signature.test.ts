import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from './signature';

describe('webhook signature', () => {
  const body = '{"id":"e","event":"run.failure"}';
  it('is sha256=HEX of the HMAC-SHA256 of the raw body', () => {
    const hex = createHmac('sha256', 'topsecret').update(body).digest('hex');
    expect(signBody('topsecret', body)).toBe(`sha256=${hex}`);
    // A known vector (RFC 4231 test case 2).
    expect(signBody('Jefe', 'what do ya want for nothing?')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
  it('verifies with the secret, not with another secret or another body', () => {
    const sig = signBody('topsecret', body);
    expect(verifySignature('topsecret', body, sig)).toBe(true);
    expect(verifySignature('topsecret', Buffer.from(body), sig)).toBe(true);
    expect(verifySignature('other', body, sig)).toBe(false);
    expect(verifySignature('topsecret', `${body} `, sig)).toBe(false);
    expect(verifySignature('topsecret', body, undefined)).toBe(false);
    expect(verifySignature('topsecret', body, 'sha256=00')).toBe(false);
  });
});
