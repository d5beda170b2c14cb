import { checkDestination, guardedLookup, isPublicAddress } from './webhook-destination.policy';
import { gs1Signature } from './webhook.sender';
import { createHmac } from 'node:crypto';

describe('webhook destinations', () => {
  it('takes public https URLs', () => {
    expect(checkDestination('https://erp.example.com/inbox', false).hostname).toBe('erp.example.com');
  });

  it.each([
    ['http://erp.example.com/inbox', /https/],
    ['https://user:secret@erp.example.com/', /credentials/],
    ['https://127.0.0.1/', /not a public address/],
    ['https://10.1.2.3/', /not a public address/],
    ['https://[::1]/', /not a public address/],
    ['https://169.254.169.254/latest/meta-data', /not a public address/],
    ['ftp://erp.example.com/', /https/],
    ['/relative', /absolute URL/],
  ])('refuses %s', (dest, message) => {
    expect(() => checkDestination(dest, false)).toThrow(message);
  });

  it('allows http and loopback only where private destinations are allowed', () => {
    expect(checkDestination('http://127.0.0.1:9000/hook', true).port).toBe('9000');
  });

  it('classifies addresses', () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(
      ['192.168.1.1', '::ffff:127.0.0.1', 'fd00::1', '0.0.0.0', 'not-an-ip'].map(isPublicAddress),
    ).toEqual([false, false, false, false, false]);
  });

  it('refuses, at connection time, a name that resolves to a private address', (done) => {
    guardedLookup(false)('localhost', {}, (error) => {
      expect(error?.message).toMatch(/no public address/);
      done();
    });
  });

  it('signs the exact body with HMAC-SHA256', () => {
    const body = '{"type":"EPCISQueryDocument"}';
    expect(gs1Signature(body, 'token-0123456789abcdef')).toBe(
      `sha256=${createHmac('sha256', 'token-0123456789abcdef').update(body).digest('hex')}`,
    );
  });
});
