/**
 * The outcomes report's charts: a plain script (no SvelteKit client on the page), loaded by the report page
 * only. The server writes the chart's numbers as a JSON data island (domain/outcomes-report.ts
 * `outcomesChartData`, the same numbers as the tables); this draws them with the chart.js parts it needs:
 * - the funnel of the total, as horizontal bars;
 * - rates over months, as lines (dash and point shape differ as well as colour).
 * It shows the chart boxes (hidden without JavaScript, where the bars drawn in HTML stay), and writes the
 * numbers chart.js holds into `data-values` on each canvas (what tests read back).
 */
import { BarController, BarElement, CategoryScale, Chart, LineController, LineElement, LinearScale, PointElement, type ChartConfiguration } from 'chart.js';
import { COLOURS, DASHES, FONT, GRID, TEXT, TITLE, style } from './chart-style';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, LinearScale, CategoryScale);

interface ReportChartData {
	funnel: { labels: string[]; keys: string[]; data: number[] };
	months: { labels: string[]; keys: string[]; datasets: { key: string; label: string; data: (number | null)[] }[] };
}

const common = { animation: false as const, responsive: true, maintainAspectRatio: false, events: [] };

function funnelChart(data: ReportChartData['funnel']): ChartConfiguration<'bar'> {
	return {
		type: 'bar',
		data: { labels: data.labels, datasets: [{ label: 'Number', data: data.data, backgroundColor: COLOURS[0] }] },
		options: {
			...common,
			indexAxis: 'y',
			layout: { padding: { right: 16 } },
			scales: {
				y: { type: 'category', ticks: { color: TEXT, font: { size: 14 }, autoSkip: false }, grid: { display: false } },
				x: { type: 'linear', min: 0, ticks: { color: TEXT, font: FONT, precision: 0 }, grid: { color: GRID }, title: { ...TITLE, text: 'Number of people or visits' } }
			}
		}
	};
}

function monthsChart(data: ReportChartData['months']): ChartConfiguration<'line'> {
	return {
		type: 'line',
		data: {
			labels: data.labels,
			datasets: data.datasets.map((d, i) => ({ label: d.label, data: d.data, ...style(i), borderDash: DASHES[i % DASHES.length], borderWidth: 3, spanGaps: true, clip: false }))
		},
		options: {
			...common,
			layout: { padding: { right: 16, top: 8 } },
			scales: {
				x: { type: 'category', offset: true, ticks: { color: TEXT, font: FONT, maxRotation: 0, autoSkip: true }, grid: { color: GRID }, title: { ...TITLE, text: 'Month referred' } },
				y: { min: 0, max: 100, ticks: { color: TEXT, font: FONT, stepSize: 20 }, grid: { color: GRID }, title: { ...TITLE, text: 'Per cent (higher is better)' } }
			}
		}
	};
}

function start(): void {
	const text = document.getElementById('outcomes-chart-data')?.textContent;
	if (!text) return;
	const data = JSON.parse(text) as ReportChartData;
	for (const box of document.querySelectorAll<HTMLElement>('[data-chart-box]')) box.hidden = false;
	for (const fallback of document.querySelectorAll<HTMLElement>('[data-chart-fallback]')) fallback.hidden = true;
	const funnel = document.getElementById('funnel-canvas') as HTMLCanvasElement | null;
	if (funnel) {
		const chart = new Chart(funnel, funnelChart(data.funnel));
		funnel.dataset.values = JSON.stringify({ labels: chart.data.labels, keys: data.funnel.keys, data: chart.data.datasets[0].data });
	}
	const months = document.getElementById('months-canvas') as HTMLCanvasElement | null;
	if (months && data.months.labels.length) {
		const chart = new Chart(months, monthsChart(data.months));
		months.dataset.values = JSON.stringify({ labels: chart.data.labels, keys: data.months.keys, datasets: chart.data.datasets.map((d, i) => ({ key: data.months.datasets[i].key, data: d.data })) });
	}
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
