import ipaddr from 'ipaddr.js';

/**
 * The class of an IP address in ipaddr.js's terms: `unicast` for a public
 * address; `private`, `loopback`, `linkLocal`, `uniqueLocal`,
 * `carrierGradeNat`, `unspecified`, `reserved`, ... otherwise. IPv4-mapped
 * IPv6 addresses (`::ffff:127.0.0.1`) are judged as the IPv4 address they
 * carry, so they cannot slip past as "IPv6".
 */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid';
  return ipaddr.process(address).range();
}
