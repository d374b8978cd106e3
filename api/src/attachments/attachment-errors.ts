import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';

/** 26214400 → "25 MB", 1536 → "1.5 KB" (binary multiples, as the settings are read). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 ? String(value) : String(Math.round(value * 10) / 10);
  return `${shown} ${units[unit]}`;
}

/** A refusal about the uploaded files; `fields.files` repeats it so a form can show it by the picker. */
export function fileError(code: ErrorCode, message: string): AppError {
  return new AppError(code, message, { fields: { files: message } });
}

/** A refusal about `attachmentIds` of a request or reply. */
export function attachmentIdsError(message: string): AppError {
  return new AppError(ErrorCode.VALIDATION_FAILED, message, { fields: { attachmentIds: message } });
}
