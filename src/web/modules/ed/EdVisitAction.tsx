/** "Start the ED visit" on the participant page (filled in by the ED work). */
export function EdVisitAction(_props: { participantId: string }) {
  return null;
}
