// Copies files tsc does not emit into dist/: hand-written declarations, and the gateway's page
// (plain HTML/CSS/JS served as they are).
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const file of ['src/entry/core-bytes.d.ts', 'src/gateway/page/index.html', 'src/gateway/page/page.css', 'src/gateway/page/page.js']) {
  mkdirSync(dirname(join(root, 'dist', file)), { recursive: true });
  copyFileSync(join(root, file), join(root, 'dist', file));
}
