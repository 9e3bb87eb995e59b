// Drives Debian's chromium (through puppeteer-core) against the gateway's
// web dashboard over `make run`'s demo data, as a person at the centre
// would: a wrong token, sign-in, the 12-CT/TW rollout, a locality reached by
// keyboard, the overdue list, a 360-pixel phone and a projector. Screenshots
// go to --artifacts. Exits 1 naming every expectation that did not hold.
//
//   node dashboard.test.mjs --url http://127.0.0.1:50080/ --token demo-reader \
//       --artifacts /tmp/shots
import {mkdirSync} from 'node:fs';
import {parseArgs} from 'node:util';
import puppeteer from 'puppeteer-core';

const {values: options} = parseArgs({options: {
  url: {type: 'string'},
  token: {type: 'string', default: 'demo-reader'},
  artifacts: {type: 'string', default: 'dashboard-artifacts'},
  chromium: {type: 'string', default: '/usr/bin/chromium'},
}});
const origin = new URL(options.url).origin;
mkdirSync(options.artifacts, {recursive: true});

const failures = [];
let checks = 0;
function expect(condition, what) {
  checks++;
  if (!condition) failures.push(what);
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${what}`);
}

const browser = await puppeteer.launch({
  executablePath: options.chromium,
  headless: true,
  // As root in a closed network: no sandbox, and nothing reaching out.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', '--lang=vi-VN'],
});
const timeout = 20000;
const consoleErrors = [];
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  await page.setViewport({width: 1366, height: 900});
  const foreign = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(origin)) foreign.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  const shot = (name) => page.screenshot({path: `${options.artifacts}/${name}.png`, fullPage: true});
  const text = (selector) => page.$eval(selector, (node) => node.textContent);
  const heading = () => text('#view h1');

  // The page itself: security headers.
  const response = await page.goto(options.url, {waitUntil: 'networkidle0'});
  const headers = response.headers();
  const policy = headers['content-security-policy'] || '';
  expect(policy.includes("script-src 'self'") && !policy.includes('unsafe-inline') &&
      policy.includes("default-src 'none'"), `a Content-Security-Policy without inline scripts (${policy})`);
  expect(headers['x-content-type-options'] === 'nosniff', 'X-Content-Type-Options: nosniff');
  expect(headers['referrer-policy'] === 'no-referrer', 'Referrer-Policy: no-referrer');
  expect(headers['x-frame-options'] === 'DENY', 'X-Frame-Options: DENY');

  // A wrong token: a clear sign-in error, and nothing kept.
  await page.waitForSelector('#sign-in:not([hidden])');
  await page.type('#token', 'not-a-real-token');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /không đúng/.test(document.getElementById('sign-in-error').textContent));
  expect((await text('#sign-in-error')).includes('Mã truy cập không đúng'), 'a wrong token shows "Mã truy cập không đúng hoặc đã hết hiệu lực."');
  expect(await page.$eval('#sign-in-error', (node) => node.getAttribute('role')) === 'alert', 'the sign-in error is announced (role=alert)');
  expect(!(await page.evaluate(() => sessionStorage.getItem('caunoi.token'))), 'a refused token is not kept');
  await shot('sign-in-error');

  // Sign in; the 12-CT/TW rollout is the first view.
  await page.click('#token', {clickCount: 3});
  await page.type('#token', options.token);
  const started = Date.now();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#rollout-table tbody tr');
  const firstViewMs = Date.now() - started;
  console.log(`first view of the rollout drawn ${firstViewMs} ms after sign-in`);
  expect(!page.url().includes(options.token), 'the token is not in the URL');
  expect(await page.evaluate(() => !document.cookie && !localStorage.length), 'no cookie and nothing in local storage');
  expect((await heading()).includes('12-CT/TW'), 'the first view is the rollout of 12-CT/TW');
  const rows = await page.$$eval('#rollout-table tbody tr', (trs) => trs.map((tr) => ({
    code: tr.dataset.locality, acting: tr.classList.contains('acting'),
    name: tr.querySelector('th').textContent, documents: tr.querySelector('td.documents').textContent,
    lag: tr.querySelector('td.lag').textContent.trim(),
  })));
  expect(rows.length === 34, `34 localities in the table (${rows.length})`);
  const hanoi = rows.find((row) => row.code === '01') || {};
  expect(hanoi.documents?.includes('05-TT/TU') && hanoi.lag === '138', `Hanoi's 05-TT/TU at 138 days (${hanoi.documents}, ${hanoi.lag})`);
  const province = rows.find((row) => row.documents.includes('24-CT/TU')) || {};
  expect(province.lag === '126', `${province.name || 'a province'}'s 24-CT/TU at 126 days (${province.lag})`);
  expect(rows.filter((row) => !row.acting).length === 32, `32 localities not yet acting (${rows.filter((row) => !row.acting).length})`);
  expect((await page.$$eval('.figure', (figures) => figures.map((figure) => figure.textContent))).some((figure) => figure.includes('Chưa triển khai') && figure.includes('32 địa phương')),
      'the summary says "Chưa triển khai: 32 địa phương"');
  const indicatorRows = await page.$$eval('#indicator-table tbody th', (cells) => cells.map((cell) => cell.textContent));
  expect(indicatorRows.length === 7 && indicatorRows.includes('Số cán bộ được tập huấn, bồi dưỡng'),
      `12-CT/TW's seven indicators with their national totals (${indicatorRows.join('; ')})`);
  expect((await page.$$('#lag-chart svg rect.bar')).length === 2, 'the lag chart draws the two acting localities');
  expect((await page.$$('#trend-chart svg circle.dot')).length >= 2, 'the on-time trend has a point per period');
  expect(await page.$eval('#lag-chart svg', (node) => node.getAttribute('role') === 'img' && node.getAttribute('aria-labelledby')), 'the charts have a text alternative');
  await shot('rollout');
  // The first screen as a person sees it (the README's picture).
  await page.screenshot({path: `${options.artifacts}/rollout-first-screen.png`});

  // Another central document, chosen with the form.
  const choices = await page.$$eval('#document option', (all) => all.map((option) => ({value: option.value, text: option.textContent})));
  const other = choices.find((option) => !option.text.startsWith('12-CT/TW'));
  expect(choices.length >= 2 && other, `the central documents to choose from (${choices.map((option) => option.text.split(' ')[0]).join(', ')})`);
  if (other) {
    await page.select('#document', other.value);
    await page.click('.chooser button[type="submit"]');
    await page.waitForFunction((symbol) => document.querySelector('#view h1')?.textContent.includes(symbol) && document.querySelector('#rollout-table'), {}, other.text.split(' ')[0]);
    expect(page.url().endsWith(`#/rollout/${other.value}`), `choosing ${other.text.split(' ')[0]} shows its rollout`);
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('#view h1')?.textContent.includes('12-CT/TW') && document.querySelector('#rollout-table'));
  }

  // A locality reached by keyboard alone: Tab to Hanoi's link, Enter.
  await page.evaluate(() => document.activeElement?.blur());
  let onHanoi = false;
  for (let presses = 0; presses < 80 && !onHanoi; presses++) {
    await page.keyboard.press('Tab');
    onHanoi = await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.locality === '01' && document.activeElement.tagName === 'A');
  }
  expect(onHanoi, 'Hanoi\'s link is reachable with Tab');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#communes-table tbody tr');
  expect((await heading()) === 'Thành phố Hà Nội', 'Enter opens Hanoi\'s page');
  const places = await page.$$eval('#communes-table tbody tr', (trs) => trs.length);
  expect(places === 127, `Hanoi's drill-down lists the city and its 126 wards and communes (${places})`);
  const periodRows = await page.$$eval('#locality-indicator-table tbody tr', (trs) => trs.length);
  expect(periodRows >= 8, `Hanoi's page shows 12-CT/TW's indicators per half-year (${periodRows} rows)`);
  await shot('locality-ha-noi');
  await page.focus('#only-acting');
  await page.keyboard.press('Space');
  const shownPlaces = await page.$$eval('#communes-table tbody tr', (trs) => trs.filter((tr) => tr.offsetParent !== null).length);
  expect(shownPlaces >= 1 && shownPlaces < 127, `"Chỉ hiện nơi đã triển khai" leaves the places that acted (${shownPlaces})`);

  // The overdue list.
  await page.click('a[data-nav="overdue"]');
  await page.waitForSelector('#overdue-table');
  await page.waitForFunction(() => document.querySelectorAll('#overdue-table tbody tr').length > 0);
  expect((await page.$$('#overdue-table tbody tr')).length > 0, 'the overdue list shows overdue items');
  await shot('overdue');

  // A 360-pixel phone: nothing wider than the screen but the tables' own scroll.
  await page.setViewport({width: 360, height: 740, isMobile: true, deviceScaleFactor: 2});
  await page.evaluate(() => { location.hash = '#/'; });
  await page.waitForSelector('#rollout-table tbody tr');
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'readable at 360 pixels without sideways scrolling of the page');
  await shot('rollout-phone');

  // A projector: the type grows with the screen. (Leaving phone emulation
  // reloads the page, which keeps the session's token.)
  await page.setViewport({width: 1920, height: 1080});
  await page.waitForSelector('#rollout-table tbody tr');
  const projectorType = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  expect(projectorType >= 20, `type of at least 20 pixels on a 1920-pixel projector (${projectorType})`);
  await shot('rollout-projector');

  // Signing out forgets the token.
  await page.click('#sign-out');
  await page.waitForSelector('#sign-in:not([hidden])');
  expect(!(await page.evaluate(() => sessionStorage.getItem('caunoi.token'))), 'signing out forgets the token');

  expect(foreign.length === 0, `no request leaves the gateway's origin (${foreign.join(', ')})`);
  // Chromium itself reports the wrong token's 401 and the rate limit's 429s
  // (which the page waits out); nothing else may appear.
  const unexpected = consoleErrors.filter((message) => !/status of (401|429)/.test(message));
  expect(unexpected.length === 0, `no script error or policy violation (${unexpected.join(' | ')})`);
} catch (error) {
  // A step that never came (a selector waited for in vain) says what the
  // page said meanwhile.
  expect(false, `the walk-through ran to its end: ${error.message} (page errors: ${consoleErrors.join(' | ')})`);
} finally {
  await browser.close();
}

console.log(`dashboard: ${checks - failures.length} of ${checks} checks passed`);
if (failures.length) {
  console.log(`failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
