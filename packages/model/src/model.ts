import { createHash } from "node:crypto";
import { type ResolvedBoostingParams, sigmoid } from "./boosting/gbt.js";
import type { DriftReference } from "./drift/reference.js";
import { FeatureError, ModelError, ModelFileError } from "./errors.js";
import { type ExplainOptions, type Explanation, ForestExplainer, LinearExplainer, type ModelExplainer } from "./explain/explanation.js";
import { BLOCK as EXPLAIN_BLOCK } from "./explain/tree-shap.js";
import { decodeForest, encodeForest, type StoredForest } from "./file/forest-format.js";
import { separateStreams } from "./file/packed-streams.js";
import { decodeTyped } from "./file/typed.js";
import { calibrate, type PlattCalibration } from "./forest/calibration.js";
import { RandomForestClassifier, type ResolvedForestParams } from "./forest/forest.js";
import type { FlatTree } from "./forest/tree.js";
import type { RawRecord } from "./frame.js";
import { LinearDesign } from "./linear/design.js";
import { LinearModel, type LinearState } from "./linear/linear-model.js";
import type { FittedBins } from "./preprocess/bins.js";
import { type CleaningRules, type CleaningSettings, inputCleaning, normalisingRulesOf } from "./preprocess/cleaning.js";
import type { LocalNumberForm } from "./preprocess/local-numbers.js";
import { flagLabel, Preprocessor } from "./preprocess/preprocessor.js";
import type { ColumnSpec } from "./preprocess/spec.js";

/** A column of the training file that the model does not use (dropped by the ETL, or the target), and why. */
export interface IgnoredField {
  name: string;
  reason: string;
}

/** What a record may hold: the fields the model uses, and the training file's other columns. */
export interface InputFields {
  features: readonly FeatureSchemaEntry[];
  ignored: readonly IgnoredField[];
}

export const MODEL_FORMAT = "pipe-model";
/** The version `serialize` writes; `parse` reads it and version 1 (five typed arrays per tree). */
export const MODEL_FORMAT_VERSION = 2;

/** What the API validates a request against: one entry per input field. */
export interface FeatureSchemaEntry {
  name: string;
  type: "number" | "string";
  /** Missing values are imputed; a field may be left out. */
  required: false;
  /** Training range (numbers). */
  min?: number;
  max?: number;
  /** Categories seen in training (strings). */
  categories?: string[];
  /** A date: ISO text (2024-12-31, or 2024-12-31 08:30), read as its parts; the training range. */
  format?: "date";
  earliest?: string;
  latest?: string;
  /** Every category is numeric-looking ("1", "2.5"): a JSON number is matched by its value (1 is "1" and "1.0"). */
  numeric_levels?: boolean;
  /** The categories are true/false, or a yes/no pair (Yes/No, Y/N): a JSON boolean is matched to them (true is Yes). */
  boolean_levels?: boolean;
  /** The ETL's rules that cleaned this column's training cells, which clean its values here too (see cleanInputsAsTrained). */
  cleaning?: CleaningRules;
  /** A number the ETL cut into bins: the record's number is binned with these edges and labels before it is read. */
  bins?: FittedBins;
  /**
   * "missing": a value this field's type cannot read (a word for a number, text that is no date) is read as
   * missing, as the training run read such cells (its `etl.onTypeMismatch: "missing"`); absent: such a value is
   * refused, as the training run rejected its row.
   */
  unreadable?: "missing";
  /**
   * A date the training file wrote with its year last, in this order (31/12/2024: day first): a record's
   * date in that form is read so too. Every field takes ISO text, year-first (2024/12/31) and month-name
   * (Jan 1 2000) dates, and a year-last date whose value shows its order (31/12/2024).
   */
  date_order?: "day first" | "month first";
  /**
   * The local form the training file wrote this number in (PipeModelState.numberForms): a record's text in
   * that form is read so (`29,85` as 29.85 for "decimal comma"); plain numeric text is always read plainly.
   */
  number_form?: LocalNumberForm;
}

export interface TrainingInfo {
  data_sha256: string;
  rows: number;
  n_train: number;
  n_test: number;
  test_size: number;
  seed: number;
  created_at: string;
  versions: Record<string, string>;
  metrics?: Record<string, unknown>;
  oob?: { roc_auc: number; accuracy: number } | null;
  /** Where the model came from (set by the pipeline; absent for models trained through the library alone). */
  lineage?: Lineage;
}

