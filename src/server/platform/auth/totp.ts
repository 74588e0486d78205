/** TOTP (RFC 6238) multi-factor authentication, through otplib. */
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

const STEP_S = 30;
const TOLERANCE_S = 30;

export const newTotpSecret = (): string => generateSecret();

export function totpUri(secret: string, accountName: string): string {
  return generateURI({ issuer: 'Lodestar', label: accountName, secret });
}

export async function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', margin: 1 });
}

/**
 * Check a code, accepting one 30-second step either side (clock drift on phones). Returns the
 * time step it matched, or undefined. A step at or before `lastStep` is refused, so each code
 * works once (RFC 6238 §5.2).
 */
export async function verifyTotpStep(secret: string, code: string, now: Date, lastStep: number | null): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const epoch = Math.floor(now.getTime() / 1000);
  // After the server clock steps back, every step in the window may be at or before the last one
  // used: no code can be valid, and otplib would throw on the out-of-range `afterTimeStep`.
  if (lastStep !== null && lastStep >= Math.floor((epoch + TOLERANCE_S) / STEP_S)) return undefined;
  const result = await verify({
    secret,
    token: code,
    epoch,
    epochTolerance: TOLERANCE_S,
    ...(lastStep !== null && { afterTimeStep: lastStep }),
  });
  // TOTP results carry the matched time step (otplib's VerifyResult union hides it from the type).
  return result.valid ? (result as unknown as { timeStep: number }).timeStep : undefined;
}
