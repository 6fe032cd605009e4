/**
 * The answers a draft holds (and a referral keeps): whatever the checker and referral page schemas
 * output, each possibly not given yet.
 */
import type { CheckAnswers } from './check-pages';
import type { ReferAnswers } from './refer-pages';

export type DraftAnswers = Partial<CheckAnswers & ReferAnswers>;
