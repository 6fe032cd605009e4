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
