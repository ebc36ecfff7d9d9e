import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApi, openApiPath } from './openapi';
import { defineRoute } from './route';

describe('buildOpenApi', () => {
  it('turns :params into {params}', () => {
    expect(openApiPath('/runs/:id/jobs/:job/output')).toBe('/api/v1/runs/{id}/jobs/{job}/output');
  });

  it('documents parameters, body, response and errors from the schemas', () => {
    const doc = buildOpenApi(
      [
        defineRoute({
          method: 'POST',
          path: '/things/:id',
          auth: 'user',
          summary: 'Make a thing',
          params: z.object({ id: z.coerce.number().int() }),
          query: z.object({ dry: z.enum(['1', '0']).optional(), n: z.coerce.number().default(1).meta({ description: 'how many' }) }),
          body: z.object({ name: z.string() }),
          accepts: ['json', 'form'],
          status: 201,
          response: z.object({ id: z.number() }),
          errors: [409],
          handler: async () => ({ status: 201, body: { id: 1 } }),
        }),
        defineRoute({ method: 'GET', path: '/text', auth: 'public', summary: 'Text', produces: 'text/plain', handler: async () => ({ status: 200, text: 'x' }) }),
      ],
      { publicUrl: 'http://h', version: '1.2.3' },
    ) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('1.2.3');
    const op = doc.paths['/api/v1/things/{id}'].post;
    expect(op.operationId).toBe('postThingsById');
    expect(op.tags).toEqual(['things']);
    expect(op.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: expect.any(Number), maximum: expect.any(Number) } },
      { name: 'dry', in: 'query', required: false, schema: { type: 'string', enum: expect.arrayContaining(['1', '0']) } },
      { name: 'n', in: 'query', required: false, description: 'how many', schema: { type: 'number', default: 1 } },
    ]);
    expect(Object.keys(op.requestBody.content)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(op.requestBody.required).toBe(true);
    expect(Object.keys(op.responses)).toEqual(['201', '400', '401', '409', '413', '415', 'default']);
    expect(op.responses['201'].content['application/json'].schema).toMatchObject({ type: 'object', properties: { id: { type: 'number' } } });
    expect(doc.paths['/api/v1/text'].get.responses['200'].content).toEqual({ 'text/plain': { schema: { type: 'string' } } });
    expect(doc.components.schemas.Error.properties.error.properties.code).toBeDefined();
  });
});
