// For `make bench`: how long the dashboard's first view takes to draw, cold
// (a new browser context each time: no cache, no session), against the
// time its data alone takes over the page's API. Prints one line per view:
//   view <first view ms> <data alone ms>
//
//   node first_view.bench.mjs --url http://127.0.0.1:50080/ --token T --views 20
import {parseArgs} from 'node:util';
import puppeteer from 'puppeteer-core';

const {values: options} = parseArgs({options: {
  url: {type: 'string'},
  token: {type: 'string'},
  views: {type: 'string', default: '20'},
  chromium: {type: 'string', default: '/usr/bin/chromium'},
}});

const browser = await puppeteer.launch({
  executablePath: options.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage'],
});
try {
  for (let view = 0; view < Number(options.views); view++) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20000);
    await page.setViewport({width: 1366, height: 900});
    // Signed in already, as after the sign-in form: the view alone is timed.
    await page.evaluateOnNewDocument((token) => sessionStorage.setItem('caunoi.token', token), options.token);
    await page.goto(options.url, {waitUntil: 'domcontentloaded'});
    await page.waitForSelector('#rollout-table tbody tr:nth-child(34)');
    // Milliseconds since the navigation started, when the table was there.
    const firstView = await page.evaluate(() => performance.now());
    const document = await page.$eval('#document', (select) => select.value);
    const dataAlone = await page.evaluate(async (name, token) => {
      const started = performance.now();
      const response = await fetch('/api/caunoi.v1.GatewayService/GetDirectiveRollout', {
        method: 'POST', headers: {'Authorization': `Bearer ${token}`}, body: JSON.stringify({document: name}),
      });
      await response.json();
      return response.ok ? performance.now() - started : -1;
    }, document, options.token);
    console.log(`view ${firstView.toFixed(1)} ${dataAlone.toFixed(1)}`);
    await context.close();
  }
} finally {
  await browser.close();
}
