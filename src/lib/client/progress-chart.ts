/**
 * The progress page's line chart: the one piece of JavaScript on the participant pages. It draws exactly
 * the numbers in the page's JSON data island (`#progress-data`, written by the server from
 * measureProgress), which are the table's numbers too. Only the chart.js parts a line chart needs are
 * registered, so the bundle stays small.
 */
import { CategoryScale, Chart, LineController, LineElement, LinearScale, PointElement } from 'chart.js';
import type { MeasureProgress } from '$lib/domain/measures/progress';

// No legend plugin: the page writes the key in HTML under the chart (smaller, and readable as text).
Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale);

export type ChartData = MeasureProgress['chart'];

const COLOURS = ['#1d70b8', '#d4351c'];
const DASHES = [[], [6, 4]];

/** Reads the data island the server wrote. */
export function readChartData(doc: Document = document): ChartData | null {
	const text = doc.getElementById('progress-data')?.textContent;
	return text ? (JSON.parse(text) as ChartData) : null;
}

/** Draws the chart on the canvas; the canvas is marked `data-drawn` once chart.js has drawn it. */
export function drawProgressChart(canvas: HTMLCanvasElement, data: ChartData, range: { min: number; max: number }) {
	const chart = new Chart(canvas, {
		type: 'line',
		data: {
			labels: data.labels,
			datasets: data.datasets.map((d, i) => ({
				label: d.label,
				data: d.data,
				borderColor: COLOURS[i % COLOURS.length],
				backgroundColor: COLOURS[i % COLOURS.length],
				borderDash: DASHES[i % DASHES.length],
				pointRadius: 5,
				spanGaps: true
			}))
		},
		options: {
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			scales: { y: { min: range.min, max: range.max, ticks: { stepSize: 1 } } }
		}
	});
	canvas.dataset.drawn = 'true';
	return chart;
}
