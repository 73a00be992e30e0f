/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { environmentSvg } from '../../tools/environment-diagram';
import { ROOT, shippedInput, synthObject, validate } from '../helpers';

/*
 * prod's diagram as a reviewer sees it: rendered by Chromium (Debian's package) with whatever fonts the machine has,
 * each text's real bounding box measured against its box, each arrow against the headers, and a screenshot kept in
 * test-results/ (gitignored). Without Chromium the suite is skipped and says so; in CI (CI=true) it fails instead,
 * because .ci/run installs Chromium.
 */

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const executable = CANDIDATES.find((p): p is string => p !== undefined && fs.existsSync(p));
const SCREENSHOT = path.join(ROOT, 'test-results', 'diagram', 'prod.png');
const REASON = `no Chromium found (looked at ${CANDIDATES.filter(Boolean).join(', ')}; apt-get install chromium, or set CHROMIUM_PATH)`;

if (!executable) {
  if (process.env.CI) throw new Error(`the browser check of the diagram cannot run: ${REASON}`);
  console.warn(`SKIPPED: the browser check of the diagram: ${REASON}`);
}

/** Faces a reviewer's machine falls back to when it has no Verdana: Linux's DejaVu Sans and Liberation Sans (Arial's metrics). */
const FALLBACK_FACES = ['DejaVu Sans', 'Liberation Sans', 'Arial', 'Helvetica'];

/** What the page measures: per box, the texts that overflow it; per header, the arrows that cross it. */
interface Measured {
  readonly texts: number;
  readonly overflowing: string[];
  readonly crossings: string[];
  readonly headers: number;
  readonly fonts: string[];
}

(executable ? describe : describe.skip)(`prod's diagram in Chromium${executable ? '' : ` (SKIPPED: ${REASON})`}`, () => {
  let measured: Measured;
  beforeAll(async () => {
    const input = shippedInput('prod');
    const svg = await environmentSvg(synthObject(input), validate(input), 'prod');
    const browser = await chromium.launch({ executablePath: executable, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.setContent(`<!DOCTYPE html><html><body style="margin:0">${svg.replace(/^[\s\S]*?(<svg\b)/, '$1')}</body></html>`);
      await page.evaluate(() => document.fonts.ready);
      const measure = () =>
        page.evaluate(() => {
          const rect = (e: SVGGraphicsElement) => e.getBBox();
          const within = (a: DOMRect, b: DOMRect) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
          const titleOf = (g: Element) => g.querySelector('title')?.textContent ?? '';
          const overflowing: string[] = [];
          let texts = 0;
          const clusters = [...document.querySelectorAll('g.cluster')].flatMap((c) => [...c.querySelectorAll<SVGGraphicsElement>('path, polygon')].map(rect));
          for (const node of document.querySelectorAll('g.node')) {
            const boxes = [...node.querySelectorAll<SVGGraphicsElement>('path, polygon')]
              .filter((s) => s.getAttribute('fill') !== 'none' || s.getAttribute('stroke') !== 'transparent')
              .map(rect);
            for (const text of node.querySelectorAll<SVGTextElement>('text')) {
              texts++;
              const t = rect(text);
              const cx = t.x + t.width / 2;
              const cy = t.y + t.height / 2;
              const around = boxes
                .filter((b) => cx >= b.x && cx <= b.x + b.width && cy >= b.y && cy <= b.y + b.height)
                .sort((a, b) => a.width * a.height - b.width * b.height);
              // Glyph ink: the text's box less the line's leading (getBBox spans ascent to descent of the font).
              const ink = new DOMRect(t.x, t.y + t.height * 0.1, t.width, t.height * 0.8);
              const frame = around[0] ?? clusters.filter((c) => within(ink, c)).sort((a, b) => a.width * a.height - b.width * b.height)[0];
              if (!frame || !within(ink, frame)) overflowing.push(`${titleOf(node)}: "${text.textContent}" (${Math.round(t.width)} wide)`);
            }
          }
          const crossings: string[] = [];
          const headers = [...document.querySelectorAll('g.node.subnet-header, g.node.vnet-header, g.node.key-header')].map((h) => ({
            title: titleOf(h),
            box: rect(h.querySelector('polygon, path') as SVGGraphicsElement),
          }));
          for (const edge of document.querySelectorAll('g.edge')) {
            for (const p of edge.querySelectorAll<SVGPathElement>('path')) {
              const length = p.getTotalLength();
              for (let d = 0; d <= length; d += 2) {
                const { x, y } = p.getPointAtLength(d);
                const hit = headers.find(({ box }) => x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height);
                if (hit) {
                  crossings.push(`${titleOf(edge)} crosses ${hit.title}`);
                  break;
                }
              }
            }
          }
          const fonts = [...new Set([...document.querySelectorAll('text')].map((t) => getComputedStyle(t).fontFamily))];
          return { texts, overflowing, crossings, headers: headers.length, fonts };
        });
      // As authored (the first face of the stack this machine has), then forced to each common fallback face.
      const asAuthored = await measure();
      const forced: Measured[] = [];
      for (const face of FALLBACK_FACES) {
        await page.evaluate((f) => {
          document.getElementById('forced-face')?.remove();
          const style = document.createElement('style');
          style.id = 'forced-face';
          style.textContent = `text { font-family: '${f}' !important; }`;
          document.head.appendChild(style);
        }, face);
        forced.push(await measure());
      }
      await page.evaluate(() => document.getElementById('forced-face')?.remove());
      measured = {
        texts: asAuthored.texts,
        overflowing: [asAuthored, ...forced].flatMap((m, i) => m.overflowing.map((o) => `${i === 0 ? 'as authored' : FALLBACK_FACES[i - 1]}: ${o}`)),
        crossings: asAuthored.crossings,
        headers: asAuthored.headers,
        fonts: [asAuthored, ...forced].flatMap((m) => m.fonts),
      };
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      // A CDP screenshot of the whole page: Playwright's fullPage waits on an SVG-sized page in headless Chromium.
      const session = await page.context().newCDPSession(page);
      const shot = await session.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true });
      fs.writeFileSync(SCREENSHOT, Buffer.from(shot.data, 'base64'));
    } finally {
      await browser.close();
    }
  }, 60_000);

  test(`every text fits its box, as authored and in ${FALLBACK_FACES.join(', ')}`, () => {
    expect(measured.overflowing).toEqual([]);
    expect(measured.texts).toBeGreaterThan(100);
    expect(measured.fonts.join()).toContain('Verdana');
  });

  test('no arrow crosses a header', () => {
    expect(measured.crossings).toEqual([]);
    expect(measured.headers).toBeGreaterThanOrEqual(6);
  });

  test(`a screenshot is written to ${path.relative(ROOT, SCREENSHOT)}`, () => {
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(50_000);
  });
});
