import { binLabelOf, DEFAULT_MISSING_TOKENS, makeCellNormaliser, type Normaliser } from "@pipe/etl";
import { type BinaryMetrics, BinaryMetricsTally, flagLabel, type PipeModel } from "@pipe/model";
import type { PipeConfig } from "../config.js";

/** Labels listed by name when rows carry ones the model does not know. */
const SHOWN_LABELS = 10;

/** How the scores of a labelled input compare with its labels (see {@link LabelledScores}). */
export interface LabelledSummary {
  target: string;
  positive_class: string;
  negative_class: string;
  /** Rows scored, and of them the rows whose label is one of the model's classes (the metrics' rows). */
  rows_scored: number;
  rows_labelled: number;
  rows_missing_label: number;
  /** Labels that are not one of the model's classes, with their rows (the most frequent first). */
  unknown_labels: Record<string, number>;
  /** At the model's threshold, as `pipe evaluate` reports them; null when the labelled rows hold one class only. */
  metrics: BinaryMetrics | null;
  /** Why metrics is null. */
  note?: string;
}

/**
 * The labels of an input that still has the model's target column (a held-out file such as Adult's
 * official test split): each read as the ETL reads the target (trimmed, missing tokens, the config's
 * rules for that column: `recode` and `otherwise` map a test file's spelling onto the training
 * classes), set against the row's score. Rows that could not be scored, and rows whose label is
 * missing or not one of the two classes, are counted apart, never guessed.
 */
export class LabelledScores {
  private readonly normalise: Normaliser;
  private readonly positive: string;
  private readonly negative: string;
  /** The labelled rows' metrics, tallied as they come (8 bytes a row: its score, in its class's list). */
  private readonly tally: BinaryMetricsTally;
  private scored = 0;
  private missing = 0;
  private readonly unknown = new Map<string, number>();

  private constructor(
    private readonly model: PipeModel,
    private readonly column: number,
    config: PipeConfig,
  ) {
    this.tally = new BinaryMetricsTally(model.state.threshold);
    const target = model.state.target;
    this.normalise = makeCellNormaliser(config.etl.missingTokens ?? DEFAULT_MISSING_TOKENS, config.etl.rules?.[target]);
    this.positive = model.state.positiveClass;
    this.negative = model.state.classes.find((c) => c !== this.positive) as string;
  }

  /** The tally for an input with these columns, or undefined when it has no column named as the model's target. */
  static of(model: PipeModel, columns: readonly string[], config: PipeConfig): LabelledScores | undefined {
    const column = columns.indexOf(model.state.target);
    return column < 0 ? undefined : new LabelledScores(model, column, config);
  }

  /** The input column holding the labels. */
  get labelColumn(): number {
    return this.column;
  }

  /** One row: its cells (in the input's column order) and its probability, undefined when it could not be scored. */
  add(fields: readonly string[], probability: number | undefined): void {
    this.addLabel(fields[this.column] ?? "", probability);
  }

  /** `add` given the row's label cell's text as read (blank when the row has no such cell). */
  addLabel(text: string, probability: number | undefined): void {
    if (probability === undefined) return;
    this.scored++;
    const written = this.normalise(text);
    if (written === "") {
      this.missing++;
      return;
    }
    // A target the ETL cut into bins: the file's number is labelled with its bin, as the training rows were.
    const bins = this.model.state.targetBins;
    // A yes/no target read as another pair of the same words (DuckDB's true/false for Yes/No) is the same class.
    const read = (bins && binLabelOf(bins, written)) ?? written;
    const label = read === this.positive || read === this.negative ? read : (flagLabel([this.positive, this.negative], read) ?? read);
    const y = label === this.positive ? 1 : label === this.negative ? 0 : -1;
    if (y < 0) {
      this.unknown.set(label, (this.unknown.get(label) ?? 0) + 1);
      return;
    }
    this.tally.add(y, probability);
  }

  summary(): LabelledSummary {
    const n = this.tally.rows;
    const positives = this.tally.positiveRows;
    const unknown = [...this.unknown].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const bothClasses = positives > 0 && positives < n;
    const summary: LabelledSummary = {
      target: this.model.state.target,
      positive_class: this.positive,
      negative_class: this.negative,
      rows_scored: this.scored,
      rows_labelled: n,
      rows_missing_label: this.missing,
      unknown_labels: Object.fromEntries(unknown),
      metrics: bothClasses ? this.tally.metrics() : null,
    };
    if (!bothClasses) {
      summary.note =
        n === 0
          ? `no row has a label that is one of the model's classes (${this.negative}, ${this.positive})`
          : `every labelled row is ${positives > 0 ? this.positive : this.negative}: the metrics need both classes`;
    }
    return summary;
  }

  /** What to tell the user about labels the model does not know: how to map them onto its classes. */
  unknownAdvice(summary: LabelledSummary): string | undefined {
    const unknown = Object.entries(summary.unknown_labels);
    if (unknown.length === 0) return undefined;
    const rows = unknown.reduce((a, [, n]) => a + n, 0);
    const shown = unknown
      .slice(0, SHOWN_LABELS)
      .map(([label, n]) => `${JSON.stringify(label)} (${n})`)
      .join(", ");
    const example = Object.fromEntries(unknown.slice(0, 2).map(([label]) => [label, closestClass(label, [this.negative, this.positive])]));
    return (
      `${rows} row(s) have a label in ${summary.target} that is not one of the model's classes (${this.negative}, ${this.positive}): ${shown}${unknown.length > SHOWN_LABELS ? ", ..." : ""}; ` +
      `they are left out of the metrics. Map them in the config, e.g. etl.rules.${summary.target}: ${JSON.stringify({ recode: example })}`
    );
  }
}

/** The class whose text the label starts with or contains (">50K." → ">50K"), else a blank to fill in: a suggestion, never applied. */
function closestClass(label: string, classes: readonly string[]): string {
  const found = [...classes].sort((a, b) => b.length - a.length).find((c) => label.startsWith(c) || label.includes(c));
  return found ?? `<${classes.join(" or ")}>`;
}
