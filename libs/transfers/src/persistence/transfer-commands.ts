import type { FilterQuery, UpdateQuery } from 'mongoose';

import { ErrorCode } from '@app/common';

import { canTransition, Transfer, TransferStatus } from '../domain/transfer';
import {
  EventMark,
  NewTransfer,
  TransferChanges,
  TransferListQuery,
  TransitionRequest,
} from './transfer.repository';
import { TransferDoc } from './transfer.schema';

/**
 * The filters and updates of the transfer repository's guarded writes, built in one place so that every
 * store that runs them (MongoDB through Mongoose, the in-memory one the unit tests use) applies the same
 * guards. Pure: no I/O.
 */

/** `eventsPending` holds this while some event of the transfer has not reached every subscriber. */
export const EVENTS_PENDING = 'yes';

export interface WriteCommand {
  filter: FilterQuery<TransferDoc>;
  update: UpdateQuery<TransferDoc>;
}

/** The stored document of a new transfer: due now, not leased, its creation its first event. */
export function newTransferDoc(
  transfer: NewTransfer,
  now: Date,
): Omit<TransferDoc, 'createdAt' | 'updatedAt' | 'governance'> {
  return {
    _id: transfer.id,
    supersededTxids: [],
    broadcastAttempts: 0,
    failedAttempts: 0,
    confirmations: 0,
    lockedBy: null,
    lockedUntil: null,
    ...transfer,
    day: now.toISOString().slice(0, 10),
    nextAttemptAt: now,
    history: [{ status: transfer.status, at: now, by: transfer.requestedBy }],
    deliveredEvents: [],
    eventsPending: EVENTS_PENDING,
    eventsTouchedAt: now,
  };
}

/** Due, in one of `statuses`, and not leased (or its lease ran out); parked disabled-wallet items left alone. */
export function claimDueFilter(
  statuses: readonly TransferStatus[],
  now: Date,
  disabledWallets: readonly string[],
): FilterQuery<TransferDoc> {
  const free = { $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now } }] };
  const notParked = {
    $or: [
      { status: { $ne: 'approved' } },
      { wallet: { $nin: disabledWallets } },
      { 'waiting.code': { $ne: ErrorCode.WALLET_DISABLED } },
    ],
  };
  return {
    status: { $in: statuses },
    nextAttemptAt: { $lte: now },
    ...(disabledWallets.length ? { $and: [free, notParked] } : free),
  };
}

export function leaseUpdate(workerId: string, now: Date, leaseMs: number): UpdateQuery<TransferDoc> {
  return { $set: { lockedBy: workerId, lockedUntil: new Date(now.getTime() + leaseMs) } };
}

/** A guarded status move; its event is its history entry, written with it and pending until delivered. */
export function transitionCommand(id: string, request: TransitionRequest, now: Date): WriteCommand {
  assertAllowed(request.from, request.to);
  const filter: FilterQuery<TransferDoc> = { _id: id, status: { $in: request.from }, ...request.where };
  if (request.lockedBy) filter.lockedBy = request.lockedBy;
  const update = buildUpdate(request);
  update.$set = { ...update.$set, status: request.to, eventsPending: EVENTS_PENDING, eventsTouchedAt: now };
  if (request.release) Object.assign(update.$set, { lockedBy: null, lockedUntil: null });
  update.$push = {
    ...(update.$push as object),
    history: { status: request.to, at: now, by: request.by, note: request.note },
  };
  return { filter, update };
}

export function updateCommand(
  id: string,
  guard: { status?: readonly TransferStatus[]; lockedBy?: string; where?: Record<string, unknown> },
  changes: TransferChanges,
): WriteCommand {
  const filter: FilterQuery<TransferDoc> = { _id: id, ...guard.where };
  if (guard.status) filter.status = { $in: guard.status };
  if (guard.lockedBy) filter.lockedBy = guard.lockedBy;
  return { filter, update: buildUpdate(changes) };
}

/** Gives the lease back: only its holder's release applies. */
export function releaseCommand(id: string, workerId: string, changes: TransferChanges): WriteCommand {
  const update = buildUpdate(changes);
  update.$set = { ...update.$set, lockedBy: null, lockedUntil: null };
  return { filter: { _id: id, lockedBy: workerId }, update };
}

