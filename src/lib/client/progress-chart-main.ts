/**
 * The progress charts: the one script on the participant pages, loaded as a plain script by pages that
 * chart (no SvelteKit client on those pages, so the page stays small). Each `canvas[data-chart]` names the
 * JSON data island the server wrote next to it, which holds exactly the table's numbers; this draws them
 * with the chart.js parts a line chart needs, shows the chart and its key, and writes the numbers chart.js
 * holds into `data-values` (what tests read back) and `data-drawn`.
 */
import { CategoryScale, Chart, LineController, LineElement, LinearScale, PointElement } from 'chart.js';

// No legend plugin: the page writes the key in HTML under the chart (smaller, and readable as text).
Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale);

interface ChartData {
	labels: string[];
	datasets: { key: string; label: string; data: (number | null)[] }[];
	range: { min: number; max: number };
}

// GOV.UK blue, red, green and purple, with different dashes so lines differ without colour too.
const COLOURS = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92'];
const DASHES = [[], [6, 4], [2, 3], [10, 4]];

function draw(canvas: HTMLCanvasElement): void {
	const text = document.getElementById(canvas.dataset.chart ?? '')?.textContent;
	if (!text) return;
	const data = JSON.parse(text) as ChartData;
	const section = canvas.closest('section') ?? document;
	for (const box of section.querySelectorAll<HTMLElement>('[data-chart-box]')) box.hidden = false;
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
			scales: { y: { min: data.range.min, max: data.range.max, ticks: { stepSize: 1 } } }
		}
	});
	canvas.dataset.values = JSON.stringify({ labels: chart.data.labels, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) });
	canvas.dataset.drawn = 'true';
}

function drawAll(): void {
	for (const canvas of document.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]')) draw(canvas);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', drawAll);
else drawAll();
