import type { Gs1CharacterSet } from './character-set';

/**
 * GS1 Application Identifier table (GS1 General Specifications §3, as structured by the GS1 Barcode Syntax
 * Dictionary). Written as compact text and compiled once at load: each line is
 *
 *   AI[-AI] [*] component... | title
 *
 * `*` marks the predefined-length AIs that need no FNC1/GS after them. Components are `N`/`X`/`Y`/`Z` (digits, set
 * 82, set 39, set 64) with a fixed length (`N6`) or a maximum (`X..20`), optional when in brackets, and a `+check`:
 * `cd` GS1 check digit, `d0` date YYMMDD with day 00 allowed, `d` date YYMMDD, `dh` YYMMDDHH, `hm` HHMM, `z` the
 * digit 0, `nz` no leading zero. Checks the dictionary has that are not listed here (ISO country codes, the GMN
 * check pair, IBAN, ...) are not applied.
 */
const AI_TABLE_TEXT = `
00 * N18+cd | SSCC
01 * N14+cd | GTIN
02 * N14+cd | CONTENT
10 X..20 | BATCH/LOT
11 * N6+d0 | PROD DATE
12 * N6+d0 | DUE DATE
13 * N6+d0 | PACK DATE
15 * N6+d0 | BEST BEFORE or BEST BY
16 * N6+d0 | SELL BY
17 * N6+d0 | USE BY or EXPIRY
20 * N2 | VARIANT
21 X..20 | SERIAL
22 X..20 | CPV
235 X..28 | TPX
240 X..30 | ADDITIONAL ID
241 X..30 | CUST. PART No.
242 N..6 | MTO VARIANT
243 X..20 | PCN
250 X..30 | SECONDARY SERIAL
251 X..30 | REF. TO SOURCE
253 N13+cd [X..17] | GDTI
254 X..20 | GLN EXTENSION COMPONENT
255 N13+cd [N..12] | GCN
30 N..8 | VAR. COUNT
3100-3105 * N6 | NET WEIGHT (kg)
3110-3115 * N6 | LENGTH (m)
3120-3125 * N6 | WIDTH (m)
3130-3135 * N6 | HEIGHT (m)
3140-3145 * N6 | AREA (m2)
3150-3155 * N6 | NET VOLUME (l)
3160-3165 * N6 | NET VOLUME (m3)
3200-3205 * N6 | NET WEIGHT (lb)
3210-3215 * N6 | LENGTH (in)
3220-3225 * N6 | LENGTH (ft)
3230-3235 * N6 | LENGTH (yd)
3240-3245 * N6 | WIDTH (in)
3250-3255 * N6 | WIDTH (ft)
3260-3265 * N6 | WIDTH (yd)
3270-3275 * N6 | HEIGHT (in)
3280-3285 * N6 | HEIGHT (ft)
3290-3295 * N6 | HEIGHT (yd)
3300-3305 * N6 | GROSS WEIGHT (kg)
3310-3315 * N6 | LENGTH (m), log
3320-3325 * N6 | WIDTH (m), log
3330-3335 * N6 | HEIGHT (m), log
3340-3345 * N6 | AREA (m2), log
3350-3355 * N6 | VOLUME (l), log
3360-3365 * N6 | VOLUME (m3), log
3370-3375 * N6 | KG PER m2
3400-3405 * N6 | GROSS WEIGHT (lb)
3410-3415 * N6 | LENGTH (in), log
3420-3425 * N6 | LENGTH (ft), log
3430-3435 * N6 | LENGTH (yd), log
3440-3445 * N6 | WIDTH (in), log
3450-3455 * N6 | WIDTH (ft), log
3460-3465 * N6 | WIDTH (yd), log
3470-3475 * N6 | HEIGHT (in), log
3480-3485 * N6 | HEIGHT (ft), log
3490-3495 * N6 | HEIGHT (yd), log
3500-3505 * N6 | AREA (in2)
3510-3515 * N6 | AREA (ft2)
3520-3525 * N6 | AREA (yd2)
3530-3535 * N6 | AREA (in2), log
3540-3545 * N6 | AREA (ft2), log
3550-3555 * N6 | AREA (yd2), log
3560-3565 * N6 | NET WEIGHT (troy oz)
3570-3575 * N6 | NET VOLUME (oz)
3600-3605 * N6 | NET VOLUME (qt)
3610-3615 * N6 | NET VOLUME (gal.)
3620-3625 * N6 | VOLUME (qt), log
3630-3635 * N6 | VOLUME (gal.), log
3640-3645 * N6 | VOLUME (in3)
3650-3655 * N6 | VOLUME (ft3)
3660-3665 * N6 | VOLUME (yd3)
3670-3675 * N6 | VOLUME (in3), log
3680-3685 * N6 | VOLUME (ft3), log
3690-3695 * N6 | VOLUME (yd3), log
37 N..8 | COUNT
3900-3909 N..15 | AMOUNT
3910-3919 N3 N..15 | AMOUNT
3920-3929 N..15 | PRICE
3930-3939 N3 N..15 | PRICE
3940-3943 N4 | PRCNT OFF
3950-3955 N6 | PRICE/UoM
400 X..30 | ORDER NUMBER
401 X..30 | GINC
402 N17+cd | GSIN
403 X..30 | ROUTE
410 * N13+cd | SHIP TO LOC
411 * N13+cd | BILL TO
412 * N13+cd | PURCHASE FROM
413 * N13+cd | SHIP FOR LOC
414 * N13+cd | LOC No.
415 * N13+cd | PAY TO
416 * N13+cd | PROD/SERV LOC
417 * N13+cd | PARTY
420 X..20 | SHIP TO POST
421 N3 X..9 | SHIP TO POST
422 N3 | ORIGIN
423 N..15 | COUNTRY - INITIAL PROCESS
424 N3 | COUNTRY - PROCESS
425 N..15 | COUNTRY - DISASSEMBLY
426 N3 | COUNTRY - FULL PROCESS
427 X..3 | ORIGIN SUBDIVISION
4300 X..35 | SHIP TO COMP
4301 X..35 | SHIP TO NAME
4302 X..70 | SHIP TO ADD1
4303 X..70 | SHIP TO ADD2
4304 X..70 | SHIP TO SUB
4305 X..70 | SHIP TO LOC
4306 X..70 | SHIP TO REG
4307 X2 | SHIP TO COUNTRY
4308 X..30 | SHIP TO PHONE
4309 N10 N10 | SHIP TO GEO
4310 X..35 | RTN TO COMP
4311 X..35 | RTN TO NAME
4312 X..70 | RTN TO ADD1
4313 X..70 | RTN TO ADD2
4314 X..70 | RTN TO SUB
4315 X..70 | RTN TO LOC
4316 X..70 | RTN TO REG
4317 X2 | RTN TO COUNTRY
4318 X..20 | RTN TO POST
4319 X..30 | RTN TO PHONE
4320 X..35 | SRV DESCRIPTION
4321 N1 | DANGEROUS GOODS
4322 N1 | AUTH TO LEAVE
4323 N1 | SIG REQUIRED
4324 N6+d0 N4+hm | NOT BEF DEL DT
4325 N6+d0 N4+hm | NOT AFT DEL DT
4326 N6+d | REL DATE
4330 N6 [X1] | MAX TEMP F.
4331 N6 [X1] | MAX TEMP C.
4332 N6 [X1] | MIN TEMP F.
4333 N6 [X1] | MIN TEMP C.
7001 N13 | NSN
7002 X..30 | MEAT CUT
7003 N6+d N4+hm | EXPIRY TIME
7004 N..4 | ACTIVE POTENCY
7005 X..12 | CATCH AREA
7006 N6+d | FIRST FREEZE DATE
7007 N6+d [N6+d] | HARVEST DATE
7008 X..3 | AQUATIC SPECIES
7009 X..10 | FISHING GEAR TYPE
7010 X..2 | PROD METHOD
7011 N6+d [N4+hm] | TEST BY DATE
7020 X..20 | REFURB LOT
7021 X..20 | FUNC STAT
7022 X..20 | REV STAT
7023 X..30 | GIAI - ASSEMBLY
7030-7039 N3 X..27 | PROCESSOR
7040 N1 X3 | UIC+EXT
710 X..20 | NHRN PZN
711 X..20 | NHRN CIP
712 X..20 | NHRN CN
713 X..20 | NHRN DRN
714 X..20 | NHRN AIM
715 X..20 | NHRN NDC
7230-7239 X2 X..28 | CERT
7240 X..20 | PROTOCOL
7241 N2 | AIDC MEDIA TYPE
7242 X..25 | VCN
8001 N14 | DIMENSIONS
8002 X..20 | CMT No.
8003 N1+z N13+cd [X..16] | GRAI
8004 X..30 | GIAI
8005 N6 | PRICE PER UNIT
8006 N14+cd N4 | ITIP
8007 X..34 | IBAN
8008 N8+dh [N..4] | PROD TIME
8009 X..50 | OPTSEN
8010 Y..30 | CPID
8011 N..12+nz | CPID SERIAL
8012 X..20 | VERSION
8013 X..25 | GMN
8017 N18+cd | GSRN - PROVIDER
8018 N18+cd | GSRN - RECIPIENT
8019 N..10 | SRIN
8020 X..25 | REF No.
8026 N14+cd N4 | ITIP CONTENT
8030 Z..90 | DIGSIG
8110 X..70 | COUPON CODE
8111 N4 | POINTS
8112 X..70 | COUPON OFFER
8200 X..70 | PRODUCT URL
90 X..30 | INTERNAL
91-99 X..90 | INTERNAL
`;

