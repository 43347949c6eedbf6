/**
 * Least-squares lines, in the two arithmetic forms the forecasters use. Both give the ordinary least-squares slope
 * b = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)² (e.g. Montgomery, Peck & Vining, "Introduction to Linear Regression Analysis",
 * §2.2); they differ in rounding, and each caller keeps the form its fitted numbers were tuned and benchmarked with.
 */

/** The centred sums of a line through the observed (non-NaN) points of y against their index t = 0, 1, …. */
export interface CentredLine {
  /** Observed points. */
  readonly n: number;
  readonly tMean: number;
  readonly yMean: number;
  /** Σ(t − t̄)². */
  readonly stt: number;
  /** Σ(t − t̄)(y − ȳ). */
  readonly sty: number;
}

/**
 * Two passes: the means first, then the centred sums (the stable form for long series). The slope is sty / stt
 * when stt > 0. With no observed point, the means are NaN and the sums 0.
 * @example centredLine(new Float64Array([1, 3, NaN, 7])) // => { n: 3, tMean: 1.3333, yMean: 3.6667, stt: 4.6667, sty: 9.3333 } (rounded)
 */
export function centredLine(y: Float64Array): CentredLine {
  let st = 0;
  let sy = 0;
  let n = 0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v === v) {
      st += t;
      sy += v;
      n++;
    }
  }
  const tMean = st / n;
  const yMean = sy / n;
  let stt = 0;
  let sty = 0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v === v) {
      stt += (t - tMean) * (t - tMean);
      sty += (t - tMean) * (v - yMean);
    }
  }
  return { n, tMean, yMean, stt, sty };
}

/**
 * One pass of raw sums, solved by the normal equations: slope (k·Σxy − Σx·Σy) / (k·Σx² − (Σx)²), intercept
 * (Σy − slope·Σx) / k. Returns undefined when the points do not determine a line (the denominator is not positive),
 * so that the caller states its own fallback.
 * @example lineFromSums(3, 3, 9, 5, 13) // points (0,1) (1,3) (2,5) => { slope: 2, intercept: 1 }
 */
export function lineFromSums(k: number, sx: number, sy: number, sxx: number, sxy: number): { slope: number; intercept: number } | undefined {
  const den = k * sxx - sx * sx;
  if (!(den > 0)) return undefined;
  const slope = (k * sxy - sx * sy) / den;
  return { slope, intercept: (sy - slope * sx) / k };
}
