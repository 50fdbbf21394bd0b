import type { OpenAPIObject } from '@nestjs/swagger';
import { join } from 'node:path';

import { ErrorCatalogue } from '../errors/error-catalogue';
import { ErrorCode } from '../errors/error-codes';
import { documentErrorResponses } from './error-responses';

const catalogue = ErrorCatalogue.fromFile(join(__dirname, '../../../../config/usdt-error-codes.yaml'));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- an OpenAPI tree read by tests

function documentWith(operation: Json): Json {
  const doc: Json = {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: { '/x/{id}': { post: { responses: { '200': { description: 'ok' } }, ...operation } } },
    components: { schemas: { ErrorBodyDto: { type: 'object' } } },
  };
  documentErrorResponses(doc as OpenAPIObject, catalogue);
  const documented: Json = doc.paths['/x/{id}'].post;
  return documented;
}

function codesOf(response: Json): string[] {
  const codes: string[] =
    response.content['application/json'].schema.allOf[1].properties.error.properties.code.enum;
  return codes;
}

describe('documentErrorResponses', () => {
  it('turns declared codes into one response per catalogue status, with only that status codes', () => {
    const op = documentWith({
      'x-error-codes': [ErrorCode.TRANSFER_NOT_FOUND, ErrorCode.INVALID_STATE, ErrorCode.WRITE_CONFLICT],
    });
    expect(codesOf(op.responses['404'])).toEqual(['USDT_ERR_202']);
    expect(codesOf(op.responses['409'])).toEqual(['USDT_ERR_203', 'USDT_ERR_601']);
    expect(op.responses['409'].description).toContain(
      'USDT_ERR_203: Action not allowed in the current state',
    );
    expect(op.responses['404'].content['application/json'].schema.allOf[0]).toEqual({
      $ref: '#/components/schemas/ErrorBodyDto',
    });
    expect(op['x-error-codes']).toBeUndefined();
  });

  it('adds what every route can answer, and the body and parameter codes when it has them', () => {
    const bare = documentWith({});
    expect(Object.keys(bare.responses).sort()).toEqual(['200', '403', '429', '500', '503']);
    expect(codesOf(bare.responses['503'])).toEqual(['USDT_ERR_600', 'USDT_ERR_802']);

    const withInput = documentWith({
      requestBody: { content: {} },
      parameters: [
        { in: 'path', name: 'id' },
        { in: 'query', name: 'limit' },
      ],
    });
    expect(codesOf(withInput.responses['400'])).toEqual(['USDT_ERR_100', 'USDT_ERR_105']);
    expect(codesOf(withInput.responses['413'])).toEqual(['USDT_ERR_100']);
  });

  it('keeps a body the route declares for an error status, beside the error shape', () => {
    const own = { $ref: '#/components/schemas/HealthBodyDto' };
    const op = documentWith({
      responses: {
        '200': { description: 'up' },
        '503': { description: 'down', content: { 'application/json': { schema: own } } },
      },
    });
    expect(op.responses['503'].content['application/json'].schema.anyOf[0]).toEqual(own);
    expect(op.responses['503'].description).toMatch(/^down; or the error shape/);
  });

  it('refuses a document without the error schema', () => {
    const doc = { openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {}, components: {} };
    expect(() => documentErrorResponses(doc as unknown as OpenAPIObject, catalogue)).toThrow(/ErrorBodyDto/);
  });
});