/** A model's provenance: its data before and after the ETL, the settings that made it, the code that ran. */
export interface Lineage {
  /** The input as given (credentials masked). */
  input: string;
  /** SHA-256 of the raw input's bytes as read (a file, an http(s) or S3 object; null for a database table). */
  input_sha256: string | null;
  /** SHA-256 of the processed CSV the model was fitted on (training.data_sha256). */
  processed_sha256: string;
  /** SHA-256 of `config` as canonical JSON: equal settings, equal hash. */
  config_sha256: string;
  /** The effective settings (ETL rules included), nothing secret. */
  config: Record<string, unknown>;
  /** The git commit the pipeline ran at ("+dirty" when files had uncommitted changes); null outside a repository. */
  git_commit: string | null;
}

export interface PipeModelState {
  target: string;
  classes: [string, string];
  positiveClass: string;
  threshold: number;
  preprocessing: { minCategoryCount: number; maxLevels: number; missingIndicators: boolean; specs: ColumnSpec[] };
  forest: RandomForestClassifier;
  /** Platt scaling fitted on the forest's out-of-bag scores; null: the raw mean of the trees. */
  calibration: PlattCalibration | null;
  training: TrainingInfo;
  /** The training file's columns the model does not use (dropped by the ETL, and the target): accepted and ignored in records. */
  ignoredFields: IgnoredField[];
  /** What new data is compared with to tell drift (null in files written before pipe kept it). */
  driftReference?: DriftReference | null;
  /**
   * Set when the target was a number the ETL cut into bins (`discretize`): the edges and each bin's
   * label, so a labelled file's raw numbers are binned as the training rows were before they are
   * compared with the predictions.
   */
  targetBins?: { edges: number[]; labels: string[] } | null;
  /**
   * The input columns the ETL cut into bins (`discretize`), by name: a raw number of theirs is binned
   * as the training rows were before it is read (see cleanInputsAsTrained). Absent in older files.
   */
  featureBins?: Record<string, FittedBins> | null;
  /**
   * The order the training file's local dates were written in, by column (`31/12/2024`: "day first"):
   * a file to score whose dates cannot tell (every day on the 1st to the 12th) is read the same way.
   * Absent in older files, and when the training file wrote its dates as ISO.
   */
  dateOrders?: Record<string, "day first" | "month first"> | null;
  /**
   * The local form the training file's numbers were written in, by column, where a file to score may not
   * tell it (`1.234` is 1234 where training read `1.234,56`): read the same way. Absent in older files.
   */
  numberForms?: Record<string, LocalNumberForm> | null;
  /**
   * Set when the trees are gradient-boosted (then `forest` holds them, packed the same way): the
   * output is log-odds, intercept + the sum of the trees' leaf values, and P(positive) its sigmoid.
   */
  boosting?: BoostingState | null;
  /**
   * Set when the model is a logistic regression (then `forest` holds no trees): the log-odds are the
   * intercept plus one term per preprocessed column, P(positive) their sigmoid.
   */
  linear?: LinearState | null;
}

/** What a boosted model keeps beside its trees. */
export interface BoostingState {
  intercept: number;
  params: ResolvedBoostingParams;
  /** Held-out log loss after each iteration (first: before any tree); empty without early stopping. */
  validation_loss: number[];
}

export interface Prediction {
  /** 1 for the positive class. */
  prediction: 0 | 1;
  label: string;
  /** P(positive class). */
  probability: number;
  warnings: string[];
}

/** A prediction with the reasons for it (see Explanation). */
export interface ExplainedPrediction extends Prediction {
  explanation: Explanation;
}

/**
 * A trained preprocessing + forest, ready to predict on raw records and to be saved.
 *
 * @example
 * const model = PipeModel.parse(readFileSync("out/model.json", "utf8")); // checks format version and checksum
 * const p = model.predict({ Sex: "female", Pclass: 1, Age: 29 });
 * p.probability; p.label; p.warnings; // ["Fare: missing, imputed with the training median 14.45", …]
 */
