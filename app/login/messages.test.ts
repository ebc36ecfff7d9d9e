import { describe, expect, it } from 'vitest';
import { errorText, safeCallbackUrl } from './messages';

describe('the sign-in page', () => {
  it('keeps callbackUrl on this site', () => {
    expect(safeCallbackUrl(undefined)).toBe('/');
    expect(safeCallbackUrl('/runs/5?x=1')).toBe('/runs/5?x=1');
    expect(safeCallbackUrl('http://localhost:3000/workflows/a')).toBe('/workflows/a');
    expect(safeCallbackUrl('https://evil.test/steal')).toBe('/steal');
    expect(safeCallbackUrl('//evil.test/x')).toBe('/');
    expect(safeCallbackUrl('/\\evil.test')).toBe('/');
    expect(safeCallbackUrl('javascript:alert(1)')).toBe('/');
    expect(safeCallbackUrl('runs/5')).toBe('/');
    expect(safeCallbackUrl('/login?callbackUrl=/x')).toBe('/');
  });

  it('says what went wrong, and never shows text from the URL', () => {
    expect(errorText('CredentialsSignin')).toBe('Wrong username or password.');
    expect(errorText('user_disabled')).toMatch(/disabled/);
    expect(errorText('Something')).toBe('Sign-in failed (Something). Try again.');
    expect(errorText('<b>call 555</b>')).toBe('Sign-in failed (unknown error). Try again.');
  });
});
