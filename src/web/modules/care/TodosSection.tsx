/** A participant's open to-dos on their profile (filled in by the care work). */
export function TodosSection(_props: { participantId: string }) {
  return null;
}