export class PipeModel {
  readonly preprocessor: Preprocessor;
  /** The logistic regression, when the model is one (state.linear). */
  readonly linear: LinearModel | null;
  constructor(readonly state: PipeModelState) {
    this.preprocessor = Preprocessor.fromSpecs(state.preprocessing.specs, state.preprocessing);
    this.linear = state.linear ? new LinearModel(LinearDesign.restore(this.preprocessor, state.linear), state.linear) : null;
  }

  /** "forest", "gbt" or "logistic": what computes the score. */
  get kind(): "forest" | "gbt" | "logistic" {
    return this.state.linear ? "logistic" : this.state.boosting ? "gbt" : "forest";
  }

  get featureNames(): string[] {
    return this.preprocessor.outputNames;
  }

  get featureSchema(): FeatureSchemaEntry[] {
    const settings = this.cleaningSettings;
    return this.state.preprocessing.specs.map((s) => {
      const cleaning = normalisingRulesOf(settings, s.name);
      const fitted = this.state.featureBins && Object.hasOwn(this.state.featureBins, s.name) ? this.state.featureBins[s.name] : undefined;
      // A type to check (a number, binned or not, or a date) that the training run read as missing when a cell did not fit it.
      const typed = settings?.onTypeMismatch === "missing" && (fitted || s.kind !== "categorical") ? { unreadable: "missing" as const } : {};
      const cleaned = cleaning ? { cleaning, ...typed } : typed;
      // A number the ETL cut into bins: a record gives the number (binned here), as the training file did.
      const forms = this.state.numberForms;
      const form = forms && Object.hasOwn(forms, s.name) ? { number_form: forms[s.name] as LocalNumberForm } : {};
      if (fitted)
        return {
          name: s.name,
          type: "number",
          required: false,
          min: fitted.edges[0],
          max: fitted.edges[fitted.edges.length - 1],
          bins: fitted,
          ...form,
          ...cleaned,
        };
      if (s.kind === "numeric") return { name: s.name, type: "number", required: false, min: s.min, max: s.max, ...form, ...cleaned };
      if (s.kind === "date") {
        const order = this.state.dateOrders && Object.hasOwn(this.state.dateOrders, s.name) ? { date_order: this.state.dateOrders[s.name] } : {};
        return { name: s.name, type: "string", format: "date", required: false, earliest: s.earliest, latest: s.latest, ...order, ...cleaned };
      }
      const categories = s.levels.filter((_, i) => i !== s.otherCode);
      const entry: FeatureSchemaEntry = { name: s.name, type: "string", required: false, categories };
      if (categories.length > 0 && categories.every((c) => c.trim() !== "" && Number.isFinite(Number(c)))) entry.numeric_levels = true;
      // A yes/no pair takes a JSON boolean too (read as its Yes or No: see flagCode).
      const flag = categories.length === 2 && flagLabel(categories as [string, string], "true") !== undefined;
      if (categories.length > 0 && (flag || categories.every((c) => /^(true|false)$/i.test(c)))) entry.boolean_levels = true;
      return { ...entry, ...cleaned };
    });
  }

  /** The ETL settings its lineage records, as far as cleaning a cell goes (none for a model trained outside the pipeline). */
  private get cleaningSettings(): CleaningSettings | undefined {
    return (this.state.training.lineage?.config as { etl?: CleaningSettings } | undefined)?.etl;
  }

  /** The tokens the training run read as missing in every column (its lineage's `etl.missingTokens`); undefined for a model trained outside the pipeline. */
  get trainingMissingTokens(): readonly string[] | undefined {
    const tokens = this.cleaningSettings?.missingTokens;
    return Array.isArray(tokens) && tokens.every((t) => typeof t === "string") ? tokens : undefined;
  }

  /** What a record may hold: the fields the model uses, and the training file's columns it ignores. */
  get inputFields(): InputFields {
    return { features: this.featureSchema, ignored: this.state.ignoredFields };
  }

  /**
   * Model version shown to API clients: the first 12 hex digits of the model's identity (`modelId`):
   * a model retrained to the same trees keeps its version. Files written before pipe kept the identity
   * show their checksum's digits instead.
   */
  version = "";

  /**
   * SHA-256 of what the model computes (target, classes, threshold, preprocessing, calibration, the
   * trees and their parameters), not of when or where it was made: equal for identical retrains.
   */
  get modelId(): string {
    return this.identity(this.state.linear ? null : encodeForest(this.state.forest.packedTrees()));
  }

