import type { LogisticObjective } from "./objective.js";

export interface SolverResult {
  theta: Float64Array;
  iterations: number;
  converged: boolean;
  /** Largest |∂f/∂θⱼ| at the solution. */
  gradientNorm: number;
}

export interface SolverOptions {
  maxIter: number;
  /** Stop once the largest gradient entry is at most tol × (1 + |f|): the loss is then flat to rounding. */
  tol: number;
}

const ARMIJO = 1e-4;
/** Relative resolution of the loss: a sum of n terms carries rounding of about n·ε, far below this. */
const ROUNDING = 1e-12;

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Newton's method with a backtracking line search: each step solves H·d = ∇f by Cholesky. Converges
 * quadratically, so a handful of steps reach the optimum to rounding; used when the Hessian is cheap
 * (one-hot data with tens to a few hundred columns).
 */
export function newton(f: LogisticObjective, options: SolverOptions): SolverResult {
  const m = f.dim;
  let theta = new Float64Array(m);
  let value = f.value(theta);
  const grad = new Float64Array(m);
  let next = new Float64Array(m);
  let iterations = 0;
  let finalSteps = 0;
  for (; iterations < options.maxIter; iterations++) {
    f.gradient(theta, grad);
    const g = maxAbs(grad);
    if (g <= options.tol * (1 + Math.abs(value)) || finalSteps >= 2) return { theta, iterations, converged: true, gradientNorm: g };
    const step = solveSpd(f.hessian(), grad, m);
    // The Newton decrement: the decrease a full step promises on the quadratic model.
    const decrement = dot(grad, step);
    let t = 1;
    let nextValue = Number.POSITIVE_INFINITY;
    if (decrement / 2 <= ROUNDING * (1 + Math.abs(value))) {
      // Closer to the optimum than f can resolve: the loss cannot tell steps apart any more, the
      // quadratic model is exact to second order, so take the full step (twice at most).
      for (let j = 0; j < m; j++) next[j] = (theta[j] as number) - (step[j] as number);
      nextValue = f.value(next);
      finalSteps++;
    } else {
      for (let halvings = 0; halvings < 60; halvings++) {
        for (let j = 0; j < m; j++) next[j] = (theta[j] as number) - t * (step[j] as number);
        nextValue = f.value(next);
        if (nextValue <= value - ARMIJO * t * decrement) break;
        t /= 2;
      }
      if (!(nextValue <= value)) {
        f.value(theta);
        f.gradient(theta, grad);
        return { theta, iterations, converged: maxAbs(grad) <= options.tol * (1 + Math.abs(value)), gradientNorm: maxAbs(grad) };
      }
    }
    [theta, next] = [next, theta];
    value = nextValue;
  }
  f.value(theta);
  f.gradient(theta, grad);
  const g = maxAbs(grad);
  return { theta, iterations, converged: g <= options.tol * (1 + Math.abs(value)), gradientNorm: g };
}

/** Solves A·x = b for a symmetric positive definite A (row-major, m × m) by Cholesky; A is overwritten. */
export function solveSpd(A: Float64Array, b: Float64Array, m: number): Float64Array {
  // A tiny ridge keeps a factor possible when a column is all zero (a level absent from these rows).
  let jitter = 0;
  for (let attempt = 0; attempt < 8; attempt++) {
    const L = Float64Array.from(A);
    if (jitter > 0) for (let j = 0; j < m; j++) L[j * m + j] = (L[j * m + j] as number) + jitter;
    if (cholesky(L, m)) return cholSolve(L, b, m);
    jitter = jitter === 0 ? 1e-10 : jitter * 100;
  }
  throw new Error("the Hessian is not positive definite");
}

