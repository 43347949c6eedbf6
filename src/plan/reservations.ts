/**
 * Commitments as reservations, the way 1- and 3-year reserved instances and savings plans are bought: a count of
 * nodes for a term, starting on a date, paid at the committed rate whether they run or not; nodes above it run on
 * demand.
 *
 * Per service, a tranche starts with the plan and one more every term after it. A tranche's count is the smaller of
 * - the scenario's share of the planned count at the tranche's start (rounded down), and
 * - the largest count the plan runs for at least the break-even fraction of the term (committed price over on-demand
 *   price, hours-weighted): a reserved node that runs less than that costs more than on demand.
 * The count stays the same for the whole term, unlike a share recomputed every period.
 */
export interface Reservation {
  /** Index and label of the period the tranche starts in. */
  readonly startPeriodIndex: number;
  readonly startPeriod: string;
  readonly startMs: number;
  readonly termMonths: number;
  readonly nodes: number;
  /** Committed price per node-hour at the start (with the variant's price factor). */
  readonly committedHourlyPrice: number;
  /** Fraction of the term the nodes must run for the tranche to pay off (committed / on-demand price). */
  readonly breakEven: number;
}

export interface ReservationPeriod {
  readonly hours: number;
  readonly startMs: number;
  readonly label: string;
  /** Nodes the plan runs in the period. */
  readonly planned: number;
  readonly hourly: number;
  readonly committedHourly: number | undefined;
}

/**
 * The tranches for one service over the plan's periods.
 * @param share the most of the planned count at a tranche's start to reserve (0 = no reservations)
 * @param termPeriods the term in periods (12 months = 12 monthly or 4 quarterly periods)
 * @example planned 10 nodes every month, share 50%, term 12: one tranche of 5 nodes from the first month.
 */
export function planReservations(periods: readonly ReservationPeriod[], share: number, termMonths: number, termPeriods: number): Reservation[] {
  const out: Reservation[] = [];
  if (share <= 0) return out;
  for (let start = 0; start < periods.length; start += termPeriods) {
    const first = periods[start]!;
    if (first.committedHourly === undefined || !(first.hourly > 0)) continue;
    const term = periods.slice(start, start + termPeriods);
    const breakEven = first.committedHourly / first.hourly;
    const byShare = Math.floor(share * first.planned + 1e-9);
    const termHours = term.reduce((a, p) => a + p.hours, 0);
    // The largest count that runs for at least breakEven of the term's hours (the hours-weighted quantile).
    let pays = 0;
    for (let c = byShare; c >= 1; c--) {
      const runs = term.reduce((a, p) => a + (p.planned >= c ? p.hours : 0), 0);
      if (runs >= breakEven * termHours) {
        pays = c;
        break;
      }
    }
    const nodes = Math.min(byShare, pays);
    if (nodes >= 1) {
      out.push({ startPeriodIndex: start, startPeriod: first.label, startMs: first.startMs, termMonths, nodes, committedHourlyPrice: first.committedHourly, breakEven });
    }
  }
  return out;
}

/** Nodes reserved in each period (the tranche in force). */
export function reservedByPeriod(reservations: readonly Reservation[], periods: number, termPeriods: number): number[] {
  const out = new Array<number>(periods).fill(0);
  for (const r of reservations) for (let i = r.startPeriodIndex; i < Math.min(periods, r.startPeriodIndex + termPeriods); i++) out[i] = r.nodes;
  return out;
}