  private identity(stored: StoredForest | null): string {
    const s = this.state;
    return sha256(
      JSON.stringify({
        target: s.target,
        classes: s.classes,
        positive_class: s.positiveClass,
        threshold: s.threshold,
        preprocessing: s.preprocessing,
        calibration: s.calibration,
        params: s.forest.params,
        boosting: s.boosting ? { intercept: s.boosting.intercept, params: s.boosting.params } : null,
        ...(s.linear
          ? {
              linear: {
                C: s.linear.C,
                class_weight: s.linear.class_weight,
                intercept: s.linear.intercept,
                coef: s.linear.coef,
                mean: s.linear.mean,
                sd: s.linear.sd,
              },
            }
          : {}),
        forest: stored,
        // How raw inputs become the model's (absent, as in older files, when no input was binned).
        ...(s.featureBins ? { feature_bins: s.featureBins } : {}),
      }),
    );
  }

  /** "random forest", "gradient-boosted trees" or "logistic regression", for people. */
  get kindName(): string {
    return { forest: "random forest", gbt: "gradient-boosted trees", logistic: "logistic regression" }[this.kind];
  }

  /** What the model is made of, for people: "100 trees", or a logistic regression's "60 weights". */
  get sizeName(): string {
    return this.linear ? `${this.linear.state.coef.length} weights` : `${this.state.forest.treeCount} trees`;
  }

  /** What an explanation's score is, in words: log-odds, or a forest's mean vote (and how the probability follows). */
  get scoreName(): string {
    if (this.linear) return "the logistic regression's log-odds; probability is its sigmoid";
    if (this.state.boosting) return "the boosted trees' log-odds; probability is its sigmoid";
    return this.state.calibration
      ? "the forest's mean tree vote; probability is this score calibrated (a monotone map)"
      : "the forest's mean tree vote, equal to the probability";
  }

  /** Whether the raw score is mapped to the probability (a calibration, the boosted trees' or the logistic regression's sigmoid). */
  get mapsScore(): boolean {
    return Boolean(this.state.calibration || this.state.boosting || this.state.linear);
  }

  /** The raw scores of a preprocessed matrix: the trees' mean leaf value, or the logistic regression's log-odds. */
  rawScores(X: readonly Float64Array[]): Float64Array {
    return this.linear ? this.linear.logOddsOf(X) : this.state.forest.predictProba(X);
  }

  /** `rawScores` on worker threads as well as this one when the matrix is large (trees; a linear model is cheaper than the hand-over). */
  async rawScoresAsync(X: readonly Float64Array[], options: { threads?: number; meanwhile?: () => void | Promise<void> } = {}): Promise<Float64Array> {
    if (!this.linear) return this.state.forest.predictProbaAsync(X, options);
    await options.meanwhile?.();
    return this.linear.logOddsOf(X);
  }

  /**
   * The model's probability from the trees' mean leaf value (what the packed predictors compute): a
   * forest's mean vote, calibrated when the model has a calibration; for boosted trees the sigmoid of
   * intercept + trees × mean (their sum of leaf values).
   */
  probabilityOf(forestMean: number): number {
    if (this.state.linear) return sigmoid(forestMean);
    const b = this.state.boosting;
    if (b) return sigmoid(b.intercept + this.state.forest.treeCount * forestMean);
    const c = this.state.calibration;
    return c ? calibrate(forestMean, this.state.forest.treeCount, c) : forestMean;
  }

  /**
   * Has the model clean every raw cell it is given afterwards (records, rows of cells) as the ETL cleaned
   * its training rows: the normalising rules of each input column its lineage records (missing tokens,
   * zero as missing, recode, case, fill) and the bins of the numbers it discretised. Without it, a 0 the
   * ETL read as missing would be a glucose of 0 to the model, a word recoded or put in lower case in
   * training an unseen category, a binned number an unseen category. Cleaning a cleaned cell changes
   * nothing, so a processed file scores as it is. Returns the input columns so cleaned (none for a model
   * trained outside the pipeline).
   */
  cleanInputsAsTrained(): string[] {
    this.preprocessor.useCleaning(
      inputCleaning(this.cleaningSettings, this.preprocessor.specs, this.state.featureBins ?? {}, this.state.dateOrders ?? {}, this.state.numberForms ?? {}),
    );
    return this.preprocessor.specs.map((s) => s.name).filter((_, i) => this.preprocessor.cleanerOf(i) !== undefined);
  }

