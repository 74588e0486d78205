/** The participant's timeline beside the profile (filled in by the care work). */
export function TimelineSection(_props: { participantId: string }) {
  return null;
}
