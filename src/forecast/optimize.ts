/**
 * Nelder–Mead simplex minimiser (Nelder & Mead 1965, "A simplex method for function minimization", Computer Journal
 * 7(4)), with the standard coefficients (reflection 1, expansion 2, contraction 0.5, shrink 0.5) and the
 * ordering/tie-breaking of Lagarias et al. 1998 (SIAM J. Optim. 9(1)). Small and allocation-light: the ETS, Theta and
 * logistic fits have 1–6 parameters, and they map bounded parameters onto the real line themselves.
 */
export interface NelderMeadOptions {
  /** Initial step per coordinate (default 0.5 for each). */
  readonly step?: number | readonly number[];
  /** Stop when the best and worst simplex values differ by less than this, relatively (default 1e-8). */
  readonly tolerance?: number;
  /** Maximum objective evaluations (default 200 × dimensions). */
  readonly maxEvaluations?: number;
}

export interface NelderMeadResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly evaluations: number;
}

export function nelderMead(f: (x: Float64Array) => number, x0: ArrayLike<number>, options: NelderMeadOptions = {}): NelderMeadResult {
  const d = x0.length;
  const tol = options.tolerance ?? 1e-8;
  const maxEval = options.maxEvaluations ?? 200 * d;
  const step = options.step ?? 0.5;
  // simplex: d+1 vertices of d coordinates, stored row-wise
  const pts = new Float64Array((d + 1) * d);
  const vals = new Float64Array(d + 1);
  const order = new Int32Array(d + 1);
  const centroid = new Float64Array(d);
  const xr = new Float64Array(d);
  const xe = new Float64Array(d);
  const xc = new Float64Array(d);
  let evals = 0;
  const evalAt = (x: Float64Array): number => {
    evals++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  for (let i = 0; i <= d; i++) {
    for (let j = 0; j < d; j++) {
      let x = x0[j]!;
      if (i === j + 1) x += typeof step === 'number' ? step : (step[j] ?? 0.5);
      pts[i * d + j] = x;
    }
    vals[i] = evalAt(pts.subarray(i * d, i * d + d));
    order[i] = i;
  }
  const sortOrder = (): void => {
    // insertion sort: d is tiny
    for (let i = 1; i <= d; i++) {
      const o = order[i]!;
      const v = vals[o]!;
      let j = i - 1;
      while (j >= 0 && vals[order[j]!]! > v) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = o;
    }
  };
  while (evals < maxEval) {
    sortOrder();
    const best = order[0]!;
    const worst = order[d]!;
    const second = order[d - 1]!;
    const fb = vals[best]!;
    const fw = vals[worst]!;
    if (Math.abs(fw - fb) <= tol * (Math.abs(fb) + tol) && Number.isFinite(fw)) break;
    centroid.fill(0);
    for (let i = 0; i < d; i++) {
      const o = order[i]!;
      for (let j = 0; j < d; j++) centroid[j]! += pts[o * d + j]! / d;
    }
    const w = worst * d;
    for (let j = 0; j < d; j++) xr[j] = centroid[j]! + (centroid[j]! - pts[w + j]!);
    const fr = evalAt(xr);
    if (fr < fb) {
      for (let j = 0; j < d; j++) xe[j] = centroid[j]! + 2 * (centroid[j]! - pts[w + j]!);
      const fe = evalAt(xe);
      if (fe < fr) {
        pts.set(xe, w);
        vals[worst] = fe;
      } else {
        pts.set(xr, w);
        vals[worst] = fr;
      }
      continue;
    }
    if (fr < vals[second]!) {
      pts.set(xr, w);
      vals[worst] = fr;
      continue;
    }
    // contraction: outside if the reflection improved on the worst, inside otherwise
    const outside = fr < fw;
    for (let j = 0; j < d; j++) {
      xc[j] = outside ? centroid[j]! + 0.5 * (xr[j]! - centroid[j]!) : centroid[j]! + 0.5 * (pts[w + j]! - centroid[j]!);
    }
    const fc = evalAt(xc);
    if (fc < (outside ? fr : fw)) {
      pts.set(xc, w);
      vals[worst] = fc;
      continue;
    }
    // shrink towards the best vertex
    const b = best * d;
    for (let i = 0; i <= d; i++) {
      if (i === best) continue;
      for (let j = 0; j < d; j++) pts[i * d + j] = pts[b + j]! + 0.5 * (pts[i * d + j]! - pts[b + j]!);
      vals[i] = evalAt(pts.subarray(i * d, i * d + d));
    }
  }
  sortOrder();
  const b = order[0]!;
  return { x: pts.slice(b * d, b * d + d), value: vals[b]!, evaluations: evals };
}

/** Logistic map of the real line onto (lo, hi), for bounded parameters under an unconstrained optimiser. */
export function squash(x: number, lo: number, hi: number): number {
  return lo + (hi - lo) / (1 + Math.exp(-x));
}

/** Inverse of `squash`. */
export function unsquash(y: number, lo: number, hi: number): number {
  const p = Math.min(1 - 1e-9, Math.max(1e-9, (y - lo) / (hi - lo)));
  return Math.log(p / (1 - p));
}