  /**
   * Readies this thread for a stream of single predictions (a service calls it before it listens):
   * the trees are laid out for the WebAssembly walk now (Adult: ~20 ms) rather than on the 1,001st
   * prediction, which would wait for it (see forest/batch.ts, predictPackedRow).
   */
  warmUp(): void {
    if (!this.linear) this.predictProba(Array.from({ length: this.preprocessor.outputWidth }, () => new Float64Array(1)));
  }

  /**
   * Readies this thread and the scoring workers a batch of `threads` would use for explanations (a
   * service calls it before it listens when it explains): each builds its explainer now (the 100-tree
   * Adult forest: ~170 ms and ~25 MB a thread) rather than during the first request asking for one.
   */
  async warmUpExplanations(threads?: number): Promise<void> {
    // One block of rows — any values do — reaches as many workers as any batch does.
    const X = Array.from({ length: this.preprocessor.outputWidth }, () => new Float64Array(EXPLAIN_BLOCK));
    await this.explainer.explainMatrix(X, threads);
  }

  /** P(positive) for each row of a preprocessed column-major matrix (as `preprocessor.transform` gives). */
  predictProba(X: readonly Float64Array[]): Float64Array {
    const p = this.rawScores(X);
    if (this.mapsScore) for (let i = 0; i < p.length; i++) p[i] = this.probabilityOf(p[i] as number);
    return p;
  }

  /** `predictProba` on worker threads as well as this one when the matrix is large (see RandomForestClassifier.predictProbaAsync). */
  async predictProbaAsync(X: readonly Float64Array[], options: { threads?: number; meanwhile?: () => void | Promise<void> } = {}): Promise<Float64Array> {
    const p = await this.rawScoresAsync(X, options);
    if (this.mapsScore) for (let i = 0; i < p.length; i++) p[i] = this.probabilityOf(p[i] as number);
    return p;
  }

  /** Scores one raw record (the JSON object an API client sends, or a CSV row). */
  predict(record: RawRecord): Prediction {
    const warnings: string[] = [];
    // One row reused from call to call (the forest and the linear model read it and keep nothing).
    this.recordRow ??= new Float64Array(this.preprocessor.outputWidth);
    const row = this.preprocessor.transformRecord(record, this.recordRow, warnings);
    const probability = this.probabilityOf(this.linear ? this.linear.logOdds(row) : this.state.forest.predictRow(row));
    const prediction = probability >= this.state.threshold ? 1 : 0;
    const negative = this.state.classes.find((c) => c !== this.state.positiveClass) as string;
    return { prediction, label: prediction ? this.state.positiveClass : negative, probability, warnings };
  }

  private recordRow: Float64Array | undefined;

  private explainerCache: ModelExplainer | undefined;

  /**
   * The model's explainer (built on first use): TreeSHAP for trees (a ModelError for a model file
   * without node covers), each term minus its training mean for a logistic regression.
   */
  get explainer(): ModelExplainer {
    if (!this.explainerCache && this.linear) this.explainerCache = new LinearExplainer(this.linear, this.state.preprocessing.specs);
    if (!this.explainerCache) {
      const b = this.state.boosting;
      // Boosted trees are explained in log-odds: their sum of leaf values, plus the intercept.
      const output = b ? { scale: this.state.forest.treeCount, offset: b.intercept } : { scale: 1, offset: 0 };
      this.explainerCache = new ForestExplainer(this.state.forest.packedTrees(), this.state.preprocessing.specs, output);
    }
    return this.explainerCache;
  }

  /**
   * Scores one raw record and says why: each input column's exact Shapley contribution to the
   * forest's score (see Explanation), the largest first; `top` keeps the k largest.
   *
   * @example
   * const { probability, explanation } = model.explain({ Sex: "female", Pclass: 1, Age: 29 }, { top: 3 });
   * explanation.contributions[0]; // { column: "Sex", value: "female", contribution: 0.21 }
   */
  explain(record: RawRecord, options: ExplainOptions = {}): ExplainedPrediction {
    const warnings: string[] = [];
    const row = this.preprocessor.transformRecord(record, undefined, warnings);
    const { explanation, mean } = this.explainer.explainWithMean(row, record, options);
    const probability = this.probabilityOf(mean);
    const prediction = probability >= this.state.threshold ? 1 : 0;
    const negative = this.state.classes.find((c) => c !== this.state.positiveClass) as string;
    return { prediction, label: prediction ? this.state.positiveClass : negative, probability, warnings, explanation };
  }

