/**
 * A JSON data island for a page's plain chart script: `<script type="application/json" id=...>`, with "<"
 * escaped so the data can never end the script element. Rendered with {@html}; the data is our own numbers.
 */
export function jsonIsland(id: string, data: unknown): string {
	return `<script type="application/json" id="${id}">${JSON.stringify(data).replace(/</g, '\\u003c')}</` + 'script>';
}