function cholesky(L: Float64Array, m: number): boolean {
  for (let j = 0; j < m; j++) {
    const rj = j * m;
    let d = L[rj + j] as number;
    for (let k = 0; k < j; k++) d -= (L[rj + k] as number) ** 2;
    if (!(d > 0)) return false;
    const djj = Math.sqrt(d);
    L[rj + j] = djj;
    for (let i = j + 1; i < m; i++) {
      const ri = i * m;
      let s = L[ri + j] as number;
      for (let k = 0; k < j; k++) s -= (L[ri + k] as number) * (L[rj + k] as number);
      L[ri + j] = s / djj;
    }
  }
  return true;
}

function cholSolve(L: Float64Array, b: Float64Array, m: number): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < m; i++) {
    let s = x[i] as number;
    for (let k = 0; k < i; k++) s -= (L[i * m + k] as number) * (x[k] as number);
    x[i] = s / (L[i * m + i] as number);
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < m; k++) s -= (L[k * m + i] as number) * (x[k] as number);
    x[i] = s / (L[i * m + i] as number);
  }
  return x;
}

/**
 * Limited-memory BFGS (ten correction pairs, two-loop recursion) with a backtracking Armijo search:
 * each step costs two passes over the non-zeros, for data too wide for a Hessian.
 */
export function lbfgs(f: LogisticObjective, options: SolverOptions, memory = 10): SolverResult {
  const m = f.dim;
  let theta = new Float64Array(m);
  let value = f.value(theta);
  let grad = f.gradient(theta);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  let iterations = 0;
  for (; iterations < options.maxIter; iterations++) {
    const g = maxAbs(grad);
    if (g <= options.tol * (1 + Math.abs(value))) return { theta, iterations, converged: true, gradientNorm: g };
    // Direction d = −H·∇f from the stored pairs.
    const d = Float64Array.from(grad, (x) => -x);
    for (let k = S.length - 1; k >= 0; k--) {
      const a = (rho[k] as number) * dot(S[k] as Float64Array, d);
      alpha[k] = a;
      const yk = Y[k] as Float64Array;
      for (let j = 0; j < m; j++) d[j] = (d[j] as number) - a * (yk[j] as number);
    }
    const last = S.length - 1;
    const gamma =
      last >= 0 ? dot(S[last] as Float64Array, Y[last] as Float64Array) / dot(Y[last] as Float64Array, Y[last] as Float64Array) : 1 / Math.max(1, g);
    for (let j = 0; j < m; j++) d[j] = (d[j] as number) * gamma;
    for (let k = 0; k < S.length; k++) {
      const b = (rho[k] as number) * dot(Y[k] as Float64Array, d);
      const sk = S[k] as Float64Array;
      const a = alpha[k] as number;
      for (let j = 0; j < m; j++) d[j] = (d[j] as number) + (a - b) * (sk[j] as number);
    }
    let slope = dot(grad, d);
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): restart from the gradient.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let j = 0; j < m; j++) d[j] = -(grad[j] as number) / Math.max(1, g);
      slope = dot(grad, d);
    }
    let t = 1;
    const next = new Float64Array(m);
    let nextValue = Number.POSITIVE_INFINITY;
    for (let halvings = 0; halvings < 60; halvings++) {
      for (let j = 0; j < m; j++) next[j] = (theta[j] as number) + t * (d[j] as number);
      nextValue = f.value(next);
      if (nextValue <= value + ARMIJO * t * slope) break;
      t /= 2;
    }
    if (!(nextValue < value)) {
      f.value(theta);
      return { theta, iterations, converged: true, gradientNorm: maxAbs(f.gradient(theta)) };
    }
    const nextGrad = f.gradient(next);
    const s = Float64Array.from(next, (x, j) => x - (theta[j] as number));
    const yv = Float64Array.from(nextGrad, (x, j) => x - (grad[j] as number));
    const sy = dot(s, yv);
    if (sy > 1e-12 * dot(yv, yv)) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(yv);
      rho.push(1 / sy);
    }
    theta = next;
    value = nextValue;
    grad = nextGrad;
  }
  const g = maxAbs(grad);
  return { theta, iterations, converged: g <= options.tol * (1 + Math.abs(value)), gradientNorm: g };
}
