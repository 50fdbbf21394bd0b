import { clientKey, IpAllowlist } from './ip-allowlist';

describe('IpAllowlist', () => {
  it('matches IPv4 addresses inside a CIDR and refuses those outside', () => {
    const list = IpAllowlist.parse(['10.0.0.0/8', '192.168.1.0/24']);
    expect(list.includes('10.1.2.3')).toBe(true);
    expect(list.includes('192.168.1.254')).toBe(true);
    expect(list.includes('192.168.2.1')).toBe(false);
    expect(list.includes('11.0.0.1')).toBe(false);
  });

  it('treats a bare address as a single host', () => {
    const list = IpAllowlist.parse(['203.0.113.7', '2001:db8::1']);
    expect(list.includes('203.0.113.7')).toBe(true);
    expect(list.includes('203.0.113.8')).toBe(false);
    expect(list.includes('2001:db8::1')).toBe(true);
    expect(list.includes('2001:db8::2')).toBe(false);
  });

  it('matches IPv6 addresses inside an IPv6 CIDR', () => {
    const list = IpAllowlist.parse(['2001:db8:abcd::/48', '::1/128']);
    expect(list.includes('2001:db8:abcd:12::5')).toBe(true);
    expect(list.includes('2001:db8:abce::5')).toBe(false);
    expect(list.includes('::1')).toBe(true);
    expect(list.includes('::2')).toBe(false);
  });

  it('reads an IPv4-mapped IPv6 client as its IPv4 address', () => {
    const list = IpAllowlist.parse(['127.0.0.0/8']);
    expect(list.includes('::ffff:127.0.0.1')).toBe(true);
    expect(list.includes('::ffff:7f00:1')).toBe(true);
    expect(list.includes('::ffff:128.0.0.1')).toBe(false);
  });

  it('matches an IPv4 client against an entry written in the mapped form', () => {
    const list = IpAllowlist.parse(['::ffff:10.0.0.0/104']);
    expect(list.includes('10.9.8.7')).toBe(true);
    expect(list.includes('::ffff:10.9.8.7')).toBe(true);
    expect(list.includes('11.0.0.1')).toBe(false);
  });

  it('never lets IPv4 and IPv6 ranges stand in for each other', () => {
    expect(IpAllowlist.parse(['0.0.0.0/0']).includes('2001:db8::1')).toBe(false);
    expect(IpAllowlist.parse(['::/0']).includes('::1')).toBe(true);
    // ::/0 holds every IPv6 address, so also the mapped form of every IPv4 one.
    expect(IpAllowlist.parse(['::/0']).includes('10.0.0.1')).toBe(true);
    expect(IpAllowlist.parse(['2001:db8::/32']).includes('10.0.0.1')).toBe(false);
  });

  it('refuses a missing or unreadable client address', () => {
    const list = IpAllowlist.parse(['0.0.0.0/0', '::/0']);
    expect(list.includes(undefined)).toBe(false);
    expect(list.includes('')).toBe(false);
    expect(list.includes('not-an-ip')).toBe(false);
  });

  it('says when it is empty', () => {
    expect(IpAllowlist.parse([]).isEmpty).toBe(true);
    expect(IpAllowlist.parse(['10.0.0.0/8']).isEmpty).toBe(false);
  });
});

describe('clientKey', () => {
  it('keys IPv4 clients by address, mapped or not', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('keys IPv6 clients by their /64', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb::9')).toBe(clientKey('2001:db8:1:2:aaaa::1'));
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
  });

  it('puts unreadable addresses together', () => {
    expect(clientKey(undefined)).toBe('unknown');
  });
});
