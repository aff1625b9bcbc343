/**
 * Codes raised by the users domain (staff accounts, sessions, API keys, citizen one-time codes).
 * The HTTP layer maps them to status codes in `src/http/error-status.ts`.
 */
export type UsersErrorCode =
  // who is calling
  | 'ERR_AUTH_REQUIRED'
  | 'ERR_AUTH_INVALID'
  | 'ERR_FORBIDDEN'
  | 'ERR_API_KEY_INVALID'
  // staff accounts
  | 'ERR_USER_INVALID'
  | 'ERR_USER_EXISTS'
  // citizen lookup and one-time codes
  | 'ERR_OTP_INVALID'
  | 'ERR_OTP_ATTEMPTS'
  | 'ERR_TOO_MANY_FAILURES'
