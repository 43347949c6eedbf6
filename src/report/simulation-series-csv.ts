/** The per-interval series of a simulation as CSV (`headroom simulate --series file.csv`). */
import type { SeriesResult } from '../sim/types.js';

/** The series as CSV: one row per interval, t in seconds, counts per interval, times in seconds. */
export function simulationSeriesCsv(series: SeriesResult): string {
  const cols: Array<[string, readonly number[]]> = [
    ['t_s', series.t],
    ['endToEnd.arrivals', series.endToEnd.arrivals],
    ['endToEnd.completions', series.endToEnd.completions],
    ['endToEnd.failures', series.endToEnd.failures],
    ['endToEnd.meanResponse_s', series.endToEnd.meanResponse],
    ['endToEnd.inFlight', series.endToEnd.inFlight],
  ];
  for (const st of series.stations) {
    cols.push(
      [`${st.name}.arrivals`, st.arrivals],
      [`${st.name}.completions`, st.completions],
      [`${st.name}.drops`, st.drops],
      [`${st.name}.utilization`, st.utilization],
      [`${st.name}.meanQueueLength`, st.meanQueueLength],
      [`${st.name}.meanResponse_s`, st.meanResponse],
      [`${st.name}.nodes`, st.nodes],
    );
  }
  const lines = [cols.map(([h]) => h).join(',')];
  for (let k = 0; k < series.t.length; k++) lines.push(cols.map(([, v]) => (Number.isNaN(v[k]!) ? '' : String(v[k]))).join(','));
  return `${lines.join('\n')}\n`;
}