export type AiCheck = 'cd' | 'd0' | 'd' | 'dh' | 'hm' | 'z' | 'nz';

export interface AiComponent {
  readonly set: Gs1CharacterSet;
  readonly min: number;
  readonly max: number;
  readonly optional: boolean;
  readonly check: AiCheck | undefined;
}

export interface AiDefinition {
  readonly ai: string;
  readonly title: string;
  /** Predefined length: no FNC1/GS separator follows it in an element string. */
  readonly predefined: boolean;
  readonly minLength: number;
  readonly maxLength: number;
  readonly fixedLength: boolean;
  readonly components: readonly AiComponent[];
}

const COMPONENT = /^(\[)?([NXYZ])(\.\.)?(\d+)(?:\+(cd|d0|dh|d|hm|z|nz))?(\])?$/;

function compileComponent(token: string, line: string): AiComponent {
  const m = COMPONENT.exec(token);
  if (!m || Boolean(m[1]) !== Boolean(m[6]))
    throw new Error(`bad AI table component '${token}' in '${line}'`);
  const length = Number(m[4]);
  return {
    set: m[2] as Gs1CharacterSet,
    min: m[3] ? 1 : length,
    max: length,
    optional: Boolean(m[1]),
    check: m[5] as AiCheck | undefined,
  };
}

