import type { OpenAPIObject } from '@nestjs/swagger';

import { ErrorCatalogue } from '../errors/error-catalogue';
import { ErrorCode } from '../errors/error-codes';
import { ERROR_CODES_EXTENSION } from './api-errors.decorator';
import { ErrorBodyDto } from './error-body.dto';

/**
 * Codes any route can answer with, whatever it does: an unexpected failure, throttling, the `all` IP
 * allow-list, a draining instance or an unreachable dependency, and the database behind the policies those
 * global guards read (the guards and the filter answer them before or around every handler).
 */
export const ANY_ROUTE_ERRORS: readonly ErrorCode[] = [
  ErrorCode.INTERNAL,
  ErrorCode.RATE_LIMITED,
  ErrorCode.FORBIDDEN_IP,
  ErrorCode.UNAVAILABLE,
  ErrorCode.DATABASE_UNAVAILABLE,
];

/**
 * Codes of a route that reads a body: malformed JSON is USDT_ERR_100 (400); a body over BODY_LIMIT keeps
 * its HTTP status 413 with the same code, as the filter answers it.
 */
const BODY_ERRORS: readonly ErrorCode[] = [ErrorCode.VALIDATION_FAILED];
const PAYLOAD_TOO_LARGE = 413;

const ERROR_SCHEMA = ErrorBodyDto.name;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/**
 * Codes of a route with validated path or query parameters: the validation pipe answers USDT_ERR_100 for a
 * path parameter and USDT_ERR_105 for a query one, unless its decorator names a more specific code.
 */
const PARAMETER_ERRORS: Record<string, ErrorCode> = {
  path: ErrorCode.VALIDATION_FAILED,
  query: ErrorCode.INVALID_QUERY,
};

interface Operation {
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  [ERROR_CODES_EXTENSION]?: ErrorCode[];
}

/**
 * Turns the codes each route declared (`@ApiErrors`, `@Roles`) into OpenAPI responses: one per HTTP status
 * from the catalogue, each the one error schema with `code` narrowed to the codes that status can carry on
 * that route, a description naming them and an example of each. Run once on the generated document.
 */
export function documentErrorResponses(document: OpenAPIObject, catalogue: ErrorCatalogue): OpenAPIObject {
  if (!document.components?.schemas?.[ERROR_SCHEMA]) {
    throw new Error(`${ERROR_SCHEMA} must be in the document (extraModels)`);
  }
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as Operation | undefined;
      if (operation) documentOperation(operation, catalogue);
    }
  }
  return document;
}

function documentOperation(operation: Operation, catalogue: ErrorCatalogue): void {
  const declared = operation[ERROR_CODES_EXTENSION] ?? [];
  delete operation[ERROR_CODES_EXTENSION];
  const hasBody = operation.requestBody !== undefined;
  const parameterCodes = (operation.parameters ?? []).flatMap((p) => PARAMETER_ERRORS[p.in] ?? []);
  const codes = new Set<ErrorCode>([
    ...declared,
    ...ANY_ROUTE_ERRORS,
    ...parameterCodes,
    ...(hasBody ? BODY_ERRORS : []),
  ]);

  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = catalogue.get(code).httpStatus;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  if (hasBody) byStatus.set(PAYLOAD_TOO_LARGE, [ErrorCode.VALIDATION_FAILED]);

  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const error = errorResponse([...statusCodes].sort(), catalogue);
    const own = operation.responses[String(status)] as DeclaredResponse | undefined;
    operation.responses[String(status)] = own ? alongside(own, error) : error;
  }
}

interface DeclaredResponse {
  description?: string;
  content?: Record<string, { schema?: unknown }>;
}

/**
 * A route that declares a body of its own for an error status (the health probes' 503) answers either that
 * or the error shape (from a guard or the filter): both are documented.
 */
function alongside(own: DeclaredResponse, error: ReturnType<typeof errorResponse>) {
  const ownSchema = own.content?.['application/json']?.schema;
  if (!ownSchema) return error;
  const json = error.content['application/json'];
  return {
    description: `${own.description ?? ''}; or the error shape: ${error.description}`,
    content: { 'application/json': { ...json, schema: { anyOf: [ownSchema, json.schema] } } },
  };
}

function errorResponse(codes: ErrorCode[], catalogue: ErrorCatalogue) {
  const entries = codes.map((code) => catalogue.get(code));
  return {
    description: entries.map((e) => `${e.code}: ${e.message}`).join('; '),
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: `#/components/schemas/${ERROR_SCHEMA}` },
            // The same shape, with only the codes this status carries on this route.
            {
              type: 'object',
              properties: { error: { type: 'object', properties: { code: { enum: codes } } } },
            },
          ],
        },
        examples: Object.fromEntries(
          entries.map((e) => [
            e.code,
            {
              summary: e.message,
              value: {
                error: {
                  code: e.code,
                  message: e.message,
                  details: [],
                  retryable: e.retryPolicy !== 'no_retry',
                  retryPolicy: e.retryPolicy,
                  requestId: 'b5f0c0de-4c1a-4d2e-9f3b-0a1b2c3d4e5f',
                },
              },
            },
          ]),
        ),
      },
    },
  };
}
