import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The WCAG 2.2 AA rules axe checks. */
export const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe on the page as it is (soft: every failure is reported), and the page reflowed at 320 CSS pixels wide. */
export async function audit(page: Page, name: string): Promise<void> {
	const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	expect.soft(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${name} (${page.url()})`).toEqual([]);
	const size = page.viewportSize() ?? { width: 1280, height: 800 };
	await page.setViewportSize({ width: 320, height: 800 });
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect.soft(width, `${name} reflows at 320 px`).toBeLessThanOrEqual(320);
	await page.setViewportSize(size);
}

/** The violations axe finds on `page` as it is now, one line each. */
async function violationsOn(page: Page): Promise<string[]> {
	const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * axe on a page shown with JavaScript off. axe cannot run in such a page, so its HTML (these pages ship no
 * JavaScript: the DOM is the server's HTML) is loaded into `host`, a JavaScript-enabled page, on the same
 * origin with the same stylesheet, and checked there at each width. At 320 px the page must not be wider
 * than the screen (a table's own scrolling region may be); `screenshot` saves the 320 px view to that path.
 */
export async function auditHtml(page: Page, host: Page, name: string, options: { widths?: number[]; screenshot?: string } = {}): Promise<void> {
	const html = await page.content();
	await host.setViewportSize({ width: 1280, height: 800 });
	await host.goto(new URL('/help', page.url()).toString());
	await host.setContent(html, { waitUntil: 'load' });
	for (const width of options.widths ?? [1280, 320]) {
		await host.setViewportSize({ width, height: 800 });
		expect.soft(await violationsOn(host), `axe on ${name} (${page.url()}) at ${width}px`).toEqual([]);
		if (width !== 320) continue;
		const reflow = await host.evaluate(() => {
			const doc = document.documentElement;
			const sticking = [...document.querySelectorAll('body *')]
				.filter((e) => {
					const r = e.getBoundingClientRect();
					// Inside a scrolling table region is allowed: the region scrolls, not the page.
					return r.width > 0 && r.right > doc.clientWidth + 0.5 && !e.closest('.table-scroll');
				})
				.slice(0, 5)
				.map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).replace(/\s+/g, '.') : ''}`);
			return { scrollWidth: doc.scrollWidth, sticking };
		});
		expect.soft(reflow.scrollWidth, `${name} is no wider than 320px (too wide: ${reflow.sticking.join(', ')})`).toBeLessThanOrEqual(320);
		if (options.screenshot) await host.screenshot({ path: options.screenshot, fullPage: true });
	}
}
