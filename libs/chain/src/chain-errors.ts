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
  /** Revert data; ethers decodes it into `revert` for a contract's calls, not for its gas estimates. */
  data?: string | null;
  shortMessage?: string;
  message?: string;
  revert?: { name?: string; args?: unknown[] } | null;
  error?: { message?: string };
}

/** What can name a custom error from its data: a contract's ABI (ethers' `Interface`). */
export interface ErrorAbi {
  parseError(data: string): { name: string; args: ArrayLike<unknown> } | null;
}

/** Classifies an ethers error; `abi` names custom errors whose data ethers left undecoded (gas estimates). */
export function decodeChainError(error: unknown, abi?: ErrorAbi): DecodedChainError {
  const e = (error ?? {}) as EthersLikeError;
  const message = e.shortMessage ?? e.message ?? String(error);
  if (e.code === 'CALL_EXCEPTION') {
    const revert = e.revert ?? parsedRevert(e.data, abi);
    return {
      kind: 'revert',
      name: revert?.name ?? undefined,
      args: revert?.args ? Array.from(revert.args) : undefined,
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

function parsedRevert(
  data: string | null | undefined,
  abi: ErrorAbi | undefined,
): { name?: string; args?: ArrayLike<unknown> } | null {
  if (!data || !abi) return null;
  try {
    return abi.parseError(data);
  } catch {
    return null; // data the ABI does not know: the revert stays unnamed
  }
}
