import type { Gauge } from 'prom-client';

import type { AuditTrail } from '@app/audit';
import type { AuthUser } from '@app/auth';
import type { PolicyStore } from '@app/policies';

import { EmergencyState, EmergencyStateRepository, NEVER_STOPPED } from './emergency-state.repository';
import { EmergencyStop } from './emergency-stop';

/** The database as another instance sees it: reads are counted, and `elsewhere` writes behind our back. */
class CountingStates extends EmergencyStateRepository {
  reads = 0;
  current: EmergencyState = NEVER_STOPPED;

  async read(): Promise<EmergencyState> {
    this.reads++;
    await new Promise((resolve) => setImmediate(resolve));
    return this.current;
  }

  write(expectedRevision: number, next: Omit<EmergencyState, 'revision'>): Promise<boolean> {
    if (expectedRevision !== this.current.revision) return Promise.resolve(false);
    this.current = { ...next, revision: expectedRevision + 1 };
    return Promise.resolve(true);
  }

  elsewhere(active: boolean): void {
    this.current = { ...this.current, active, revision: this.current.revision + 1 };
  }
}

const admin = { sub: 'admin-1', roles: ['admin'] } as unknown as AuthUser;

function emergencyStop(states: CountingStates): EmergencyStop {
  const audit = { record: () => Promise.resolve() } as unknown as AuditTrail;
  const gauge = { set: () => undefined } as unknown as Gauge<string>;
  return new EmergencyStop(states, {} as PolicyStore, audit, gauge);
}

describe('EmergencyStop.recentState', () => {
  let now = 1_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  it('answers 200 concurrent signers with one database read', async () => {
    const states = new CountingStates();
    const stop = emergencyStop(states);
    const answers = await Promise.all(Array.from({ length: 200 }, () => stop.recentState(250)));
    expect(states.reads).toBe(1);
    expect(answers.every((state) => !state.active)).toBe(true);
  });

  it('sees a stop written by another instance once the interval has passed, not later', async () => {
    const states = new CountingStates();
    const stop = emergencyStop(states);
    await stop.recentState(250);
    states.elsewhere(true);
    now += 249;
    expect((await stop.recentState(250)).active).toBe(false);
    now += 1;
    expect((await stop.recentState(250)).active).toBe(true);
    expect(states.reads).toBe(2);
  });

  it('sees its own stop at once, and a read started before it cannot undo that', async () => {
    const states = new CountingStates();
    const stop = emergencyStop(states);
    await stop.recentState(250);
    now += 300;
    const staleRead = stop.recentState(250);
    await stop.stop(admin, 'incident');
    await staleRead;
    expect((await stop.recentState(60_000)).active).toBe(true);
  });

  it('reads every time with an interval of 0', async () => {
    const states = new CountingStates();
    const stop = emergencyStop(states);
    await stop.recentState(0);
    await stop.recentState(0);
    expect(states.reads).toBe(2);
  });
});
