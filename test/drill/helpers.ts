import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';

export const MODEL = join(import.meta.dirname, '../../models/serve-demo-drill.yaml');

/** A temporary directory with a drill file built from `body` (YAML after the common header), for a demo at `url`. */
export function drillFile(url: string, body: string, header: Partial<{ rate: string; duration: string; baseline: string; client: string }> = {}): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-drill-'));
  const file = join(dir, 'drill.yaml');
  writeFileSync(
    file,
    [
      `model: ${MODEL}`,
      'service: hold',
      `target: { url: "${url}/lock?ms=20&serial=0" }`,
      `load: { rate: ${header.rate ?? '120/s'}${header.client ? `, client: ${header.client}` : ''} }`,
      `duration: ${header.duration ?? '12s'}`,
      `baseline: ${header.baseline ?? '3s'}`,
      'hypothesis: { slo: { p99: 3s, maxErrors: 1% } }',
      'replicas: 4',
      body,
    ].join('\n') + '\n',
  );
  return { dir, file };
}

/** serve-demo's fault in force and its count of requests served (GET /_fault). */
export async function demoFault(url: string): Promise<{ fault: { workersDown: number; slowdown: number; errorShare: number; pause: boolean }; served: number }> {
  const r = await request(`${url}/_fault`);
  return (await r.body.json()) as never;
}
