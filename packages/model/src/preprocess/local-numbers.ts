/** The local forms of numbers the ETL reads in a training file and a model records by column (PipeModelState.numberForms). */
export type LocalNumberForm = "grouped decimal comma" | "decimal comma" | "grouped thousands";

/** Plain numeric text, as a record's number field takes it: what never gets a local reading. */
const PLAIN = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
/** A decimal comma (`3,14`, `-0,5`, `,5`, `1,5E-3`). */
const DECIMAL_COMMA = /^[-+]?(\d+,\d*|,\d+)([eE][-+]?\d+)?$/u;
/** A decimal comma after thousands grouped by dots or by spaces (plain, no-break, narrow no-break): `1.234,56`, `12.345.678`, `1 234,5`. */
const GROUPED_DECIMAL_COMMA = /^[-+]?\d{1,3}([. \u00a0\u202f])\d{3}(\1\d{3})*(,\d*)?$/u;
/** Thousands grouped by commas, apostrophes (`1'234.50`, `1’234`) or spaces, and a decimal point: `-12,345,678.9`. */
const GROUPED_THOUSANDS = /^[-+]?\d{1,3}([,'\u2019 \u00a0\u202f])\d{3}(\1\d{3})*(\.\d+)?$/u;

/**
 * A record's number written in the training file's local form (the form the ETL read its column in)
 * as plain numeric text, or undefined: text that is already plain numeric (`1.234` is one and a quarter
 * here, whatever the form: a record's text cannot show its column's form as a file's sample does), and
 * text the form does not fit. So only text that can be no plain number gets the form's reading:
 * `29,85` → `29.85`, `1.234,56` → `1234.56`, `1,234,567.5` → `1234567.5`.
 */
export function plainOfLocalNumber(text: string, form: LocalNumberForm): string | undefined {
  if (PLAIN.test(text)) return undefined;
  const t = text.trim();
  if (form === "grouped thousands") return GROUPED_THOUSANDS.test(t) ? t.replace(/[,'\u2019 \u00a0\u202f]/gu, "") : undefined;
  // Both comma forms read either spelling, as the ETL's readers of them do.
  if (DECIMAL_COMMA.test(t)) return t.replace(",", ".");
  if (GROUPED_DECIMAL_COMMA.test(t)) return t.replace(/[. \u00a0\u202f]/gu, "").replace(",", ".");
  return undefined;
}

/** Whether a record's text is a number: plain numeric text, or text the column's local form reads (see plainOfLocalNumber). */
export function isNumericText(text: string, form?: LocalNumberForm): boolean {
  return PLAIN.test(text) || (form !== undefined && plainOfLocalNumber(text, form) !== undefined);
}