  /**
   * `explain` for many records, the rows shared with worker threads when there are enough of them;
   * a record that does not fit the schema gets its FeatureError in its place (as `predictEachAsync`).
   * `options` apply to every record, or — one per record — each to its own (a service's requests
   * asking for different top k are still explained in one walk).
   */
  async explainEachAsync(
    records: readonly RawRecord[],
    options: ExplainOptions | readonly ExplainOptions[] = {},
    threads?: { threads?: number },
  ): Promise<(ExplainedPrediction | FeatureError)[]> {
    const optionsOf = (i: number): ExplainOptions => (isOptionList(options) ? (options[i] ?? {}) : options);
    const explainer = this.explainer;
    const errors = new Map<number, FeatureError>();
    const { X, warnings } = this.matrixOf(records, errors);
    const out = await explainer.explainMatrix(X, threads?.threads);
    const width = explainer.players + 1;
    const negative = this.state.classes.find((c) => c !== this.state.positiveClass) as string;
    let k = 0;
    return records.map((record, i) => {
      const error = errors.get(i);
      if (error) return error;
      const at = k * width;
      const mean = out[at + width - 1] as number;
      const explanation = explainer.explanationOf(out.subarray(at, at + width - 1), mean, record, optionsOf(i));
      const probability = this.probabilityOf(mean);
      const prediction = probability >= this.state.threshold ? 1 : 0;
      return { prediction, label: prediction ? this.state.positiveClass : negative, probability, warnings: warnings[k++] as string[], explanation };
    });
  }

  /**
   * Scores many raw records at once: the records become one column-major matrix, walked through the
   * forest by blocks of rows (see predictPackedRows). Same results as `predict`.
   */
  predictBatch(records: readonly RawRecord[]): Prediction[] {
    const { X, warnings } = this.matrixOf(records);
    return this.predictions(this.predictProba(X), warnings);
  }

  /** `predictBatch` with a large batch's rows shared with worker threads (see predictProbaAsync). */
  async predictBatchAsync(records: readonly RawRecord[], options: { threads?: number } = {}): Promise<Prediction[]> {
    const { X, warnings } = this.matrixOf(records);
    return this.predictions(await this.predictProbaAsync(X, options), warnings);
  }

  /**
   * `predictBatchAsync` for records that may not fit the schema: each such record gets its
   * FeatureError in its place, and the others are scored as usual (`pipe predict` writes both).
   */
  async predictEachAsync(records: readonly RawRecord[], options: { threads?: number } = {}): Promise<(Prediction | FeatureError)[]> {
    const errors = new Map<number, FeatureError>();
    const { X, warnings } = this.matrixOf(records, errors);
    const scored = this.predictions(await this.predictProbaAsync(X, options), warnings);
    let k = 0;
    return records.map((_, i) => errors.get(i) ?? (scored[k++] as Prediction));
  }

  /** The records' preprocessed matrix; with `errors`, a record that throws a FeatureError is left out and its error kept there. */
  private matrixOf(records: readonly RawRecord[], errors?: Map<number, FeatureError>): { X: Float64Array[]; warnings: string[][] } {
    const width = this.preprocessor.outputWidth;
    const X = Array.from({ length: width }, () => new Float64Array(records.length));
    const row = new Float64Array(width);
    const warnings: string[][] = [];
    records.forEach((record, i) => {
      const w: string[] = [];
      try {
        this.preprocessor.transformRecord(record, row, w);
      } catch (error) {
        if (!(errors && error instanceof FeatureError)) throw error;
        errors.set(i, error);
        return;
      }
      const at = warnings.length;
      for (let f = 0; f < width; f++) (X[f] as Float64Array)[at] = row[f] as number;
      warnings.push(w);
    });
    const n = warnings.length;
    return { X: n === records.length ? X : X.map((col) => col.subarray(0, n)), warnings };
  }

  private predictions(p: Float64Array, warnings: string[][]): Prediction[] {
    const negative = this.state.classes.find((c) => c !== this.state.positiveClass) as string;
    return Array.from(p, (probability, i) => {
      const prediction = probability >= this.state.threshold ? 1 : 0;
      return { prediction, label: prediction ? this.state.positiveClass : negative, probability, warnings: warnings[i] as string[] };
    });
  }

