// Every generated HTML file through the Nu Html Checker (npm vnu-jar, run
// with the system Java): no errors.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HERE, PUBLIC, assertNone, htmlFiles, skip, test } from './lib.mjs';

const JAR = path.join(HERE, 'node_modules/vnu-jar/build/dist/vnu.jar');

export async function run() {
  const name = 'vnu: every HTML file is valid (Nu Html Checker, errors only)';
  if (!fs.existsSync(JAR)) {
    skip(name, `${JAR} is missing (npm install in tests/browser failed?)`);
    return;
  }
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    skip(name, 'java is not installed (Debian default-jre-headless; make deps installs it)');
    return;
  }
  await test(`${name} (${htmlFiles().length} files)`, () => {
    const r = spawnSync('java', ['-jar', JAR, '--errors-only', '--skip-non-html', '--format', 'gnu', PUBLIC], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error) throw r.error;
    const lines = `${r.stdout}\n${r.stderr}`
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.replace(`${PUBLIC}/`, '').replace(/^"?file:\/\/?[^"]*?\/public\//, ''));
    if (r.status !== 0 && lines.length === 0) throw new Error(`vnu exited with status ${r.status} and said nothing`);
    assertNone(r.status === 0 ? [] : lines, 'validation errors', 60);
  });
}
