import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/**
 * An allow-list of CIDRs and single addresses, IPv4 and IPv6. A client is compared in its plain form: an
 * IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, what a dual-stack socket reports) is the IPv4 address, and it
 * also matches an entry written in the mapped form (`::ffff:10.0.0.0/104`).
 */
export class IpAllowlist {
  private constructor(private readonly ranges: readonly Range[]) {}

  /** Entries come from the validated policy document; an invalid one is a programming error. */
  static parse(entries: readonly string[]): IpAllowlist {
    return new IpAllowlist(entries.map(toRange));
  }

  /** An empty list restricts nothing. */
  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** True when the address is on the list; an unreadable or missing address never is. */
  includes(ip: string | undefined): boolean {
    const client = parseClientIp(ip);
    if (!client) return false;
    return this.ranges.some((range) => matches(client, range));
  }
}

/** The client address in its plain form (IPv4-mapped IPv6 becomes IPv4), or undefined when unreadable. */
export function parseClientIp(ip: string | undefined): Address | undefined {
  if (!ip || !ipaddr.isValid(ip)) return undefined;
  return ipaddr.process(ip);
}

/**
 * The rate-limit identity of an anonymous client: its IPv4 address, or the /64 an IPv6 address belongs to
 * (one host usually holds a whole /64, so single IPv6 addresses would be free to rotate).
 */
export function clientKey(ip: string | undefined): string {
  const client = parseClientIp(ip);
  if (!client) return 'unknown';
  if (client.kind() === 'ipv4') return client.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${client.toString()}/64`).toString()}/64`;
}

function toRange(entry: string): Range {
  if (entry.includes('/')) return ipaddr.parseCIDR(entry);
  const address = ipaddr.parse(entry);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

function matches(client: Address, [network, bits]: Range): boolean {
  if (network instanceof ipaddr.IPv4) return client instanceof ipaddr.IPv4 && client.match(network, bits);
  // An IPv4 client against an entry written as IPv6 (e.g. ::ffff:10.0.0.0/104): compare in the mapped form.
  const asV6 = client instanceof ipaddr.IPv4 ? client.toIPv4MappedAddress() : client;
  return asV6.match(network, bits);
}
