import { Injectable, NestMiddleware, PayloadTooLargeException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';

import { AllConfig } from '@app/config';

const TEXT_TYPES = new Set(['text/csv', 'text/plain']);
const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/**
 * Reads a `text/csv` (or `text/plain`) body as a string for the screening import, under the same size limit
 * (BODY_LIMIT) as the global JSON parser. The application only parses JSON, so this route opts in alone.
 */
@Injectable()
export class CsvBodyMiddleware implements NestMiddleware {
  private readonly limitBytes: number;

  constructor(config: ConfigService<AllConfig, true>) {
    this.limitBytes = parseByteSize(config.getOrThrow('app.bodyLimit', { infer: true }));
  }

  async use(req: Request, _res: Response, next: () => void): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!TEXT_TYPES.has(type) || typeof req.body === 'string') return next();
    req.body = await readText(req, this.limitBytes);
    next();
  }
}

/** `256kb`, `1mb`, `500b` (the BODY_LIMIT format) in bytes. */
export function parseByteSize(value: string): number {
  const match = /^(\d+)(b|kb|mb)$/i.exec(value.trim());
  if (!match) throw new Error(`not a byte size: ${value}`);
  return Number(match[1]) * UNITS[match[2].toLowerCase()];
}

function readText(req: Request, limitBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    return Promise.reject(new PayloadTooLargeException('Request body too large'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        req.pause();
        reject(new PayloadTooLargeException('Request body too large'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
