/** Merge this record into another (filled in by the merge work). */
export function MergeSection(_props: { participantId: string }) {
  return null;
}