  /**
   * The model file text: the content, and a SHA-256 over the content's exact text (the reader checks
   * the bytes it reads, without serialising anything again).
   */
  serialize(): string {
    const body = JSON.stringify(this.content());
    return `${header(sha256(body))}${body}}\n`;
  }

  private content() {
    const s = this.state;
    const packed = s.linear ? null : encodeForest(s.forest.packedTrees());
    return {
      target: s.target,
      classes: s.classes,
      positive_class: s.positiveClass,
      threshold: s.threshold,
      features: this.featureSchema,
      ignored_fields: s.ignoredFields,
      calibration: s.calibration,
      preprocessing: s.preprocessing,
      ...(packed
        ? {
            forest: {
              params: s.forest.params,
              n_features: s.forest.nFeatures,
              feature_names: this.featureNames,
              importances: Array.from(s.forest.featureImportances),
              trees: s.forest.treeCount,
              packed,
            },
          }
        : { feature_names: this.featureNames }),
      training: s.training,
      ...(s.boosting ? { boosting: s.boosting } : {}),
      ...(s.linear ? { linear: s.linear } : {}),
      model_id: this.identity(packed),
      ...(s.driftReference ? { drift_reference: s.driftReference } : {}),
      ...(s.targetBins ? { target_bins: s.targetBins } : {}),
      ...(s.featureBins ? { feature_bins: s.featureBins } : {}),
      ...(s.dateOrders ? { date_orders: s.dateOrders } : {}),
      ...(s.numberForms ? { number_forms: s.numberForms } : {}),
    };
  }

  /**
   * Reads a model file (its text, or its bytes as read from disk: quicker, the checksum is taken on
   * them as they are); checks the format, version and checksum, and evaluates nothing.
   */
  static parse(text: string | Uint8Array, source = "model file"): PipeModel {
    const { content, checksum } = verified(text, source);
    try {
      // biome-ignore lint/suspicious/noExplicitAny: validated piecewise below
      const c = content as any;
      const forest = c.linear ? linearHolder(c.linear as LinearState) : new RandomForestClassifier(c.forest.params as ResolvedForestParams);
      if (c.linear) {
        // A logistic regression: no trees to read.
      } else if (typeof c.forest.trees === "number") {
        forest.featureImportances = Float64Array.from(c.forest.importances);
        forest.adoptPacked(decodeForest(c.forest.packed as StoredForest, c.forest.n_features, c.forest.trees), c.forest.n_features);
      } else {
        forest.featureImportances = Float64Array.from(c.forest.importances);
        forest.nFeatures = c.forest.n_features;
        forest.trees = (c.forest.trees as Record<string, string>[]).map(
          (t, i): FlatTree => ({
            feature: decodeTyped(t.feature, Int32Array, `tree ${i} features`),
            threshold: decodeTyped(t.threshold, Float64Array, `tree ${i} thresholds`),
            left: decodeTyped(t.left, Int32Array, `tree ${i} left`),
            right: decodeTyped(t.right, Int32Array, `tree ${i} right`),
            value: decodeTyped(t.value, Float64Array, `tree ${i} values`),
          }),
        );
      }
      const model = new PipeModel({
        target: c.target,
        classes: c.classes,
        positiveClass: c.positive_class,
        threshold: c.threshold,
        preprocessing: c.preprocessing,
        forest,
        calibration: c.calibration ?? null,
        training: c.training,
        // Files written before the model kept them know only the target.
        ignoredFields: Array.isArray(c.ignored_fields) ? c.ignored_fields : [{ name: c.target, reason: "the target" }],
        driftReference: c.drift_reference ?? null,
        targetBins: c.target_bins ?? null,
        featureBins: c.feature_bins ?? null,
        dateOrders: c.date_orders ?? null,
        numberForms: c.number_forms ?? null,
        boosting: c.boosting ?? null,
        linear: c.linear ?? null,
      });
      model.version = (typeof c.model_id === "string" && /^[0-9a-f]{64}$/.test(c.model_id) ? c.model_id : checksum).slice(0, 12);
      return model;
    } catch (error) {
      if (error instanceof ModelError) throw error;
      throw new ModelFileError(`${source} has the right checksum but not the expected content; train again with \`pipe train\``);
    }
  }
}

