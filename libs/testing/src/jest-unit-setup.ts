// Unit tests run in UTC so dates print and compare the same on every machine.
process.env.TZ = 'UTC';
