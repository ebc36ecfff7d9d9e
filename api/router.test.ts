import { describe, expect, it } from 'vitest';
import { defineRoute, type AnyRoute } from './route';
import { compileRoutes, matchRoute } from './router';

const route = (method: 'GET' | 'POST' | 'PUT', path: string): AnyRoute =>
  defineRoute({ method, path, auth: 'public', summary: path, handler: async () => ({ status: 204 }) });

describe('compileRoutes / matchRoute', () => {
  const compiled = compileRoutes([
    route('GET', '/runs/:id'),
    route('POST', '/runs/:id/cancel'),
    route('GET', '/executors/:id'),
    route('GET', '/executors/tokens'),
    route('POST', '/executors/tokens'),
    route('GET', '/runs/:id/jobs/:job/output'),
  ]);

  it('matches parameters and gives their values', () => {
    const m = matchRoute(compiled, ['runs', '12', 'jobs', 'build', 'output'])!;
    expect(m.params).toEqual({ id: '12', job: 'build' });
    expect([...m.entry.byMethod.keys()]).toEqual(['GET']);
  });

  it('prefers a literal segment over a parameter, whatever the declaration order', () => {
    const m = matchRoute(compiled, ['executors', 'tokens'])!;
    expect(m.params).toEqual({});
    expect([...m.entry.byMethod.keys()]).toEqual(['GET', 'POST']);
    expect(matchRoute(compiled, ['executors', '3'])!.params).toEqual({ id: '3' });
  });

  it('matches whole paths only', () => {
    expect(matchRoute(compiled, ['runs'])).toBeUndefined();
    expect(matchRoute(compiled, ['runs', '1', 'cancel', 'x'])).toBeUndefined();
  });

  it('refuses two routes for the same method and path pattern', () => {
    expect(() => compileRoutes([route('GET', '/a/:x'), route('GET', '/a/:y')])).toThrow(/two routes for GET \/a\/:y/);
    expect(() => compileRoutes([route('GET', 'a')])).toThrow(/must start with/);
  });
});
