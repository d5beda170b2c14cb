/**
 * The base of every domain error in Pedigree. Each bounded context declares its own subclass with a code enum
 * (after twenty's `<context>.exception.ts`); one filter maps them to `application/problem+json`, and Kafka
 * consumers use `retriable` to choose between retrying a batch and dead-lettering a message.
 */
export interface PedigreeErrorOptions {
  /** HTTP status the API answers with; consumers ignore it. */
  status?: number;
  /** True when the same input may succeed later (a database or broker hiccup), false for bad input. */
  retriable?: boolean;
  /** JSON pointer or parameter name of the offending input, when there is one. */
  field?: string;
  /** Structured extra facts for the problem document (never secrets). */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

export abstract class PedigreeError extends Error {
  abstract readonly code: string;
  readonly status: number;
  readonly retriable: boolean;
  readonly field?: string;
  readonly extensions?: Record<string, unknown>;

  protected constructor(message: string, options: PedigreeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? 400;
    this.retriable = options.retriable ?? false;
    this.field = options.field;
    this.extensions = options.extensions;
  }
}

export function isPedigreeError(error: unknown): error is PedigreeError {
  return error instanceof PedigreeError;
}

/** Errors from libraries that are known to be transient (connection loss, lock timeouts, broker leadership moves). */
const TRANSIENT_PG_CODES = new Set([
  '08000', // connection_exception
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '55P03', // lock_not_available
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/**
 * Whether an arbitrary thrown value is worth retrying. Unknown errors are treated as retriable: losing an event
 * to a dead letter because of a bug we did not classify is worse than retrying it a few times.
 */
export function isRetriable(error: unknown): boolean {
  if (error instanceof PedigreeError) return error.retriable;
  if (typeof error !== 'object' || error === null) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (TRANSIENT_PG_CODES.has(code) || TRANSIENT_NODE_CODES.has(code)) return true;
    // Other SQLSTATEs (constraint violations, bad syntax) will fail the same way again.
    if (/^[0-9A-Z]{5}$/.test(code)) return false;
  }
  const message = (error as { message?: unknown }).message;
  if (
    typeof message === 'string' &&
    /Connection terminated|timeout|ECONNREFUSED|not available/i.test(message)
  ) {
    return true;
  }
  return true;
}

const KAFKA_TRANSIENT =
  /^KafkaJS(ConnectionError|RequestTimeoutError|NumberOfRetriesExceeded|BrokerNotFound|LockTimeout|ServerDoesNotSupportApiKey|ProtocolError|Connection)/;

/**
 * True only for failures of the infrastructure (database, broker, network) that retrying will outlast. Anything
 * else that escapes processing is a bug or bad data: retrying it forever would block a partition, so consumers
 * isolate the message that causes it and dead-letter it instead.
 */
export function isInfrastructureFailure(error: unknown): boolean {
  if (error instanceof PedigreeError) return error.retriable;
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message, retriable } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    retriable?: unknown;
  };
  if (
    typeof code === 'string' &&
    (TRANSIENT_PG_CODES.has(code) ||
      TRANSIENT_NODE_CODES.has(code) ||
      code.startsWith('08') ||
      code.startsWith('53') ||
      code.startsWith('57'))
  ) {
    return true;
  }
  if (typeof name === 'string' && KAFKA_TRANSIENT.test(name)) return true;
  if (typeof name === 'string' && name.startsWith('KafkaJS') && retriable === true) return true;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection is closed|ECONNREFUSED|ECONNRESET|Connection timeout|timeout exceeded when trying to connect/i.test(
      message,
    )
  );
}
