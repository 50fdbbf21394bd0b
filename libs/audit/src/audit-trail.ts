/** Who did something: a person (JWT subject) with their roles and where the request came from, or the system. */
export interface AuditActor {
  /** JWT subject, or `system:<component>` for the pipeline, sweepers and start-up. */
  id: string;
  roles: string[];
  ip?: string;
  requestId?: string;
}

/** One thing that happened: a transfer state change, an admin action, a policy change, a screening block. */
export interface AuditEntry {
  /** Dotted verb, e.g. `transfer.approved`, `approval.approve`, `policies.replace`, `emergency.stop`. */
  action: string;
  /** What it happened to, e.g. `{ type: 'transfer', id }`. */
  subject?: { type: string; id: string };
  /** Left out: taken from the current HTTP request (user, IP, request id), or `system` outside one. */
  actor?: AuditActor;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
}

/**
 * The append-only, hash-chained audit log. `record` resolves once the entry is durably part of the chain;
 * secrets are stripped before anything is stored.
 */
export abstract class AuditTrail {
  abstract record(entry: AuditEntry): Promise<void>;
}
