/** The participant page's MOUD access (medication, fills, OTP enrollment, barriers) and insurance tasks. */
export function MoudSection(_props: { participantId: string }) {
  return null;
}
