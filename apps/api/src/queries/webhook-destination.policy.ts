import ipaddr from 'ipaddr.js';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { QueriesErrorCode, QueriesException } from './queries.exception';

/** Only public unicast addresses: a webhook must not reach the consortium's own network (SSRF). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/**
 * Checks a webhook URL's form when a subscription is made: https (plain http only where private destinations are
 * allowed, i.e. development), no credentials in the URL (secrets never travel in URLs or logs), no literal private
 * address. Host names are checked again at each connection, by {@link guardedLookup}.
 */
export function checkDestination(dest: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(dest);
  } catch {
    throw refused('dest is not an absolute URL.');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
    throw refused(`dest must be an https URL${allowPrivate ? ' (or http)' : ''}, got ${url.protocol}`);
  if (url.username || url.password)
    throw refused('dest must not carry credentials; use signatureToken to authenticate deliveries.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && ipaddr.isValid(host) && !isPublicAddress(host))
    throw refused(`dest ${host} is not a public address.`);
  return url;
}

/** A DNS lookup for the webhook client that refuses private answers, so a rebinding name cannot reach inside. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const allowed = allowPrivate ? addresses : addresses.filter((a) => isPublicAddress(a.address));
      if (allowed.length === 0)
        return callback(new Error(`${hostname} resolves to no public address`), '', 0);
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

function refused(message: string): QueriesException {
  return new QueriesException(QueriesErrorCode.DESTINATION_REFUSED, message, 'dest');
}
