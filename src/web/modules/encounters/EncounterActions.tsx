/** "Log a contact" on the participant page (filled in by the encounters work). */
export function EncounterActions(_props: { participantId: string }) {
  return null;
}
