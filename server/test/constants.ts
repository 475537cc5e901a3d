export const TEST_PASSWORD = 'Demo-Pass-2026';
/** a fixed 32-byte key for tests only */
export const TEST_SECRET = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