export function listFilter(query: TransferListQuery): FilterQuery<TransferDoc> {
  const filter: FilterQuery<TransferDoc> = {};
  if (query.status) filter.status = query.status;
  if (query.kind) filter.kind = query.kind;
  if (query.wallet) filter.wallet = query.wallet;
  if (query.to) filter.to = query.to;
  if (query.batchId) filter.batchId = query.batchId;
  if (query.reference) filter.reference = query.reference;
  if (query.expiringBefore) filter['governance.expiresAt'] = { $lt: query.expiringBefore };
  if (query.createdFrom || query.createdBefore) {
    filter.createdAt = {
      ...(query.createdFrom && { $gte: query.createdFrom }),
      ...(query.createdBefore && { $lt: query.createdBefore }),
    };
  }
  if (query.cursor) {
    const { createdAt, id } = query.cursor;
    filter.$and = [{ $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }] }];
  }
  return filter;
}

/** Two writes per mark, applied in order (see TransferRepository.markEventsDelivered). */
export function eventMarkCommands(marks: readonly EventMark[]): WriteCommand[] {
  return marks.flatMap(({ id, event }) => [
    // The mark that completes the set: the last event, every one before it already marked (n - 1 distinct
    // marks below n). It also ends the pending state.
    {
      filter: { _id: id, history: { $size: event }, deliveredEvents: { $size: event - 1, $ne: event } },
      update: { $addToSet: { deliveredEvents: event }, $unset: { eventsPending: 1 } },
    },
    // Any other: only recorded (never on a transfer stored before deliveries were, which has no set).
    {
      filter: { _id: id, deliveredEvents: { $exists: true } },
      update: { $addToSet: { deliveredEvents: event } },
    },
  ]);
}

/** Ends a pending state once every event is delivered (see TransferRepository.settleDeliveredEvents). */
export function settleEventsCommand(transfer: Transfer): WriteCommand {
  const events = transfer.history.length;
  return {
    filter: {
      _id: transfer.id,
      history: { $size: events },
      ...(transfer.deliveredEvents
        ? { deliveredEvents: { $size: events } }
        : { deliveredEvents: { $exists: false } }),
    },
    update: { $unset: { eventsPending: 1 } },
  };
}

/** Undelivered events, none written (and none taken by a sweep) since `quietSince`. */
export function undeliveredFilter(quietSince: Date): FilterQuery<TransferDoc> {
  return { eventsPending: EVENTS_PENDING, eventsTouchedAt: { $lt: quietSince } };
}

/**
 * Applies only if no event was written and no other sweep took the transfer since it was found; the next
 * sweep then waits a quiet period again (a subscriber that refused is not asked at every pass).
 */
export function claimRedeliveryCommand(transfer: Transfer, now: Date): WriteCommand {
  return {
    filter: { _id: transfer.id, eventsPending: EVENTS_PENDING, eventsTouchedAt: transfer.eventsTouchedAt },
    update: { $set: { eventsRedeliveredAt: now, eventsTouchedAt: now } },
  };
}

/** Its current transaction, or one it signed earlier that never landed. */
export function txidFilter(txid: string): FilterQuery<TransferDoc> {
  return { $or: [{ 'tx.txid': txid }, { supersededTxids: txid }] };
}

export function waitingFilter(codes: readonly ErrorCode[]): FilterQuery<TransferDoc> {
  return { status: 'approved', 'waiting.code': { $in: codes } };
}

/** A move the state machine forbids is a bug in the caller, refused before it reaches the database. */
function assertAllowed(from: readonly TransferStatus[], to: TransferStatus): void {
  const forbidden = from.filter((status) => !canTransition(status, to));
  if (forbidden.length) throw new Error(`transfer state machine forbids ${forbidden.join('|')} -> ${to}`);
}

function buildUpdate(changes: TransferChanges): UpdateQuery<TransferDoc> {
  const update: UpdateQuery<TransferDoc> = {};
  if (changes.set) update.$set = { ...changes.set };
  if (changes.unset?.length) update.$unset = Object.fromEntries(changes.unset.map((field) => [field, 1]));
  if (changes.inc) update.$inc = changes.inc;
  if (changes.pushSupersededTxid) update.$push = { supersededTxids: changes.pushSupersededTxid };
  return update;
}
