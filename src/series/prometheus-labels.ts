/** Label selections as typed on the command line (`--select service=api,zone=a`). Free of dependencies. */

/**
 * `service=api,zone=a` → { service: 'api', zone: 'a' } for a `--select` flag; undefined when malformed. Values may
 * be quoted ("a,b") to hold commas.
 */
export function parseLabelSelection(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*?))\s*(?:,|$)/y;
  let pos = 0;
  const s = text.trim();
  if (s === '') return undefined;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || re.lastIndex === pos) return undefined;
    out[m[1]!] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
    pos = re.lastIndex;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
