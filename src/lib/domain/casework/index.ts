/**
 * Casework after a referral arrives (DOMAIN.md section 4), one file a concept: statuses and closing,
 * contact attempts, the forms, the inbox order, dates, the history in words, and the person's status.
 * Pure: no I/O; bank holidays and "today" are passed in.
 */
export * from './statuses';
export * from './contact-attempts';
export * from './forms';
export * from './inbox';
export * from './history';
export * from './person-status';
export * from './withdrawal';
