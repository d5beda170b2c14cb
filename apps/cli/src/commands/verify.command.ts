import type { Command } from 'commander';
import { callApi, type Problem } from '../api-client';
import { CliError, ExitCode } from '../exit-codes';
import { type GlobalOptions, print } from '../output';

interface Verdict {
  verified: boolean;
  status: 'verified' | 'not_verified' | 'pending';
  reasons: { code: string; effect: string; message: string; dscsa?: string; euFmd?: string }[];
  gtin: string;
  serial: string;
  lot?: string;
  expiry?: string;
  epc?: string;
  packStatus?: string;
  product?: { name?: string; strength?: string; dosageForm?: string; manufacturer?: string };
  scanWarnings?: string[];
}

/** Turns the scanner-friendly escapes people type into the GS separator (0x1D). */
export function unescapeBarcode(input: string): string {
  return input.replace(/\\x1[dD]|\\u001[dD]|<GS>/g, '\u001d');
}

export function registerVerify(program: Command, globals: () => GlobalOptions): void {
  program
    .command('verify')
    .description('verify a scanned pack: exit 0 verified, 1 not verified, 2 pending')
    .argument(
      '<barcode>',
      'the scanned data (GS1 element string, bracketed form or Digital Link); write the GS separator as \\x1d or <GS>',
    )
    .addHelpText(
      'after',
      `
Examples:
  pedigree verify "(01)04012345123456(21)SN1001(10)LOT42(17)280131"
  pedigree verify ']d2010401234512345621SN1001\\x1d10LOT42\\x1d17280131' --json
  pedigree verify https://id.gs1.org/01/04012345123456/21/SN1001`,
    )
    .action(async (barcode: string) => {
      const options = globals();
      const response = await callApi<Verdict | Problem>(options, 'POST', '/v1/verify', {
        barcode: unescapeBarcode(barcode),
      });
      if (response.status === 400) {
        throw new CliError(
          `The barcode could not be read: ${(response.body as Problem).detail ?? 'invalid'}`,
          ExitCode.DATA_ERROR,
          'Scan again, or type the bracketed form (01)…(21)….',
        );
      }
      const verdict = response.body as Verdict;
      print(options, verdict, () => {
        const mark =
          verdict.status === 'verified'
            ? '✔ VERIFIED'
            : verdict.status === 'pending'
              ? '… PENDING'
              : '✖ NOT VERIFIED — do not dispense';
        const product = verdict.product;
        const lines = [
          mark,
          ...(product?.name
            ? [
                `  ${[product.name, product.strength, product.dosageForm?.toLowerCase()].filter(Boolean).join(' · ')}${product.manufacturer ? ` — ${product.manufacturer}` : ''}`,
              ]
            : []),
          `  GTIN ${verdict.gtin}  serial ${verdict.serial}${verdict.lot ? `  lot ${verdict.lot}` : ''}${verdict.expiry ? `  expiry ${verdict.expiry}` : ''}`,
        ];
        if (verdict.packStatus) lines.push(`  pack status: ${verdict.packStatus}`);
        for (const reason of verdict.reasons)
          lines.push(
            `  • ${reason.code}: ${reason.message}${reason.euFmd ? ` (EU FMD: ${reason.euFmd})` : ''}`,
          );
        for (const warning of verdict.scanWarnings ?? []) lines.push(`  ! scan repaired: ${warning}`);
        return lines.join('\n');
      });
      process.exitCode =
        verdict.status === 'verified'
          ? ExitCode.OK
          : verdict.status === 'pending'
            ? ExitCode.PENDING
            : ExitCode.NEGATIVE;
    });
}
