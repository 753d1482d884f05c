import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  apiKey?: string;
  tls: boolean;
}

export interface ClientConnection {
  client: Client;
  connection: Connection;
  /** Closes the connection once no retry of a call is still waiting to be sent (see below). */
  close(): Promise<void>;
}

/**
 * Client side (web): starts cases and sends updates.
 *
 * The SDK retries a failed call after a backoff of up to 6 s, from a timer. A call abandoned at its
 * deadline (answeredWithin) keeps retrying, and a retry whose timer fires after `connection.close()`
 * throws "Channel has been shut down" from the timer — an uncaught exception at shutdown. So the retry
 * interceptor notes when its next retry is due, stops retrying once closing, and `close` waits for the
 * last due retry before closing the channel.
 */
export async function connectClient(settings: TemporalSettings): Promise<ClientConnection> {
  const retries = defaultGrpcRetryOptions();
  let closing = false;
  let lastRetryDueAt = 0;
  const connection = await Connection.connect({
    address: settings.address,
    tls: settings.tls || Boolean(settings.apiKey),
    apiKey: settings.apiKey,
    interceptors: [
      makeGrpcRetryInterceptor({
        retryableDecider: (attempt, status) => !closing && retries.retryableDecider(attempt, status),
        delayFunction: (attempt, status) => {
          const delayMs = retries.delayFunction(attempt, status);
          lastRetryDueAt = Math.max(lastRetryDueAt, Date.now() + delayMs);
          return delayMs;
        },
      }),
    ],
  });
  return {
    client: new Client({ connection, namespace: settings.namespace }),
    connection,
    async close() {
      closing = true;
      const waitMs = lastRetryDueAt - Date.now();
      // The margin lets the timer that fires at lastRetryDueAt create its call before the channel closes.
      if (waitMs > -RETRY_MARGIN_MS) await new Promise((resolve) => setTimeout(resolve, waitMs + RETRY_MARGIN_MS));
      await connection.close();
    },
  };
}

const RETRY_MARGIN_MS = 50;

/** Worker side: polls the task queue. */
export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: settings.address,
    tls: settings.tls || Boolean(settings.apiKey),
    apiKey: settings.apiKey,
  });
}
