// `npm run docs:config`: writes the table of configuration variables into README.md from the config class itself,
// so the documentation cannot drift from what the services validate.
import { configReference } from '@pedigree/config';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const readme = join(__dirname, '..', '..', '..', 'README.md');
const rows = configReference().map((v) => {
  const fallback =
    v.default === undefined
      ? v.secret
        ? '*(required where used; secret)*'
        : '*(none)*'
      : Array.isArray(v.default)
        ? v.default.join(',') || '*(empty)*'
        : String(v.default) || '*(empty)*';
  return `| \`${v.env}\` | ${v.description.replace(/\|/g, '\\|')} | ${fallback === '*(empty)*' || fallback.startsWith('*') ? fallback : `\`${fallback}\``} |`;
});
const table = ['| variable | what | default |', '| --- | --- | --- |', ...rows].join('\n');
const text = readFileSync(readme, 'utf8');
const start = '<!-- config-table:start -->';
const end = '<!-- config-table:end -->';
const updated = text.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${table}\n${end}`);
writeFileSync(readme, updated);
process.stdout.write(`README.md: ${rows.length} variables\n`);
