import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

type EnvClass = new () => object;

/** The validator class of every configuration namespace; each namespace registers itself here. */
const validators: EnvClass[] = [];

export function registerEnvValidator(cls: EnvClass): void {
  if (!validators.includes(cls)) validators.push(cls);
}

/**
 * Validates the whole environment against every namespace at once, so that a bad start names every bad or
 * missing variable in one message instead of one per attempt. Values are never echoed: some are secrets.
 *
 * A blank value (`NAME=` in `.env`) is unset, as the namespaces read it: `.env.example` lists the optional
 * settings that way, so a copy of it starts as it is. A blank that production requires is still refused.
 */
export function validateEnvironment(env: Record<string, unknown>): Record<string, unknown> {
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const problems: string[] = [];
  for (const cls of validators) {
    const instance = plainToInstance(cls, given, { enableImplicitConversion: false });
    for (const error of validateSync(instance, { skipMissingProperties: false, whitelist: false })) {
      const reasons = Object.values(error.constraints ?? {}).map((m) => m.replace(error.property, '').trim());
      problems.push(`${error.property}: ${reasons.join('; ')}`);
    }
  }
  if (problems.length) {
    throw new ConfigurationError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return env;
}

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Parses an optional boolean variable: true/false/1/0/yes/no. */
export function envBoolean(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['true', '1', 'yes'].includes(value.toLowerCase());
}

/** Parses an optional integer variable already checked by the namespace's validator. */
export function envInt(value: string | undefined, fallback: number): number {
  return value === undefined || value === '' ? fallback : Number.parseInt(value, 10);
}

/** Splits a comma-separated list, dropping blanks. */
export function envList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export const BOOLEAN_PATTERN = /^(true|false|1|0|yes|no)$/i;
export const INTEGER_PATTERN = /^\d+$/;
