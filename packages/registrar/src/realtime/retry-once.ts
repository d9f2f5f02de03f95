import { toRealtimeError } from './sql-realtime-driver.js';

/**
 * Runs `work`; when it fails because the connection was lost (a pooled connection the server
 * killed, a restarted server), runs it once more on a fresh connection, as res_config_mysql's
 * mysql_reconnect() and res_config_pgsql's pgsql_reconnect() do. Errors come back as
 * `RegistrarError` (`realtime-unavailable` or `realtime-query-failed`).
 */
export async function retryOnce<T>(label: string, work: () => Promise<T>, unavailable: (error: unknown) => boolean): Promise<T> {
  try {
    return await work();
  } catch (first) {
    if (!unavailable(first)) {
      throw toRealtimeError(label, first, unavailable);
    }
    try {
      return await work();
    } catch (second) {
      throw toRealtimeError(label, second, unavailable);
    }
  }
}
