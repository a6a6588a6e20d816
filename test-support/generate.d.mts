/** A seeded generator of floats in [0, 1). */
export declare function seeded(seed: number): () => number;
/** Survey answers: n people, 8 multiple-choice answers and `satisfied` yes/no (CSV text with a header). */
export declare function survey(n?: number, seed?: number): string;
/** Loan applications: n rows of skewed, missing and categorical values and `default` 0/1 (CSV text). */
export declare function credit(n?: number, seed?: number): string;
