/** A participant's consents on their profile (filled in by the consents work). */
export function ConsentsSection(_props: { participantId: string }) {
  return null;
}
