/** A name with case, spaces, underscores, hyphens and dots left out: "Monthly_Charges" and "monthly charges" alike. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[\s_.-]+/gu, "");
}

/**
 * The one name of `candidates` that `name` spells otherwise (`monthlycharges` for `MonthlyCharges`), or
 * undefined when none or several do. For messages only: fields are matched as written, never guessed at
 * (a renamed column can be another column).
 *
 * @example
 * spelledAs("monthly_charges", ["tenure", "MonthlyCharges"]); // "MonthlyCharges"
 * spelledAs("tenure", ["tenure"]); // undefined: spelt the same
 */
export function spelledAs(name: string, candidates: readonly string[]): string | undefined {
  const key = squash(name);
  const found = candidates.filter((c) => c !== name && squash(c) === key);
  return found.length === 1 ? found[0] : undefined;
}
