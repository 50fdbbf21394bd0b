import { HostPool, safeHostLabel } from './host-pool';

function pool(hostCount: number, failureThreshold = 2) {
  let now = 0;
  const clock = { now: () => now, sleep: () => Promise.resolve() };
  const hosts = Array.from({ length: hostCount }, (_, index) => ({
    index,
    label: `h${index}`,
    client: `c${index}`,
  }));
  const p = new HostPool(hosts, { failureThreshold, cooldownMs: 1000 }, clock);
  return { p, hosts, advance: (ms: number) => (now += ms) };
}

describe('HostPool', () => {
  it('uses the primary while it works', () => {
    const { p } = pool(3);
    expect(p.pick().label).toBe('h0');
    p.succeeded(p.pick());
    expect(p.pick().label).toBe('h0');
  });

  it('sets an unreachable host aside at once and moves to the next in order', () => {
    const { p, hosts } = pool(3);
    expect(p.failed(hosts[0], true)).toBe(true);
    expect(p.pick().label).toBe('h1');
    expect(p.failed(hosts[1], true)).toBe(true);
    expect(p.pick().label).toBe('h2');
  });

  it('keeps a host through isolated failures, sets it aside when it keeps failing', () => {
    const { p, hosts } = pool(2, 2);
    expect(p.failed(hosts[0], false)).toBe(false);
    p.succeeded(hosts[0]);
    expect(p.failed(hosts[0], false)).toBe(false);
    expect(p.pick().label).toBe('h0');
    expect(p.failed(hosts[0], false)).toBe(true);
    expect(p.pick().label).toBe('h1');
  });

  it('returns to the primary when its cooldown ends', () => {
    const { p, hosts, advance } = pool(2);
    p.failed(hosts[0], true);
    expect(p.pick().label).toBe('h1');
    advance(1000);
    expect(p.pick().label).toBe('h0');
  });

  it('uses the host that recovers first when all are cooling down', () => {
    const { p, hosts, advance } = pool(2);
    p.failed(hosts[0], true);
    advance(10);
    p.failed(hosts[1], true);
    expect(p.pick().label).toBe('h0');
  });

  it('never sets aside its only host', () => {
    const { p, hosts } = pool(1);
    expect(p.failed(hosts[0], true)).toBe(false);
    expect(p.pick().label).toBe('h0');
  });
});

describe('safeHostLabel', () => {
  it('drops credentials and query strings', () => {
    expect(safeHostLabel('https://user:pw@api.trongrid.io/jsonrpc?apikey=k')).toBe(
      'https://api.trongrid.io/jsonrpc',
    );
    expect(safeHostLabel('http://127.0.0.1:9090')).toBe('http://127.0.0.1:9090');
    expect(safeHostLabel('not a url')).toBe('<invalid url>');
  });
});
