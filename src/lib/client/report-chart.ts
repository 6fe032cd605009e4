/**
 * The wellbeing report's bar chart (staff only): improved / maintained / reduced shares per measure, drawn
 * from the page's JSON data island (`#report-data`), which the server wrote from the same report object as
 * the table and the CSV. Only the chart.js parts a bar chart needs are registered.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { ProviderReport } from '$lib/domain/measures/reports';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export type ReportChartData = ProviderReport['chart'];

/** Green, grey and red, each with enough contrast against white. */
const COLOURS = { improved: '#00703c', maintained: '#505a5f', reduced: '#d4351c' } as const;

export function readReportData(doc: Document = document): ReportChartData | null {
	const text = doc.getElementById('report-data')?.textContent;
	return text ? (JSON.parse(text) as ReportChartData) : null;
}

/** Draws the chart; the canvas is marked `data-drawn` once chart.js has drawn it. */
export function drawReportChart(canvas: HTMLCanvasElement, data: ReportChartData) {
	const chart = new Chart(canvas, {
		type: 'bar',
		data: {
			labels: data.labels,
			datasets: data.datasets.map((d) => ({ label: d.label, data: d.data, backgroundColor: COLOURS[d.key] }))
		},
		options: {
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			indexAxis: 'y',
			scales: { x: { min: 0, max: 100, stacked: true, ticks: { callback: (v) => `${v}%` } }, y: { stacked: true } }
		}
	});
	canvas.dataset.drawn = 'true';
	return chart;
}
