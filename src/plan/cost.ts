/**
 * Cost of running nodes for a period: nodes × hours in the period × price per node-hour, with a committed
 * (reserved, savings-plan) share of the nodes priced at the committed rate and the rest on demand.
 * The committed count is ⌊share × nodes⌋: commitments are bought in whole nodes and never above what runs.
 */
export interface NodePrice {
  /** On-demand price per node-hour. */
  readonly hourly: number;
  /** Committed price per node-hour; undefined = no commitment possible (everything on demand). */
  readonly committedHourly: number | undefined;
}

export interface PeriodCost {
  readonly committedNodes: number;
  readonly onDemandNodes: number;
  /** In the model's currency. */
  readonly cost: number;
}

/**
 * @example periodCost(10, 720, { hourly: 0.2, committedHourly: 0.12 }, 0.5).cost // => 5×720×0.12 + 5×720×0.2 = 1152
 */
export function periodCost(nodes: number, hours: number, price: NodePrice, committedShare: number): PeriodCost {
  const committedNodes = price.committedHourly === undefined ? 0 : Math.floor(committedShare * nodes + 1e-9);
  const onDemandNodes = nodes - committedNodes;
  const cost = committedNodes * hours * (price.committedHourly ?? 0) + onDemandNodes * hours * price.hourly;
  return { committedNodes, onDemandNodes, cost };
}

/** Hours between two epoch-ms instants (a calendar month is 672 to 744 hours). */
export function hoursBetween(startMs: number, endMs: number): number {
  return (endMs - startMs) / 3_600_000;
}

/**
 * Cost of a period with `reserved` nodes paid at the committed rate (whether they run or not) and the rest of the
 * `nodes` running on demand.
 * @example reservedPeriodCost(10, 4, 720, { hourly: 0.2, committedHourly: 0.12 }).cost // => 4×720×0.12 + 6×720×0.2 = 1209.6
 */
export function reservedPeriodCost(nodes: number, reserved: number, hours: number, price: NodePrice): PeriodCost {
  const committedNodes = price.committedHourly === undefined ? 0 : reserved;
  const onDemandNodes = Math.max(0, nodes - committedNodes);
  const cost = committedNodes * hours * (price.committedHourly ?? 0) + onDemandNodes * hours * price.hourly;
  return { committedNodes, onDemandNodes, cost };
}
