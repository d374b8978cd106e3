import type { ApiClient } from '../api/api-client.js';
import type { AccountActionResponse, MessageResponse } from '../api/api-types.js';

// The calls of the account screens that are loaded on first use (ADR 0008): functions over the
// portal's ApiClient, kept out of the class so that they travel in the lazy chunk, not the first render.

export const register = (
  client: ApiClient,
  body: { email: string; password: string },
  signal?: AbortSignal,
): Promise<MessageResponse> => client.request('POST', 'auth/register', { body, signal });

export const confirm = (
  client: ApiClient,
  token: string,
  signal?: AbortSignal,
): Promise<AccountActionResponse> => client.request('POST', 'auth/confirm', { body: { token }, signal });

export const resendConfirmation = (
  client: ApiClient,
  email: string,
  signal?: AbortSignal,
): Promise<MessageResponse | undefined> =>
  client.request('POST', 'auth/confirm/resend', { body: { email }, signal });

export const forgotPassword = (
  client: ApiClient,
  email: string,
  signal?: AbortSignal,
): Promise<MessageResponse | undefined> =>
  client.request('POST', 'auth/password/forgot', { body: { email }, signal });

export const resetPassword = (
  client: ApiClient,
  body: { token: string; password: string },
  signal?: AbortSignal,
): Promise<AccountActionResponse> => client.request('POST', 'auth/password/reset', { body, signal });
