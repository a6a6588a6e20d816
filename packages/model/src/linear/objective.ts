import { addTransposedProduct, linearScores, type SparseRows } from "./sparse-rows.js";

/**
 * The L2-penalised logistic loss that scikit-learn's `LogisticRegression(penalty="l2", C)` minimises,
 * written per unit of C:
 *
 *   f(w, b) = Σᵢ sᵢ·[log(1 + e^{zᵢ}) − yᵢ·zᵢ] + ‖w‖² / (2C),   zᵢ = xᵢ·w + b,
 *
 * with sample weights sᵢ (1 unless class weights are asked for). The intercept b is not penalised.
 * Parameters are packed as θ = [w₀ … w_{p−1}, b].
 */
export class LogisticObjective {
  readonly dim: number;
  private readonly z: Float64Array;
  private readonly r: Float64Array;

  constructor(
    readonly X: SparseRows,
    readonly y: Uint8Array,
    readonly weights: Float64Array,
    readonly C: number,
  ) {
    this.dim = X.cols + 1;
    this.z = new Float64Array(X.rows);
    this.r = new Float64Array(X.rows);
  }

  /** f(θ); fills the scores z for a following `gradient` call at the same θ. */
  value(theta: Float64Array): number {
    const p = this.X.cols;
    const z = linearScores(this.X, theta.subarray(0, p), theta[p] as number, this.z);
    let loss = 0;
    for (let i = 0; i < z.length; i++) {
      const zi = z[i] as number;
      loss += (this.weights[i] as number) * (log1pExp(zi) - (this.y[i] as number) * zi);
    }
    let penalty = 0;
    for (let j = 0; j < p; j++) penalty += (theta[j] as number) ** 2;
    return loss + penalty / (2 * this.C);
  }

  /** ∇f(θ) at the θ of the last `value` call. */
  gradient(theta: Float64Array, into = new Float64Array(this.dim)): Float64Array {
    const p = this.X.cols;
    let rSum = 0;
    for (let i = 0; i < this.r.length; i++) {
      const ri = (this.weights[i] as number) * (sigmoid(this.z[i] as number) - (this.y[i] as number));
      this.r[i] = ri;
      rSum += ri;
    }
    into.fill(0);
    addTransposedProduct(this.X, this.r, into);
    for (let j = 0; j < p; j++) into[j] = (into[j] as number) + (theta[j] as number) / this.C;
    into[p] = rSum;
    return into;
  }

  /**
   * The Hessian at the θ of the last `value` call, dense and row-major (upper and lower halves):
   * Σᵢ sᵢ·σ(zᵢ)(1 − σ(zᵢ))·x̃ᵢx̃ᵢᵀ + diag(1/C, …, 1/C, 0), with x̃ᵢ = [xᵢ, 1].
   */
  hessian(): Float64Array {
    const m = this.dim;
    const p = m - 1;
    const H = new Float64Array(m * m);
    const { indptr, indices, values } = this.X;
    for (let i = 0; i < this.X.rows; i++) {
      const s = sigmoid(this.z[i] as number);
      const h = (this.weights[i] as number) * s * (1 - s);
      if (h === 0) continue;
      const start = indptr[i] as number;
      const end = indptr[i + 1] as number;
      for (let a = start; a < end; a++) {
        const ja = indices[a] as number;
        const va = h * (values[a] as number);
        const row = ja * m;
        for (let b = a; b < end; b++) {
          const at = row + (indices[b] as number);
          H[at] = (H[at] as number) + va * (values[b] as number);
        }
        H[row + p] = (H[row + p] as number) + va;
      }
      H[p * m + p] = (H[p * m + p] as number) + h;
    }
    // Mirror the upper triangle (columns within a row are ascending, so only a ≤ b was filled).
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) H[b * m + a] = H[a * m + b] as number;
    for (let j = 0; j < p; j++) H[j * m + j] = (H[j * m + j] as number) + 1 / this.C;
    return H;
  }

  /** Flops of one Hessian (Σ nnzᵢ²/2 + m³/3 for its Cholesky factor): decides between Newton and L-BFGS. */
  hessianCost(): number {
    let cost = 0;
    for (let i = 0; i < this.X.rows; i++) {
      const nnz = (this.X.indptr[i + 1] as number) - (this.X.indptr[i] as number) + 1;
      cost += (nnz * nnz) / 2;
    }
    return cost + this.dim ** 3 / 3;
  }
}

/** log(1 + eˣ) without overflow for large x or lost digits for very negative x. */
export function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** 1 / (1 + e⁻ˣ), stable for either sign. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
