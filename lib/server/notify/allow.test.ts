import { describe, expect, it } from 'vitest';
import { parseAllowList, redactUrl, refusalOf } from './allow';

describe('COURSE_WEBHOOK_ALLOW', () => {
  it('unset or empty: any http(s) URL, loopback included', () => {
    expect(parseAllowList(undefined)).toBe('any');
    expect(parseAllowList(' , ')).toBe('any');
    expect(refusalOf('http://127.0.0.1:9000/hook', 'any')).toBeNull();
    expect(refusalOf('ftp://example.com/x', 'any')).toMatch(/http:\/\/ or https:\/\//);
  });
  it('URL prefixes match scheme, host, port and whole path segments', () => {
    const list = parseAllowList('https://hooks.example.com/course');
    expect(refusalOf('https://hooks.example.com/course', list)).toBeNull();
    expect(refusalOf('https://hooks.example.com/course/x?y=1', list)).toBeNull();
    expect(refusalOf('https://hooks.example.com:443/course/x', list)).toBeNull();
    expect(refusalOf('https://hooks.example.com/courses', list)).not.toBeNull();
    expect(refusalOf('http://hooks.example.com/course', list)).not.toBeNull();
    expect(refusalOf('https://hooks.example.com.evil.test/course', list)).not.toBeNull();
    expect(refusalOf('https://hooks.example.com:8443/course', list)).not.toBeNull();
  });
  it('hosts, host:port and *.domain', () => {
    const list = parseAllowList('hooks.example.com, 127.0.0.1:9000 *.corp.test');
    expect(refusalOf('http://HOOKS.example.com:8080/any', list)).toBeNull();
    expect(refusalOf('http://127.0.0.1:9000/x', list)).toBeNull();
    expect(refusalOf('http://127.0.0.1:9001/x', list)).not.toBeNull();
    expect(refusalOf('https://a.b.corp.test/x', list)).toBeNull();
    expect(refusalOf('https://corp.test/x', list)).not.toBeNull();
    expect(refusalOf('https://evilcorp.test/x', list)).not.toBeNull();
  });
  it('a refusal says which setting and what to do', () => {
    expect(refusalOf('http://10.0.0.1/x', parseAllowList('hooks.example.com'))).toBe(
      'webhook URL http://10.0.0.1/x is not allowed by COURSE_WEBHOOK_ALLOW (hooks.example.com): add its host or a URL prefix there, or change the definition\'s webhook',
    );
  });
  it('refuses a malformed entry', () => {
    expect(() => parseAllowList('ftp://x')).toThrow(/COURSE_WEBHOOK_ALLOW/);
    expect(() => parseAllowList('host/path')).toThrow(/COURSE_WEBHOOK_ALLOW/);
  });
});

describe('redactUrl', () => {
  it('masks a password and credential-like query values, keeps the rest', () => {
    expect(redactUrl('https://user:pw@hooks.example.com/x?token=abc&channel=ops')).toBe('https://user:***@hooks.example.com/x?token=***&channel=ops');
    expect(redactUrl('http://127.0.0.1:9/hook')).toBe('http://127.0.0.1:9/hook');
  });
});
