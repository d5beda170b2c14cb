import { loadConfig } from '@pedigree/config';
import type { Command } from 'commander';
import { buildProgram } from './main';

const API_KEY = 'pdg_abc_never-print-me';
const ADMIN_TOKEN = 'admin-token-that-help-must-never-show-0123';

function defaultOf(command: Command, flag: string): unknown {
  return command.options.find((option) => option.long === flag)?.defaultValue;
}

describe('pedigree CLI settings', () => {
  it('defaults --api and --key from the validated config', () => {
    const program = buildProgram(loadConfig('cli', {}));
    expect(defaultOf(program, '--api')).toBe('http://127.0.0.1:3000');
    expect(defaultOf(program, '--key')).toBeUndefined();
  });

  it('takes PEDIGREE_API_URL, PEDIGREE_API_KEY and PEDIGREE_ADMIN_TOKEN, and never prints the secrets', () => {
    const program = buildProgram(
      loadConfig('cli', {
        PEDIGREE_API_URL: 'https://pedigree.example',
        PEDIGREE_API_KEY: API_KEY,
        PEDIGREE_ADMIN_TOKEN: ADMIN_TOKEN,
      }),
    );
    const simulate = program.commands.find((command) => command.name() === 'simulate')!;
    expect(defaultOf(program, '--api')).toBe('https://pedigree.example');
    expect(defaultOf(program, '--key')).toBe(API_KEY);
    expect(defaultOf(simulate, '--admin-token')).toBe(ADMIN_TOKEN);
    const help = program.helpInformation() + simulate.helpInformation();
    expect(help).toContain('from PEDIGREE_API_KEY');
    expect(help).not.toContain(API_KEY);
    expect(help).not.toContain(ADMIN_TOKEN);
  });
});
