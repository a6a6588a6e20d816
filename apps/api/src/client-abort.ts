/**
 * The status a request's log line and metrics get when its client closed the connection before the
 * request was read whole (nginx's 499, "client closed request"): not a fault of the service — no 5xx
 * to alert on, no stack trace — and no answer is sent, as nobody is there to read it.
 */
export const CLIENT_CLOSED_REQUEST = 499;

/** Whether reading the request failed because its client went away (Node's "aborted", ECONNRESET). */
export function isClientAbort(error: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted === true || (error instanceof Error && (error as { code?: unknown }).code === "ECONNRESET");
}
