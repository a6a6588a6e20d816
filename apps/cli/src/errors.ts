/** Bad command line or configuration: exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** No target column was named: a usage error that knows the input, so the message can offer its two-valued columns. */
export class MissingTargetError extends UsageError {
  override name = "MissingTargetError";
  constructor(
    message: string,
    readonly input: string | undefined,
  ) {
    super(message);
  }
}
