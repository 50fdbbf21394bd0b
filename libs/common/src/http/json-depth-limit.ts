import type { NextFunction, Request, Response } from 'express';

import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-codes';

/**
 * The deepest nesting a JSON body may have. The deepest document the API takes (the policy document) is 5
 * levels; 32 leaves room and stops bodies nested thousands deep, which the body parser reads happily but
 * whose recursive walks (class-transformer, validation) overflow the stack: PUT /policies answered 500.
 */
export const MAX_JSON_DEPTH = 32;

/** Express middleware after the JSON parser: a body nested deeper than MAX_JSON_DEPTH is USDT_ERR_100. */
export function jsonDepthLimit(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  if (typeof body === 'object' && body !== null && depthExceeds(body, MAX_JSON_DEPTH)) {
    return next(
      new AppError(
        ErrorCode.VALIDATION_FAILED,
        `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`,
        [{ field: 'body', message: `nested deeper than ${MAX_JSON_DEPTH} levels` }],
      ),
    );
  }
  next();
}

/** Walks with an explicit stack, so the check itself cannot overflow on the input it guards against. */
export function depthExceeds(root: object, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}
