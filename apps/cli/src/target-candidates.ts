import { openSource, readCsv } from "@pipe/etl";

/** Rows read to find the columns with two values: enough for a binary target to show both, quick on any file. */
const ROWS = 5000;
/** Names a binary target often has: offered first. */
const TARGET_NAMES = /^(target|label|labels|class|y|outcome|churn|survived|income|default|fraud|is_fraud|response|diagnosis)$/iu;

/**
 * The columns of `input`'s first rows that hold exactly two values (blanks aside), as a target would:
 * "outcome (0, 1), sex (Female, Male)", likely names first, at most five; undefined when there are
 * none or the input cannot be read (the command's own reading will say why).
 */
export async function twoValuedColumns(input: string): Promise<string | undefined> {
  try {
    const csv = await readCsv(openSource(input));
    const values = csv.columns.map(() => new Set<string>());
    let rows = 0;
    for await (const batch of csv.batches) {
      for (const { fields } of batch) {
        fields.forEach((v, j) => {
          const seen = values[j];
          if (seen && seen.size <= 2 && v.trim() !== "") seen.add(v.trim());
        });
      }
      rows += batch.length;
      if (rows >= ROWS) break;
    }
    await csv.batches.return(undefined);
    const two = csv.columns.map((name, j) => ({ name, values: [...(values[j] as Set<string>)].sort() })).filter((c) => c.values.length === 2);
    // Likely names first, then from the last column back (a target is often the last one).
    two.reverse().sort((a, b) => Number(TARGET_NAMES.test(b.name)) - Number(TARGET_NAMES.test(a.name)));
    return two.length
      ? two
          .slice(0, 5)
          .map((c) => `${c.name} (${c.values.join(", ")})`)
          .join(", ")
      : undefined;
  } catch {
    return undefined;
  }
}
