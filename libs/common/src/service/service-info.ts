import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ServiceInfo {
  name: string;
  version: string;
  description: string;
}

let cached: ServiceInfo | undefined;

/** Name and version from the project's package.json, found from src, dist or a container alike. */
export function serviceInfo(): ServiceInfo {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as Partial<ServiceInfo>;
      if (pkg.name === 'tron-usdt-manager') {
        cached = { name: pkg.name, version: pkg.version ?? '0.0.0', description: pkg.description ?? '' };
        return cached;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return (cached = { name: 'tron-usdt-manager', version: 'unknown', description: '' });
    dir = parent;
  }
}
