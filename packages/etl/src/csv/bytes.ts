/** The bytes the layout rewrites (whitespace runs, comment lines, number forms) look for. */
export const SPACE = 0x20;
export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const DOT = 0x2e;

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
