/**
 * a / b, or NaN when there is nothing to divide by (no time, no requests): a measured ratio over an empty window is
 * unknown, not zero. Used by the results and the series alike.
 */
export const div = (a: number, b: number): number => (b > 0 ? a / b : NaN);
