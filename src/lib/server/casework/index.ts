/**
 * Casework on referrals for staff: the inbox, caseloads, the referral page, and the actions on a referral
 * (claim, assign, contact attempt, status change), and the person's own status look-up. Every query is
 * scoped to the staff member's programmes (another programme's referral is "not found"); every view writes
 * an audit row; every change runs through `changeReferral` (changes.ts).
 */
export { listInbox, type InboxRow } from './inbox';
export { listCaseloads, staffInProgrammes, type ProgrammeCaseload, type StaffCaseload } from './caseloads';
export { findInProgramme, getReferralForStaff, type AnswerRow, type ReferralView } from './referral-view';
export type { CaseworkResult } from './changes';
export { assignReferral, claimReferral } from './assignment';
export { logContactAttempt } from './contact-attempts';
export { changeStatus } from './status';
export { lookUpStatus, type PersonStatus } from './status-lookup';
