/** Classifies ethers errors: contract reverts (with the custom error's name) versus transport failures. */
export interface DecodedChainError {
  kind: 'revert' | 'transport' | 'nonce' | 'other';
  /** Custom error name, e.g. `CustodyLedgerNotCustodian`, for reverts the ABI knows. */
  name?: string;
  args?: unknown[];
  message: string;
}

interface EthersLikeError {
  code?: string;
  shortMessage?: string;
  message?: string;
  revert?: { name?: string; args?: unknown[] } | null;
  error?: { message?: string };
}

export function decodeChainError(error: unknown): DecodedChainError {
  const e = (error ?? {}) as EthersLikeError;
  const message = e.shortMessage ?? e.message ?? String(error);
  if (e.code === 'CALL_EXCEPTION') {
    return {
      kind: 'revert',
      name: e.revert?.name ?? undefined,
      args: e.revert?.args ? [...e.revert.args] : undefined,
      message,
    };
  }
  if (e.code === 'NONCE_EXPIRED' || e.code === 'REPLACEMENT_UNDERPRICED' || /nonce/i.test(message)) {
    return { kind: 'nonce', message };
  }
  if (
    e.code === 'NETWORK_ERROR' ||
    e.code === 'TIMEOUT' ||
    e.code === 'SERVER_ERROR' ||
    /ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|timeout/i.test(message)
  ) {
    return { kind: 'transport', message };
  }
  return { kind: 'other', message };
}
