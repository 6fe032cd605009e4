/**
 * The progress charts: the one script on the participant pages, loaded as a plain script by pages that
 * chart (no SvelteKit client on those pages, so the page stays small). Each `canvas[data-chart]` names the
 * JSON data island the server wrote next to it, which holds exactly the table's numbers; this draws them
 * with the chart.js parts it needs, shows the chart and its key, and writes the numbers chart.js holds into
 * `data-values` (what tests read back), the points' x positions into `data-x` and `data-drawn`.
 *
 * Two kinds of chart:
 * - "time": scores over time on a time axis (chart.js TimeScale with the date-fns adapter), so a 10-week
 *   gap between check-ins is five times as wide as a 2-week one.
 * - "areas": DIALOG+'s 11 areas, one row each (the "more help" answers under the name), with the first and
 *   latest ratings as points.
 * Lines differ by dash and point shape as well as colour; axis labels are 16 px in the page's text colour,
 * with axis titles that say which way is better.
 *
 * A chart inside a closed <details> is drawn when the details are first opened (chart.js cannot measure
 * a box that is not shown).
 *
 * Every word comes from the data island, in the page's language; the English page's islands leave out the
 * date axis's title ("Date of check-in" then) and language (the dates under it then in English).
 */
import { CategoryScale, Chart, LineController, LineElement, LinearScale, PointElement, TimeScale, type ChartConfiguration, type Plugin } from 'chart.js';
import 'chartjs-adapter-date-fns';
import { DASHES, GRID, FONT, TEXT, TITLE, style } from './chart-style';

// No legend, tooltip or title plugins: the page writes the key and the headings in HTML (smaller, and readable as text).
Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, TimeScale);

interface Dataset {
	key: string;
	label: string;
	data: (number | null)[];
}

interface ChartData {
	kind: 'time' | 'areas';
	labels: string[];
	/** "time" only: "YYYY-MM-DD", one per label. */
	dates?: string[];
	/** "areas" only: a second line under each label (the area's "more help" answers). */
	notes?: string[];
	axis: string;
	/** "time" only, on a page in another language: the date axis's title and the language of its dates (BCP 47). */
	xAxis?: string;
	lang?: string;
	min: number;
	max: number;
	datasets: Dataset[];
}

/** After every draw, the x position of each point (by dataset) goes into `data-x`, for tests and tools. */
const recordPositions: Plugin = {
	id: 'record-positions',
	afterRender(chart) {
		const xs = chart.data.datasets.map((_, i) => chart.getDatasetMeta(i).data.map((p) => Math.round(p.x * 100) / 100));
		chart.canvas.dataset.x = JSON.stringify(xs);
	}
};

/** The date axis's labels in the page's language: "5 Maw", as chart.js writes "5 Mar" in English. */
function dateTicks(lang: string | undefined): ((value: number | string) => string) | undefined {
	if (!lang) return undefined;
	// In the browser's own time zone, as the date adapter reads "YYYY-MM-DD" (local midnight).
	const day = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short' });
	return (value) => day.format(new Date(value));
}

/** On a right-to-left page (Urdu) the charts read right to left: time runs leftwards, the value axis on the right. */
const RTL = document.documentElement.dir === 'rtl';

function timeChart(data: ChartData): ChartConfiguration<'line'> {
	const dates = data.dates ?? [];
	const callback = dateTicks(data.lang);
	return {
		type: 'line',
		data: {
			datasets: data.datasets.map((d, i) => ({
				label: d.label,
				data: d.data.map((y, j) => ({ x: dates[j], y })) as unknown as number[],
				...style(i),
				borderDash: DASHES[i % DASHES.length],
				borderWidth: 3,
				spanGaps: true,
				clip: false
			}))
		},
		options: {
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			events: [],
			layout: { padding: { right: 16, top: 8 } },
			scales: {
				x: {
					type: 'time',
					time: { parser: 'yyyy-MM-dd', minUnit: 'day', displayFormats: { day: 'd MMM', week: 'd MMM', month: 'MMM yyyy', quarter: 'MMM yyyy', year: 'yyyy' } },
					offset: true,
					reverse: RTL,
					ticks: { color: TEXT, font: FONT, maxRotation: 0, autoSkip: true, autoSkipPadding: 12, ...(callback ? { callback } : {}) },
					grid: { color: GRID },
					title: { ...TITLE, text: data.xAxis ?? 'Date of check-in' }
				},
				y: {
					min: data.min,
					max: data.max,
					position: RTL ? 'right' : 'left',
					ticks: { color: TEXT, font: FONT, stepSize: data.max - data.min > 12 ? 5 : 1 },
					grid: { color: GRID },
					title: { ...TITLE, text: data.axis }
				}
			}
		},
		plugins: [recordPositions]
	};
}

function areasChart(data: ChartData): ChartConfiguration<'line'> {
	return {
		type: 'line',
		data: {
			labels: data.notes ? data.labels.map((label, i) => [label, data.notes![i]]) : data.labels,
			// First: a ring, under; latest: a filled triangle, on top, so a rating that stayed the same shows both.
			datasets: data.datasets.map((d, i) => ({
				label: d.label,
				data: d.data,
				...style(i),
				...(i === 0 ? { backgroundColor: '#ffffff', pointRadius: 9, pointHoverRadius: 9, pointBorderWidth: 3, order: 1 } : { pointRadius: 7, order: 0 }),
				showLine: false,
				clip: false
			}))
		},
		options: {
			indexAxis: 'y',
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			events: [],
			layout: { padding: { right: 16 } },
			scales: {
				// 14 px (the least the page allows) so two-line labels leave room for the ratings at 390 px.
				y: { type: 'category', offset: true, position: RTL ? 'right' : 'left', ticks: { color: TEXT, font: { size: 14 }, autoSkip: false }, grid: { color: GRID } },
				x: {
					type: 'linear',
					min: data.min,
					max: data.max,
					reverse: RTL,
					ticks: { color: TEXT, font: FONT, stepSize: 1 },
					grid: { color: GRID },
					title: { ...TITLE, text: data.axis }
				}
			}
		},
		plugins: [recordPositions]
	};
}

function draw(canvas: HTMLCanvasElement): void {
	if (canvas.dataset.drawn) return;
	const text = document.getElementById(canvas.dataset.chart ?? '')?.textContent;
	if (!text) return;
	const data = JSON.parse(text) as ChartData;
	const chart = new Chart(canvas, data.kind === 'areas' ? areasChart(data) : timeChart(data));
	canvas.dataset.values = JSON.stringify({
		labels: data.labels,
		notes: data.notes,
		datasets: chart.data.datasets.map((d) => ({
			label: d.label,
			data: (d.data as unknown[]).map((v) => (v !== null && typeof v === 'object' ? (v as { y: number | null }).y : v))
		}))
	});
	canvas.dataset.drawn = 'true';
}

function start(): void {
	for (const canvas of document.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]')) {
		// The chart box and its key are shown only when there is JavaScript to draw the chart.
		const body = canvas.closest('.details-body, section') ?? document;
		for (const box of body.querySelectorAll<HTMLElement>('[data-chart-box]')) box.hidden = false;
		const details = canvas.closest('details');
		if (!details || details.open) draw(canvas);
		else details.addEventListener('toggle', () => details.open && draw(canvas));
	}
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
