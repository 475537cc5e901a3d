/** Masks a mainland mobile number for display: maskPhone('13812345678') === '138****5678'. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '****' + phone.slice(-4);
}
