import type { DemoServer } from './server.js';

/** The lines serve-demo prints on start: where it listens and its theoretical capacity per endpoint (requests/s). */
export function formatDemoBanner(server: Pick<DemoServer, 'url' | 'config' | 'capacities'> & { readonly faultControl?: boolean }): string {
  const { workers, ioPool, cores } = server.config;
  const lines = [
    `serve-demo listening on ${server.url} (workers ${workers}, I/O pool ${ioPool}, ${cores} cores)`,
    'theoretical capacity per endpoint (requests/s at utilisation 1):',
  ];
  const w = Math.max(...server.capacities.map((c) => c.path.length));
  for (const c of server.capacities) {
    lines.push(`  ${c.path.padEnd(w)}  ${c.capacity.toFixed(1).padStart(8)}/s  bound by ${c.bottleneck}`);
  }
  lines.push('  /health answers at once; stop with Ctrl-C');
  if (server.faultControl === true) lines.push('fault control on: POST/DELETE /_fault from this machine only (headroom drill)');
  return lines.join('\n') + '\n';
}
