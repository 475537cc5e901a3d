import { describe, expect, it } from 'vitest';
import { maskPersonalText, maskPhone } from './masking.ts';

describe('maskPersonalText', () => {
  it.each([
    ['电话13812345678', '电话138****5678'],
    ['电话 +86 138 1234 5678 联系', '电话 138****5678 联系'],
    ['+8613812345678', '138****5678'],
    ['86-138-1234-5678', '138****5678'],
    ['0086 13812345678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['座机 0371-67891234', '座机 ********1234'],
    ['座机(0371)6789123', '座机*******9123'],
    ['010 87654321', '*******4321'],
    ['打 67891234 找物业', '打 ****1234 找物业'],
    ['身份证 11010519491231002X 本人', '身份证 110***********002X 本人'],
    ['身份证号410105199003071234', '身份证号410***********1234'],
  ])('%s', (input, out) => {
    expect(maskPersonalText(input)).toBe(out);
  });

  it('leaves ordinary numbers alone', () => {
    for (const s of ['朝阳路12号门口', '3 天没人清理', '2026年11月21日 15:30', '16路公交车', '垃圾堆了约 200 平方米']) expect(maskPersonalText(s)).toBe(s);
  });

  it('never leaves a masked mobile’s middle digits, whatever the separators', () => {
    for (let i = 0; i < 200; i++) {
      const digits = `1${3 + (i % 7)}${String(100000000 + i * 4_999_999).slice(0, 9)}`;
      const sep = [' ', '-', ''][i % 3];
      const written = `${['', '+86 ', '86-'][i % 3]}${digits.slice(0, 3)}${sep}${digits.slice(3, 7)}${sep}${digits.slice(7)}`;
      const masked = maskPersonalText(`联系${written}谢谢`);
      expect(masked).toBe(`联系${maskPhone(digits)}谢谢`);
    }
  });
});
