/**
 * The measures registry: every questionnaire the portal can ask, by id. Pages, reports and the
 * `measures score` command all score through these functions. Schedules, progress, concern rules, the
 * DIALOG+ check-in and the provider report build on it.
 */
export * from './instrument';
export * from './registry';
export { dialog, roundedMean, DIALOG_LIFE_ITEMS, DIALOG_AREA_PHRASES, type DialogResult } from './dialog';
export { swemwbs, SWEMWBS_METRIC, type SwemwbsResult } from './swemwbs';
export { ons4, ons4Band, type Ons4Band, type Ons4Result } from './ons4';
export { gad7, gadBand, type GadBand, type Gad7Result } from './gad7';
export { phq9, phqBand, PHQ9_SELF_HARM_INDEX, type PhqBand, type PhqResult, type Phq9Result } from './phq9';
export { phq8 } from './phq8';
export { eq5d5l, type Eq5d5lResult } from './eq5d5l';
export * from './schedule';
export * from './progress';
export * from './concern';
export * from './dialog-review';
export * from './reports';
export * from './settings';
export * from './questionnaire';
