/**
 * Fixed-point text as Python's `format(x, ".{d}f")` writes it: exact binary value, ties to even.
 * (`Number.prototype.toFixed` rounds exact ties up, so 0.90625 would print 0.9063 instead of 0.9062.)
 */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
  const long = Math.abs(x).toFixed(Math.min(100, digits + 30));
  const dot = long.indexOf(".");
  const rest = long.slice(dot + 1 + digits);
  if (/^50*$/.test(rest)) {
    // An exact tie: keep the truncated value if its last digit is even, else round up.
    const truncated = long.slice(0, dot + 1 + digits).replace(/\.$/, "");
    const lastDigit = Number(truncated[truncated.length - 1]);
    const value = lastDigit % 2 === 0 ? truncated : (Math.abs(x) + 0.5 * 10 ** -digits).toFixed(digits);
    return (x < 0 ? "-" : "") + value;
  }
  return x.toFixed(digits);
}
