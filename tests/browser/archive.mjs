// The offline archive in Chromium: `dossier build --archive` unpacked into a
// temporary folder (DOSSIER_PUBLIC, set by archive.sh), opened from file://:
// the home page and a search that finds an entity, with no script error or
// failed load.
import assert from 'node:assert/strict';
import { test, summary, launch, openPage, fileUrl, assertNone } from './lib.mjs';

const { ctx, close } = await launch();
try {
  await test('archive: the unpacked home page opens from file://', async () => {
    const page = await openPage(ctx);
    await page.goto(fileUrl('index.html'));
    assert.match(await page.title(), /Dossier/);
    assert.equal(await page.locator('p.download').count(), 0, 'the copy inside the zip links to no zip');
    assertNone(page.problems(), 'problems on the home page');
    await page.close();
  });
  await test('archive: search works from file:// in the unpacked copy', async () => {
    const page = await openPage(ctx);
    await page.goto(fileUrl('search.html', '?q=Zschaepitz'));
    const hit = page.locator('main a[href*="zschaepitz"]').first();
    await hit.waitFor({ timeout: 10000 });
    await hit.click();
    await page.waitForLoadState('load');
    assert.match(page.url(), /^file:.*zschaepitz\.html/);
    assertNone(page.problems(), 'problems while searching');
    await page.close();
  });
} finally {
  await close();
}
process.exit(summary() ? 0 : 1);
