import { ConfigValidationError } from './config.error';
import { inheritedEnv } from './inherited-env.reader';
import { loadBenchConfig } from './load-bench-config';
import { configReference } from './load-config';

describe('loadBenchConfig', () => {
  it('applies the defaults the benchmarks had when the environment is empty', () => {
    expect({ ...loadBenchConfig({}) }).toEqual({
      steps: ['ingest', 'chain', 'verify'],
      events: 1_000_000,
      verifySeconds: 60,
      verifyRate: 1000,
      verifySweep: [250, 500, 750],
      apiWorkers: 2,
      soakSeconds: 600,
      soakVerifyRate: 1000,
      members: [1, 2, 3],
      nodeFlags: '',
      keep: false,
    });
  });

  it('takes overrides, and BENCH_SOAK_VERIFY_RATE follows BENCH_VERIFY_RATE unless set', () => {
    const config = loadBenchConfig({
      BENCH_STEPS: 'verify,soak',
      BENCH_EVENTS: '100_000',
      BENCH_VERIFY_RATE: '800',
      BENCH_VERIFY_SWEEP: '250, 500',
      BENCH_MEMBERS: '2',
      BENCH_PROFILE: '/tmp/profiles',
      BENCH_NODE_FLAGS: '--trace-gc',
      BENCH_KEEP: '1',
    });
    expect(config).toMatchObject({
      steps: ['verify', 'soak'],
      events: 100_000,
      verifySweep: [250, 500],
      soakVerifyRate: 800,
      members: [2],
      profileDir: '/tmp/profiles',
      nodeFlags: '--trace-gc',
      keep: true,
    });
    expect(config.soakRate).toBeUndefined();
    expect(loadBenchConfig({ BENCH_SOAK_VERIFY_RATE: '300' }).soakVerifyRate).toBe(300);
  });

  it('names the variable of an invalid value', () => {
    expect(() => loadBenchConfig({ BENCH_EVENTS: 'lots' })).toThrow(
      /BENCH_EVENTS: must be an integer, got "lots"/,
    );
    expect(() => loadBenchConfig({ BENCH_EVENTS: '0' })).toThrow(/BENCH_EVENTS: .*must not be less than 1/);
    expect(() => loadBenchConfig({ BENCH_STEPS: 'ingest,verfy' })).toThrow(
      /BENCH_STEPS: .*must be one of the following values: ingest, chain, verify, soak/,
    );
    expect(() => loadBenchConfig({ BENCH_VERIFY_SWEEP: '250,fast' })).toThrow(
      /BENCH_VERIFY_SWEEP: must be comma-separated integers, got "250,fast"/,
    );
    expect(() => loadBenchConfig({ BENCH_KEEP: 'maybe' })).toThrow(/BENCH_KEEP: must be true or false/);
  });

  it('lists every problem at once', () => {
    try {
      loadBenchConfig({ BENCH_API_WORKERS: '64', BENCH_MEMBERS: '0,1', BENCH_SOAK_SECONDS: '-1' });
      fail('expected a ConfigValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      const variables = (error as ConfigValidationError).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(['BENCH_API_WORKERS', 'BENCH_MEMBERS', 'BENCH_SOAK_SECONDS']);
    }
  });

  it('is documented in the configuration reference', () => {
    const documented = configReference().map((v) => v.env);
    expect(documented).toEqual(expect.arrayContaining(['BENCH_STEPS', 'BENCH_EVENTS', 'BENCH_KEEP']));
  });
});

describe('inheritedEnv', () => {
  const parent = { PATH: 'bench-bin', HOME: 'bench-home', PEDIGREE_API_KEY: 'pdg_secret' };

  it('passes only the named variables, an unset one as empty', () => {
    expect(inheritedEnv(['PATH', 'HOME', 'TMPDIR'], parent)).toEqual({
      PATH: 'bench-bin',
      HOME: 'bench-home',
      TMPDIR: '',
    });
  });

  it('passes the whole environment when no names are given', () => {
    expect(inheritedEnv(undefined, parent)).toEqual(parent);
  });
});
