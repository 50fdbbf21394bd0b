import { METHOD_METADATA } from '@nestjs/common/constants';

import { ErrorCode } from '../errors/error-codes';

/**
 * Where @nestjs/swagger keeps a handler's `@ApiExtension` values (its SWAGGER_EXTENSIONS, which the
 * package does not export); the document picks them up as operation fields.
 */
const SWAGGER_EXTENSIONS = 'swagger/apiExtension';

/** The OpenAPI extension that carries a route's error codes until the document is finished. */
export const ERROR_CODES_EXTENSION = 'x-error-codes';

type Handler = (...args: unknown[]) => unknown;

/**
 * Documents the catalogue codes a route can answer with, e.g. `@ApiErrors(ErrorCode.TRANSFER_NOT_FOUND)`.
 * On a controller it applies to every route of it. Codes add up: `@Roles()` contributes the auth codes, the
 * route its own. The HTTP status of each code comes from the catalogue when the document is built
 * (`documentErrorResponses`), so the responses cannot disagree with the filter that writes them.
 *
 * Why not one `@ApiResponse` per status: a status holds several codes and several decorators contribute
 * to it; swagger's own extension metadata keeps the first value of a key, so the codes are merged here.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (descriptor) {
      addCodes(descriptor.value as Handler, codes);
      return;
    }
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const value = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      // Route handlers carry Nest's method metadata; the constructor and private helpers do not.
      if (
        name !== 'constructor' &&
        typeof value === 'function' &&
        Reflect.hasMetadata(METHOD_METADATA, value)
      ) {
        addCodes(value as Handler, codes);
      }
    }
  };
}

function addCodes(handler: Handler, codes: readonly ErrorCode[]): void {
  const extensions = (Reflect.getMetadata(SWAGGER_EXTENSIONS, handler) ?? {}) as Record<string, unknown>;
  const known = (extensions[ERROR_CODES_EXTENSION] as ErrorCode[] | undefined) ?? [];
  Reflect.defineMetadata(
    SWAGGER_EXTENSIONS,
    { ...extensions, [ERROR_CODES_EXTENSION]: [...new Set([...known, ...codes])] },
    handler,
  );
}
