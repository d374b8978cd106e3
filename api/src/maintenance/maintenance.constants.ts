export const MAINTENANCE_QUEUE = 'maintenance';

export enum MaintenanceJobName {
  CleanupAccounts = 'cleanup-accounts',
  CleanupAttachments = 'cleanup-attachments',
}

export const CLEANUP_EVERY_MS = 60 * 60 * 1000;
// Rows stay a day after they stop mattering, for support questions ("why was I signed out?").
export const CLEANUP_GRACE_MS = 24 * 60 * 60 * 1000;
