import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  apiKey?: string;
  tls: boolean;
}

/** Client side (web): starts cases and sends updates. */
export async function connectClient(settings: TemporalSettings): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({
    address: settings.address,
    tls: settings.tls || Boolean(settings.apiKey),
    apiKey: settings.apiKey,
  });
  return { client: new Client({ connection, namespace: settings.namespace }), connection };
}

/** Worker side: polls the task queue. */
export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: settings.address,
    tls: settings.tls || Boolean(settings.apiKey),
    apiKey: settings.apiKey,
  });
}
