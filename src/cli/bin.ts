/**
 * The installed `headroom` command (package.json `bin`, bundled by scripts/bundle-cli.ts into dist/bin/headroom.js):
 * the CLI bundle beside it, loaded from its code cache (launcher.ts).
 */
import { loadCli } from './launcher.js';

void loadCli().main(process.argv.slice(2));
