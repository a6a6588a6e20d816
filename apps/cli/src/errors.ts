/** Bad command line or configuration: exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
