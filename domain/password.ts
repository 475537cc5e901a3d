/**
 * Password rules (等保 2.0 level 3): at least 8 characters and three of the four classes
 * (lower case, upper case, digits, symbols), not containing the username.
 * Returns the Chinese reason a password is rejected, or null: checkPassword('abc', 'u') → '密码至少 8 位'.
 */
export function checkPassword(password: string, username: string): string | null {
  if (password.length < 8) return '密码至少 8 位';
  if (password.length > 128) return '密码不能超过 128 位';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return null;
}

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
