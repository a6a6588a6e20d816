/**
 * A design matrix stored by rows (CSR): row i's non-zero entries are `indices[indptr[i]..indptr[i+1])`
 * with `values` at the same places, column indices ascending. One-hot columns make most entries zero,
 * so a linear model's products cost what a row holds, not the matrix's width.
 */
export interface SparseRows {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** z = X·w + b for every row. */
export function linearScores(X: SparseRows, w: Float64Array, b: number, into: Float64Array = new Float64Array(X.rows)): Float64Array {
  const { indptr, indices, values } = X;
  for (let i = 0; i < X.rows; i++) {
    let z = b;
    for (let k = indptr[i] as number, end = indptr[i + 1] as number; k < end; k++) z += (values[k] as number) * (w[indices[k] as number] as number);
    into[i] = z;
  }
  return into;
}

/** out += Xᵀ·r (the gradient's data term). */
export function addTransposedProduct(X: SparseRows, r: Float64Array, out: Float64Array): void {
  const { indptr, indices, values } = X;
  for (let i = 0; i < X.rows; i++) {
    const ri = r[i] as number;
    if (ri === 0) continue;
    for (let k = indptr[i] as number, end = indptr[i + 1] as number; k < end; k++) {
      const j = indices[k] as number;
      out[j] = (out[j] as number) + ri * (values[k] as number);
    }
  }
}

/** Builds a SparseRows from dense rows (tests and small inputs). */
export function sparseFromDense(rows: readonly (readonly number[])[]): SparseRows {
  const cols = rows[0]?.length ?? 0;
  const indptr = new Int32Array(rows.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  rows.forEach((row, i) => {
    row.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    });
    indptr[i + 1] = indices.length;
  });
  return { rows: rows.length, cols, indptr, indices: Int32Array.from(indices), values: Float64Array.from(values) };
}
