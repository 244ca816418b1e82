// page.test.mjs — the archive page in Debian's headless Chromium, driven by playwright-core:
// search as a reader would, facets, pagination, hostile queries, JavaScript off, a phone screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const tracuu = process.env.TRACUU;
const shared = process.env.TRACUU_SHARED;
const artifacts = process.env.TRACUU_ARTIFACTS || join(tmpdir(), 'tracuu-e2e-artifacts');
const work = mkdtempSync(join(tmpdir(), 'tracuu-e2e-'));
let daemon, base, browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  execFileSync(tracuu, ['index', '--progress', 'never', '--db', join(work, 'db'),
    join(shared, 'corpus/vnnews-sample-2k.jsonl.gz'), join(shared, 'seed/000_21e35f31858b3384.txt')], { stdio: 'ignore' });
  daemon = spawn(tracuu, ['serve', '--db', join(work, 'db'), '--listen', '127.0.0.1:0', '--threads', '4'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  base = await new Promise((resolve, reject) => {
    let log = '';
    daemon.stderr.on('data', (d) => {
      log += d;
      const m = log.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    daemon.on('exit', () => reject(new Error('daemon exited: ' + log)));
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  daemon?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

async function newPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  return { page, dialogs, context };
}

test('typing an unaccented query shows highlighted results and a suggestion', async () => {
  const { page, context } = await newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(base + '/');
  await page.getByLabel('Từ khóa').fill('cong tac can bo');
  await page.getByLabel('Từ khóa').press('Enter');
  await page.waitForURL(/q=cong\+tac\+can\+bo/);
  const hits = page.locator('article.hit');
  assert.ok(await hits.count() >= 5, 'a page of results');
  assert.ok(await page.locator('article.hit mark').count() > 0, 'matches are highlighted');
  assert.match(await page.locator('.suggest').innerText(), /Có phải bạn muốn tìm: công tác cán bộ/);
  assert.match(await hits.first().locator('h2').innerText(), /công tác cán bộ/i);
  assert.ok(await page.locator('.timeline svg rect').count() > 0, 'the timeline is drawn');
  await page.screenshot({ path: join(artifacts, 'search-desktop.png'), fullPage: true });
  await context.close();
});

test('a misspelt query shows the corrected one, and a link searches it as typed', async () => {
  const { page, context } = await newPage();
  await page.goto(base + '/');
  await page.getByLabel('Từ khóa').fill('thu tuongg');
  await page.getByLabel('Từ khóa').press('Enter');
  await page.waitForURL(/q=thu\+tuongg/);
  assert.match(await page.locator('.suggest').innerText(), /Đang hiện kết quả cho Thủ tướng/);
  assert.match(await page.locator('article.hit h2').first().innerText(), /Thủ tướng/);
  await page.getByRole('link', { name: /Vẫn tìm đúng “thu tuongg”/ }).click();
  await page.waitForURL(/as_typed=1/);
  assert.match(await page.locator('.suggest').innerText(), /Có phải bạn muốn tìm: Thủ tướng/);
  assert.match(await page.locator('.notice').first().innerText(), /Không bài nào có đủ mọi chữ/);
  await context.close();
});

test('clicking a facet filters the results', async () => {
  const { page, context } = await newPage();
  await page.goto(base + '/?q=viet+nam');
  const total = async () => Number((await page.locator('.results > p.meta').innerText()).match(/(\d+)/)[1]);
  const before = await total();
  const facet = page.locator('section.facet', { hasText: 'Chuyên mục' }).locator('a').first();
  const name = await facet.innerText();
  await facet.click();
  await page.waitForURL(/category=/);
  assert.match(await page.locator('.filters').innerText(), new RegExp('Chuyên mục: ' + name));
  const after = await total();
  assert.ok(after < before, `the facet narrows the results (${after} < ${before})`);
  for (const meta of await page.locator('article.hit .meta').allInnerTexts())
    assert.match(meta, new RegExp(name));
  await context.close();
});

test('pagination moves to the next page and back', async () => {
  const { page, context } = await newPage();
  await page.goto(base + '/?q=viet+nam');
  const first = await page.locator('article.hit h2').first().innerText();
  await page.getByRole('link', { name: /Trang sau/ }).click();
  await page.waitForURL(/page=2/);
  assert.match(await page.locator('nav.pager').innerText(), /Trang 2 \//);
  assert.notEqual(await page.locator('article.hit h2').first().innerText(), first);
  await page.getByRole('link', { name: /Trang trước/ }).click();
  await page.waitForURL((u) => !/page=/.test(u.toString()));
  assert.equal(await page.locator('article.hit h2').first().innerText(), first);
  await context.close();
});

test('clicking a month of the timeline narrows the dates to it', async () => {
  const { page, context } = await newPage();
  await page.goto(base + '/?q=viet+nam');
  const bar = page.locator('section.timeline a').first();
  const month = (await bar.locator('title').textContent()).match(/^(\d\d)\/(\d{4}):/);
  await bar.click();
  await page.waitForURL(/from=/);
  assert.equal(await page.getByLabel('Từ ngày').inputValue(), `${month[2]}-${month[1]}-01`);
  assert.match(await page.getByLabel('Đến ngày').inputValue(), new RegExp(`^${month[2]}-${month[1]}-(28|29|30|31)$`));
  const dates = await page.locator('article.hit time').allInnerTexts();
  assert.equal(dates.length, await page.locator('article.hit').count(), 'every hit is dated');
  assert.ok(dates.length > 0);
  for (const date of dates)
    assert.match(date, new RegExp(`/${month[1]}/${month[2]}$`), 'every hit is from that month');
  await context.close();
});

test('an article opened from the results shows the words found and leads back to the same page', async () => {
  const { page, context } = await newPage();
  await page.goto(base + '/?q=viet+nam&sort=newest&page=2');
  await page.locator('article.hit h2 a').first().click();
  await page.waitForURL(/\/article\//);
  assert.ok(await page.locator('article.view mark').count() > 0, 'the query words are highlighted');
  await page.getByRole('link', { name: /Về kết quả tìm kiếm/ }).click();
  await page.waitForURL(/page=2/);
  assert.match(page.url(), /q=viet%20nam/);
  assert.match(page.url(), /sort=newest/);
  assert.match(await page.locator('nav.pager').innerText(), /Trang 2 \//);
  await context.close();
});

for (const hostile of ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>']) {
  test(`the hostile query ${hostile} shows as text and runs nothing`, async () => {
    const { page, dialogs, context } = await newPage();
    await page.goto(base + '/');
    await page.getByLabel('Từ khóa').fill(hostile);
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.waitForURL(/q=/);
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, [], 'no dialog opened');
    assert.equal(await page.getByLabel('Từ khóa').inputValue(), hostile, 'the query is echoed as typed');
    assert.equal(await page.locator('img[src="x"]').count(), 0, 'no element was injected');
    assert.equal(await page.locator('main script').count(), 0, 'no script was injected');
    await context.close();
  });
}

test('the page works with JavaScript turned off', async () => {
  const { page, context } = await newPage({ javaScriptEnabled: false });
  await page.goto(base + '/');
  await page.getByLabel('Từ khóa').fill('ha noi');
  await page.getByLabel('Từ khóa').press('Enter');
  await page.waitForURL(/q=ha\+noi/);
  assert.ok(await page.locator('article.hit mark').count() > 0);
  await page.locator('article.hit h2 a').first().click();
  await page.waitForURL(/\/article\//);
  assert.ok((await page.locator('article.view h1').innerText()).length > 0, 'the article view opens');
  await context.close();
});

test('the keyboard reaches every control, and a phone screen does not scroll sideways', async () => {
  const { page, context } = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(base + '/?q=cong+tac+can+bo');
  /* the search box has autofocus, so a keyboard user starts there and tabs onwards */
  const focused = [await page.evaluate(() => document.activeElement?.getAttribute('name'))];
  for (let i = 0; i < 16; i++) {
    await page.keyboard.press('Tab');
    focused.push(await page.evaluate(() => document.activeElement?.getAttribute('name') || document.activeElement?.tagName));
  }
  for (const control of ['q', 'sort', 'from', 'to', 'BUTTON'])
    assert.ok(focused.includes(control), `Tab reaches ${control} (${focused.join(',')})`);
  const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling (${overflow}px)`);
  await page.screenshot({ path: join(artifacts, 'search-phone.png'), fullPage: true });
  await context.close();
});
