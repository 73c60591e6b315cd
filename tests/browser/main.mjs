// Entry point of the browser tests (tests/browser/run.sh runs it): the
// static link check, the Nu Html Checker, then the tests in Chromium.
// Prints one line per test and closes with "N passed, N failed".
// BROWSER_TEST_FILTER=regex runs the matching tests only.
import { summary, test } from './lib.mjs';
import * as links from './links.mjs';
import * as reader from './reader.mjs';
import * as calm from './calm.mjs';
import * as host from './host.mjs';
import * as pages from './pages.mjs';
import * as search from './search.mjs';
import * as vnu from './vnu.mjs';

const suites = [links, vnu, reader, calm, host, pages, search];
for (const s of suites) {
  try {
    await s.run();
  } catch (err) {
    await test(`suite error`, () => {
      throw err;
    });
  }
}
process.exitCode = summary() ? 0 : 1;
