/** Quotes a field when it holds the delimiter, a quote, a newline or edge spaces. */
export function formatCsvField(value: string, delimiter = ","): string {
  if (value === "") return "";
  let needs = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === delimiter || c === '"' || c === "\n" || c === "\r") {
      needs = true;
      break;
    }
  }
  if (!needs && value[0] !== " " && value[value.length - 1] !== " ") return value;
  return `"${value.replaceAll('"', '""')}"`;
}

/** One CSV line (with its trailing newline). */
export function formatCsvRow(values: readonly string[], delimiter = ","): string {
  // A row of one empty field would be a blank line, which readers skip: quote it.
  if (values.length === 1 && values[0] === "") return '""\n';
  let s = "";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) s += delimiter;
    s += formatCsvField(values[i] ?? "", delimiter);
  }
  return `${s}\n`;
}
