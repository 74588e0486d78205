/** Quick checks before a form is sent; the server checks everything again. */

/** Something@something.something, as the server's email rule expects. */
export const isEmail = (v: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim());

export const isSixDigits = (v: string): boolean => /^\d{6}$/.test(v.replace(/\s/g, ''));

/** Codes are often typed or pasted with a space in the middle ("123 456"). */
export const cleanCode = (v: string): string => v.replace(/\s/g, '');

export const isUuid = (v: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v.trim());

export const PASSWORD_MIN = 12;