/**
 * The empty forest a logistic regression's state holds in place of trees (so what reads a model's
 * importances and width reads them the same way), with the linear model's importances.
 */
export function linearHolder(linear: LinearState): RandomForestClassifier {
  const forest = new RandomForestClassifier({ nEstimators: 1 });
  forest.trees = [];
  forest.nFeatures = linear.mean.length;
  forest.featureImportances = Float64Array.from(linear.importances);
  return forest;
}

/** What a model file of the current version starts with, up to its content. */
function header(checksum: string): string {
  return `{"format":"${MODEL_FORMAT}","format_version":${MODEL_FORMAT_VERSION},"checksum":"${checksum}","content":`;
}

const CURRENT = /^\{"format":"pipe-model","format_version":(\d+),"checksum":"([0-9a-f]{64})","content":/;

/**
 * A model file's content once its format, version and checksum hold. A current file is checked on
 * the bytes of its content as they stand in the file (then only the content is parsed); a version 1
 * file, whose checksum is over its content serialised again, the way it was written.
 */
function verified(file: string | Uint8Array, source: string): { content: unknown; checksum: string } {
  const bytes = typeof file === "string" ? undefined : Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const head = CURRENT.exec(typeof file === "string" ? file : (bytes as Buffer).toString("latin1", 0, 160));
  const size = bytes ? bytes.length : file.length;
  const last = (k: number) => (bytes ? bytes[size - k] : (file as string).charCodeAt(size - k));
  if (head && head[1] === String(MODEL_FORMAT_VERSION)) {
    const end = last(1) === 0x0a && last(2) === 0x7d ? size - 2 : last(1) === 0x7d ? size - 1 : -1;
    const start = head[0].length;
    // A file cut short ends in the middle of its content, not with the document's closing brace.
    if (end <= start) throw new ModelFileError(`${source} is not valid JSON (truncated or damaged); train again with \`pipe train\``);
    const body = bytes ? bytes.subarray(start, end) : (file as string).slice(start, end);
    const checksum = head[2] as string;
    if (sha256(body) !== checksum) throw new ModelFileError(`${source} fails its checksum: it was edited or damaged; train again with \`pipe train\``);
    try {
      if (typeof body === "string") return { content: JSON.parse(body), checksum };
      // The forest's streams stay bytes of the file, decoded as they are read (see separateStreams).
      const { text, streams } = separateStreams(body);
      const content = JSON.parse(text);
      const packed = content?.forest?.packed;
      for (const [key, stream] of streams) packed[key] = stream;
      return { content, checksum };
    } catch {
      throw new ModelFileError(`${source} is not valid JSON (truncated or damaged); train again with \`pipe train\``);
    }
  }
  const text = bytes ? bytes.toString("utf8") : (file as string);
  let doc: { format?: unknown; format_version?: unknown; checksum?: unknown; content?: unknown };
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ModelFileError(`${source} is not valid JSON (truncated or damaged); train again with \`pipe train\``);
  }
  if (!doc || typeof doc !== "object" || doc.format !== MODEL_FORMAT) {
    throw new ModelFileError(`${source} is not a pipe model file; train one with \`pipe train\``);
  }
  if (doc.format_version !== 1 && doc.format_version !== MODEL_FORMAT_VERSION) {
    throw new ModelFileError(
      `${source} has format version ${String(doc.format_version)}, this pipe reads versions 1 and ${MODEL_FORMAT_VERSION}; train the model again with this version`,
    );
  }
  // Version 1 checksums its content serialised again; a version 2 file that did not match the header
  // above was reformatted, and its checksum is over the text as written.
  const body = doc.format_version === 1 ? JSON.stringify(doc.content) : "";
  if (typeof doc.checksum !== "string" || sha256(body) !== doc.checksum) {
    throw new ModelFileError(`${source} fails its checksum: it was edited or damaged; train again with \`pipe train\``);
  }
  return { content: doc.content, checksum: doc.checksum };
}

/** The SHA-256 of a text (UTF-8) or bytes, in hex: the model file's checksum, the data fingerprint. */
export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

export { FeatureError };

function isOptionList(options: ExplainOptions | readonly ExplainOptions[]): options is readonly ExplainOptions[] {
  return Array.isArray(options);
}
