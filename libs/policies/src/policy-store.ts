import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { instanceToPlain } from 'class-transformer';
import { load as loadYaml } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { AppError, ErrorCode } from '@app/common';
import { AllConfig, ConfigurationError } from '@app/config';

import { parsePolicies, Policies, PolicyValidationError } from './domain/policies';
import { PolicyDocument } from './domain/policy-document';
import { PolicyRecordRepository } from './persistence/policy-record.repository';

/** The policies in force, with where they came from. */
export interface EffectivePolicies {
  /**
   * The stored record's revision (0 before the first run-time change); grows by one with every PUT /policies.
   * When a stored document cannot be read, the file is in force under the stored revision, so the next
   * change replaces that record.
   */
  revision: number;
  source: 'file' | 'database';
  updatedBy?: string;
  updatedAt?: Date;
  /** Set when this revision came from a four-eyes proposal: which one, and who approved it. */
  proposalId?: string;
  approvedBy?: string[];
  document: PolicyDocument;
  policies: Policies;
}

/** How long a request waits for a due refresh before it goes on with the copy this instance already has. */
const STALE_AFTER_MS = 500;

/**
 * The one reader of the security policies. The file (`POLICY_FILE`) is validated at start-up and is in force
 * until an admin replaces the policies at run time; the replacement lives in the database so every instance
 * uses it. Each instance caches what it read for `POLICY_REFRESH_MS`.
 */
@Injectable()
export class PolicyStore implements OnModuleInit {
  private readonly logger = new Logger(PolicyStore.name);
  private fromFile!: EffectivePolicies;
  private cached?: { effective: EffectivePolicies; readAt: number };
  private reading?: Promise<EffectivePolicies>;
  private readonly refreshMs: number;
  private readonly file: string;

  constructor(
    @Inject(PolicyRecordRepository) private readonly records: PolicyRecordRepository,
    config: ConfigService<AllConfig, true>,
  ) {
    this.refreshMs = config.getOrThrow('governance.policyRefreshMs', { infer: true });
    this.file = resolve(config.getOrThrow('governance.policyFile', { infer: true }));
  }

  onModuleInit(): void {
    let raw: unknown;
    try {
      raw = loadYaml(readFileSync(this.file, 'utf8'));
    } catch (err) {
      throw new ConfigurationError(`POLICY_FILE ${this.file} cannot be read: ${(err as Error).message}`);
    }
    try {
      this.fromFile = { revision: 0, source: 'file', ...parsePolicies(raw) };
    } catch (err) {
      if (err instanceof PolicyValidationError) {
        throw new ConfigurationError(`POLICY_FILE ${this.file}: ${err.message}`);
      }
      throw err;
    }
  }

  async current(): Promise<Policies> {
    return (await this.effective()).policies;
  }

  async effective(): Promise<EffectivePolicies> {
    if (this.cached && Date.now() - this.cached.readAt < this.refreshMs) return this.cached.effective;
    // A refresh already under way: the requests behind the one that started it do not wait for it.
    if (this.reading && this.cached) return this.cached.effective;
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    if (!this.cached) return this.reading;
    // Every request reads the policies (IP allowlist, rate limits) before its route starts. While the
    // database hangs, waiting for the refresh would hold each of them for the driver's timeouts and the route
    // could no longer answer within 5 s; the last copy read is used instead, as when the refresh fails.
    return withFallback(this.reading, STALE_AFTER_MS, this.cached.effective);
  }

  /**
   * Replaces the policies for every instance. `expectedRevision` (from If-Match) refuses to overwrite a change
   * the admin has not seen; without it the change applies on top of whatever is current.
   */
  async replace(
    raw: unknown,
    by: string,
    expectedRevision?: number,
    provenance?: { proposalId: string; approvedBy: string[] },
  ): Promise<{ before: EffectivePolicies; after: EffectivePolicies }> {
    const parsed = this.validate(raw);
    const before = await this.read();
    if (expectedRevision !== undefined && expectedRevision !== before.revision) {
      throw new AppError(
        ErrorCode.WRITE_CONFLICT,
        'The policies changed since revision ' + expectedRevision,
        [{ field: 'If-Match', message: `current revision is ${before.revision}` }],
      );
    }
    const stored = await this.records.replace(before.revision, {
      document: toPlain(parsed.document),
      updatedBy: by,
      updatedAt: new Date(),
      ...provenance,
    });
    if (!stored) {
      throw new AppError(
        ErrorCode.WRITE_CONFLICT,
        'Another change to the policies was saved at the same time',
      );
    }
    this.cached = undefined;
    return { before, after: await this.effective() };
  }

  /** The policies in force right now, read from the database rather than this instance's cache. */
  latest(): Promise<EffectivePolicies> {
    return this.read();
  }

  /** Validates a document as `replace` would (400 USDT_ERR_100 naming each bad field), storing nothing. */
  validate(raw: unknown): ReturnType<typeof parsePolicies> {
    try {
      return parsePolicies(raw);
    } catch (err) {
      if (!(err instanceof PolicyValidationError)) throw err;
      throw new AppError(
        ErrorCode.VALIDATION_FAILED,
        'The policy document is invalid',
        err.problems.map((problem) => {
          const [field, ...message] = problem.split(': ');
          return { field, message: message.join(': ') };
        }),
      );
    }
  }

  private async read(): Promise<EffectivePolicies> {
    let effective = this.fromFile;
    try {
      const record = await this.records.find();
      // An unreadable stored record keeps its revision: the next change must replace it, and a change based
      // on revision 0 would try to create a record that exists (refused as a conflict every time).
      if (record) effective = this.fromRecord(record) ?? { ...this.fromFile, revision: record.revision };
    } catch (err) {
      // Keep working on the last policies read rather than failing every request while the database blips.
      if (this.cached) return this.cached.effective;
      throw err;
    }
    this.cached = { effective, readAt: Date.now() };
    return effective;
  }

  private fromRecord(record: Awaited<ReturnType<PolicyRecordRepository['find']>>): EffectivePolicies | null {
    if (!record) return null;
    try {
      return {
        revision: record.revision,
        source: 'database',
        updatedBy: record.updatedBy,
        updatedAt: record.updatedAt,
        proposalId: record.proposalId,
        approvedBy: record.approvedBy,
        ...parsePolicies(record.document),
      };
    } catch (err) {
      // A stored document this version cannot read (e.g. written by an older release): the reviewed file wins.
      this.logger.error(
        { err, revision: record.revision },
        'stored policies are invalid for this version; using POLICY_FILE',
      );
      return null;
    }
  }
}

/** The validated class instance as a plain object for storage and responses. */
export function toPlain(document: PolicyDocument): Record<string, unknown> {
  return instanceToPlain(document);
}

/** The promise's value if it settles in time, else `fallback`; a late or failed promise is left to its owner. */
function withFallback<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolveLate) => {
    timer = setTimeout(() => resolveLate(fallback), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
