/** The look both chart scripts share (progress-chart-main.ts, report-chart-main.ts). */

// GOV.UK blue, red, green and purple, with different dashes and point shapes so lines differ without colour too.
export const COLOURS = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92'];
export const DASHES = [[], [6, 4], [2, 3], [10, 4]];
export const POINTS = ['circle', 'triangle', 'rect', 'rectRot'] as const;
export const TEXT = '#0b0c0c';
export const GRID = '#b1b4b6';
export const FONT = { size: 16 };
export const TITLE = { display: true, color: TEXT, font: { size: 16, weight: 'bold' as const } };

export const style = (i: number) => ({
	borderColor: COLOURS[i % COLOURS.length],
	backgroundColor: COLOURS[i % COLOURS.length],
	pointStyle: POINTS[i % POINTS.length],
	pointRadius: 6,
	pointHoverRadius: 6
});

