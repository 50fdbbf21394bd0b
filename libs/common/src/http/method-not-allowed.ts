import { HttpException, HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Nest's not-found and error handlers: a route on every method of every path, not an API route. */
const NEST_CATCH_ALL = '/{*path}';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
  match(path: string): boolean;
}

/** Express 5's application; its typings do not describe the router's layers. */
export interface RoutedApp {
  router?: { stack: unknown[] };
}

/**
 * What a path the service serves answers to, so that a wrong method gets 405 with an `Allow` header instead
 * of Express's 404. Two cases, neither of which costs a request that is routed normally more than a map
 * lookup (matching every request against every route first cost a few per cent of a cached read's CPU):
 * - a request no route took: the exception filter asks `allowedOn` when Nest's 404 for it comes through;
 * - a path written out in full (`/transfers/batch`, POST only) that a parameterised route also fits
 *   (`GET /transfers/:id`): `literalMiddleware` answers before Express routes it to the wrong handler.
 * The routes are read from the Express router on first use, once Nest has registered them.
 */
export class ServedMethods {
  private routes: RouteLayer[] | undefined;
  /** Literal route paths (lower case, as Express matches them) and the methods served there. */
  private literal: Map<string, Set<string>> | undefined;

  constructor(private readonly app: RoutedApp) {}

  /** The methods served on the request's path (HEAD with GET), or undefined when no route has the path. */
  allowedOn(req: Pick<Request, 'path'>): string[] | undefined {
    const matching = mostSpecific(this.layers().filter((layer) => layer.match(req.path)));
    if (!matching.length) return undefined;
    return methodList(matching.flatMap((layer) => Object.keys(layer.route!.methods)));
  }

  /** Express middleware for the second case above; before the routes. */
  literalMiddleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      this.literal ??= literalPaths(this.layers());
      const methods = this.literal.get(req.path.toLowerCase().replace(/(.)\/$/, '$1'));
      const method = req.method.toLowerCase();
      if (!methods || methods.has(method) || (method === 'head' && methods.has('get'))) return next();
      res.setHeader('Allow', methodList([...methods]).join(', '));
      next(new HttpException(`${req.method} is not allowed on ${req.path}`, HttpStatus.METHOD_NOT_ALLOWED));
    };
  }

  private layers(): RouteLayer[] {
    this.routes ??= ((this.app.router?.stack ?? []) as RouteLayer[]).filter(
      (layer) => layer.route && layer.route.path !== NEST_CATCH_ALL,
    );
    return this.routes;
  }
}

function literalPaths(layers: RouteLayer[]): Map<string, Set<string>> {
  const paths = new Map<string, Set<string>>();
  for (const layer of layers) {
    const path = layer.route!.path;
    if (path.includes(':') || path.includes('*')) continue;
    const key = path.toLowerCase();
    const methods = paths.get(key) ?? new Set<string>();
    for (const method of Object.keys(layer.route!.methods)) methods.add(method);
    paths.set(key, methods);
  }
  return paths;
}

/** Upper case, HEAD wherever GET is (Express answers HEAD with the GET route). */
function methodList(methods: string[]): string[] {
  const allowed = new Set(methods.filter((method) => method !== '_all'));
  if (allowed.has('get')) allowed.add('head');
  return [...allowed].map((method) => method.toUpperCase());
}

/**
 * A path written out in full (`/transfers/batch`) is the one a caller means, not the parameterised route it
 * also fits (`/transfers/:id`): only its methods are served there, as the OpenAPI document says.
 */
function mostSpecific(layers: RouteLayer[]): RouteLayer[] {
  const literal = layers.filter((layer) => !layer.route!.path.includes(':'));
  return literal.length ? literal : layers;
}
