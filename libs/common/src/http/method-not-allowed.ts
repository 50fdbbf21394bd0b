import { HttpException, HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Nest's not-found and error handlers: a route on every method of every path, not an API route. */
const NEST_CATCH_ALL = '/{*path}';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
  match(path: string): boolean;
}

/** Express 5's application; its typings do not describe the router's layers. */
interface RoutedApp {
  router?: { stack: unknown[] };
}

/**
 * Express middleware: a path the service serves, called with a method it does not serve there, answers 405
 * with an `Allow` header (through the exception filter, so in the one error shape) instead of Express's 404.
 * Unknown paths pass on to the 404 handler. The routes are read from the Express router on first use,
 * because Nest registers them after this middleware.
 */
export function methodNotAllowed(app: RoutedApp) {
  let routes: RouteLayer[] | undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    routes ??= ((app.router?.stack ?? []) as RouteLayer[]).filter(
      (layer) => layer.route && layer.route.path !== NEST_CATCH_ALL,
    );
    const method = req.method.toLowerCase();
    const matching = mostSpecific(routes.filter((layer) => layer.match(req.path)));
    if (matching.length === 0 || matching.some((layer) => serves(layer, method))) return next();
    const allowed = new Set(matching.flatMap((layer) => Object.keys(layer.route!.methods)));
    if (allowed.has('get')) allowed.add('head');
    res.setHeader('Allow', [...allowed].map((m) => m.toUpperCase()).join(', '));
    next(new HttpException(`${req.method} is not allowed on ${req.path}`, HttpStatus.METHOD_NOT_ALLOWED));
  };
}

/**
 * A path written out in full (`/transfers/batch`) is the one a caller means, not the parameterised route it
 * also fits (`/transfers/:id`): only its methods are served there, as the OpenAPI document says.
 */
function mostSpecific(layers: RouteLayer[]): RouteLayer[] {
  const literal = layers.filter((layer) => !layer.route!.path.includes(':'));
  return literal.length ? literal : layers;
}

function serves(layer: RouteLayer, method: string): boolean {
  const methods = layer.route!.methods;
  // Express answers HEAD with the GET route.
  return methods[method] === true || (method === 'head' && methods.get === true);
}