function compileTable(text: string): Map<string, AiDefinition> {
  const table = new Map<string, AiDefinition>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const [spec, title = ''] = line.split(' | ');
    const tokens = spec.split(/\s+/);
    const range = tokens.shift() ?? '';
    const predefined = tokens[0] === '*';
    if (predefined) tokens.shift();
    const components = tokens.map((t) => compileComponent(t, line));
    let minLength = 0;
    let maxLength = 0;
    for (const c of components) {
      if (!c.optional) minLength += c.min;
      maxLength += c.max;
    }
    const [from, to = from] = range.split('-');
    for (let n = Number(from); n <= Number(to); n++) {
      const ai = String(n).padStart(from.length, '0');
      table.set(ai, {
        ai,
        title: title.trim(),
        predefined,
        minLength,
        maxLength,
        fixedLength: minLength === maxLength,
        components,
      });
    }
  }
  return table;
}

const AI_TABLE: ReadonlyMap<string, AiDefinition> = compileTable(AI_TABLE_TEXT);

export function aiDefinition(ai: string): AiDefinition | undefined {
  return AI_TABLE.get(ai);
}

/** Every AI the table knows, for tests and documentation. */
export function knownAis(): readonly string[] {
  return [...AI_TABLE.keys()];
}

/**
 * The AI starting at `pos` of `data` (2, 3 or 4 digits): GS1 AIs are prefix-free, so at most one length matches.
 * Undefined when the digits there are not a known AI.
 */
export function aiAt(data: string, pos: number): AiDefinition | undefined {
  for (let len = 2; len <= 4; len++) {
    if (pos + len > data.length) return undefined;
    const c = data.charCodeAt(pos + len - 1);
    if (c < 48 || c > 57) return undefined;
    const def = AI_TABLE.get(data.slice(pos, pos + len));
    if (def) return def;
  }
  return undefined;
}

/**
 * Length of the AI an unknown code would have, from its first two digits (GS1 General Specifications, AI length
 * by prefix), so an error can quote the code the data most likely meant.
 */
export function probableAiLength(firstTwoDigits: string): number {
  const p = Number(firstTwoDigits);
  if (Number.isNaN(p)) return 2;
  if (p === 23 || p === 24 || p === 25) return 3;
  if (p >= 31 && p <= 36) return 4;
  if (p === 39 || p === 43 || p === 70 || p === 72 || (p >= 80 && p <= 82)) return 4;
  if (p === 40 || p === 41 || p === 42 || p === 71) return 3;
  return 2;
}
