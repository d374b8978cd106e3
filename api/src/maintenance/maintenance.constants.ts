// The maintenance queue's timing; its name and jobs live in api/src/queues.
export const CLEANUP_EVERY_MS = 60 * 60 * 1000;
// Rows stay a day after they stop mattering, for support questions ("why was I signed out?").
export const CLEANUP_GRACE_MS = 24 * 60 * 60 * 1000;
