import { Clock, systemClock } from './clock';

export interface PooledHost<C> {
  /** position in the configured order: 0 is the primary */
  readonly index: number;
  /** the host URL without credentials or query, safe to log */
  readonly label: string;
  readonly client: C;
}

export interface HostPoolOptions {
  /** consecutive transient failures after which a host is set aside */
  failureThreshold: number;
  /** how long a host stays aside before it is tried again */
  cooldownMs: number;
}

interface HostState {
  failures: number;
  coolingUntil: number;
}

/**
 * The primary host and the fallback hosts, in configured order. Calls go to the first host that is not
 * cooling down, so traffic returns to the primary by itself once its cooldown ends. A host that refuses
 * connections is set aside at once; one that answers badly (429, 5xx, timeouts) after a few failures in a row.
 * When every host is cooling down, the one that recovers first is used rather than failing outright.
 */
export class HostPool<C> {
  private readonly state: HostState[];

  constructor(
    private readonly hosts: readonly PooledHost<C>[],
    private readonly options: HostPoolOptions,
    private readonly clock: Clock = systemClock,
  ) {
    if (hosts.length === 0) throw new Error('HostPool needs at least one host');
    this.state = hosts.map(() => ({ failures: 0, coolingUntil: 0 }));
  }

  get size(): number {
    return this.hosts.length;
  }

  all(): readonly PooledHost<C>[] {
    return this.hosts;
  }

  pick(): PooledHost<C> {
    const now = this.clock.now();
    const ready = this.hosts.find((h) => this.state[h.index].coolingUntil <= now);
    if (ready) return ready;
    return this.hosts.reduce((best, h) =>
      this.state[h.index].coolingUntil < this.state[best.index].coolingUntil ? h : best,
    );
  }

  succeeded(host: PooledHost<C>): void {
    this.state[host.index] = { failures: 0, coolingUntil: 0 };
  }

  /** Records a transient failure; true when the host was just set aside (the next pick fails over). */
  failed(host: PooledHost<C>, unreachable: boolean): boolean {
    const s = this.state[host.index];
    s.failures += 1;
    if (this.hosts.length > 1 && (unreachable || s.failures >= this.options.failureThreshold)) {
      s.failures = 0;
      s.coolingUntil = this.clock.now() + this.options.cooldownMs;
      return true;
    }
    return false;
  }
}

/** `https://user:secret@host/path?apikey=x` -> `https://host/path`: URLs may carry credentials. */
export function safeHostLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}
